/** Opens the target a stored row describes, its secrets decrypted with the installation key. */
import type { Services } from '../../../context.ts';
import { LocalSettings, S3Secrets, S3Settings, SftpSecrets, SftpSettings } from '../../../../shared/backups-api.ts';
import { pinHostKey, secretsOf, type TargetRow } from '../service.ts';
import { localTarget } from './local.ts';
import { s3Target } from './s3.ts';
import { sftpTarget } from './sftp.ts';
import { TargetError, type Target } from './types.ts';

export async function openTarget(s: Pick<Services, 'db' | 'cipher'>, row: TargetRow): Promise<Target> {
  const settings = JSON.parse(row.settings) as unknown;
  const secrets = secretsOf(s, row);
  if (row.kind === 'local') return localTarget(LocalSettings.parse(settings).path);
  if (row.kind === 'sftp') {
    const o = SftpSettings.parse(settings);
    const sec = SftpSecrets.parse(secrets);
    return sftpTarget({ ...o, ...sec, hostKey: row.host_key, onPin: (fp) => pinHostKey(s, row.id, fp) });
  }
  if (row.kind === 's3') {
    const sec = S3Secrets.safeParse(secrets);
    if (!sec.success) throw new TargetError(`${row.name}: the secret access key is missing`);
    return s3Target({ ...S3Settings.parse(settings), ...sec.data });
  }
  throw new TargetError(`${row.name}: unknown kind ${row.kind}`);
}
