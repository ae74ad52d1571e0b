/**
 * Targets defined in the config file (`backupTargets`) become rows with `source = 'config'`: written
 * at start (and before a `kefu backup --target NAME`), secrets encrypted with the installation key as
 * the console's are, unchanged rows left alone, rows of targets no longer in the file deleted. The
 * console lists them marked "from config" and refuses to change them.
 */
import type { TargetBody } from '../../../shared/backups-api.ts';
import type { Services } from '../../context.ts';
import { own } from './schema.ts';
import { announce, ownRetention, saveTarget, secretsOf, targetByName, targetRows } from './service.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function syncConfigTargets(s: Services): Promise<void> {
  const wanted = s.config.backupTargets;
  for (const t of wanted) {
    const before = await targetByName(s, t.name);
    const secrets = t.secrets as Record<string, string | undefined>;
    if (
      before?.source === 'config' &&
      before.kind === t.kind &&
      same(JSON.parse(before.settings), t.settings) &&
      (before.offsite === 1) === t.offsite &&
      (before.enabled === 1) === t.enabled &&
      same(ownRetention(before), t.retention) &&
      same(secretsOf(s, before), secrets)
    )
      continue;
    // A console target of the same name is taken over by the file (its history stays).
    if (before && before.kind !== t.kind)
      await own(s.db).deleteFrom('backup_targets').where('id', '=', before.id).execute();
    const { secrets: _given, ...rest } = t;
    const body = (t.kind === 'local' ? rest : { ...rest, secrets }) as TargetBody;
    await saveTarget(s, before && before.kind === t.kind ? before.id : null, body, 'config');
    if (before && before.source === 'config')
      // Secrets left out of the file are not kept (saveTarget keeps those a console form leaves empty).
      await own(s.db)
        .updateTable('backup_targets')
        .set({ secrets_enc: Object.keys(secrets).length ? s.cipher.encrypt(JSON.stringify(secrets)) : null })
        .where('name', '=', t.name)
        .execute();
  }
  const names = new Set(wanted.map((t) => t.name));
  for (const row of await targetRows(s))
    if (row.source === 'config' && !names.has(row.name)) {
      await own(s.db).deleteFrom('backup_targets').where('id', '=', row.id).execute();
      await announce(s, 'backup_target.deleted', 'backup_target', row.id, { name: row.name });
    }
}
