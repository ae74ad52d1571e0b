/**
 * Opens the target a stored row describes, its secrets decrypted with the installation key. A row
 * that does not describe a usable target (a field missing or invalid: edited in the database, or
 * saved by an older version) is one line naming the target and the field, not a validation dump.
 */
import type { z } from 'zod';
import type { Services } from '../../../context.ts';
import { LocalSettings, S3Secrets, S3Settings, SftpSecrets, SftpSettings } from '../../../../shared/backups-api.ts';
import { pinHostKey, secretsOf, type TargetRow } from '../service.ts';
import { localTarget } from './local.ts';
import { TargetError, type Target } from './types.ts';

function checked<T extends z.ZodType>(row: TargetRow, schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.length ? `${what}.${issue.path.join('.')}` : what;
  throw new TargetError(`${row.name}: bad configuration: ${field}: ${issue.message}`);
}

export async function openTarget(s: Pick<Services, 'db' | 'cipher'>, row: TargetRow): Promise<Target> {
  let settings: unknown;
  try {
    settings = JSON.parse(row.settings) as unknown;
  } catch {
    throw new TargetError(`${row.name}: bad configuration: its settings are not readable`);
  }
  const secrets = secretsOf(s, row);
  if (row.kind === 'local') return localTarget(checked(row, LocalSettings, settings, 'settings').path);
  if (row.kind === 'sftp') {
    const o = checked(row, SftpSettings, settings, 'settings');
    const sec = checked(row, SftpSecrets, secrets, 'secrets');
    if (!sec.password && !sec.privateKey)
      throw new TargetError(`${row.name}: bad configuration: neither a password nor a private key to log in with`);
    // The SFTP and S3 clients (ssh2, the AWS SDK) load when such a target is first opened.
    const { sftpTarget } = await import('./sftp.ts');
    return sftpTarget({ ...o, ...sec, hostKey: row.host_key, onPin: (fp) => pinHostKey(s, row.id, fp) });
  }
  if (row.kind === 's3') {
    const sec = S3Secrets.safeParse(secrets);
    if (!sec.success) throw new TargetError(`${row.name}: bad configuration: the secret access key is missing`);
    const { s3Target } = await import('./s3.ts');
    return s3Target({ ...checked(row, S3Settings, settings, 'settings'), ...sec.data });
  }
  throw new TargetError(`${row.name}: bad configuration: unknown kind ${row.kind}`);
}
