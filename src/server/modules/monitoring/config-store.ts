/** Configured objects (rule groups, silences, maintenance windows, inhibition rules) by kind and name. */
import type { Executor } from '../../db/index.ts';
import { own } from './schema.ts';

export type ConfigKind = 'group' | 'silence' | 'maintenance' | 'inhibit';

/** Creates or replaces an object; returns whether it was created, changed or left alone. */
export async function saveConfigObject(
  db: Executor,
  kind: ConfigKind,
  name: string,
  definition: unknown,
  position: number,
  now: Date,
): Promise<'created' | 'updated' | 'unchanged'> {
  const json = JSON.stringify(definition);
  const t = own(db);
  const existing = await t
    .selectFrom('monitoring_config')
    .select(['definition', 'position'])
    .where('kind', '=', kind)
    .where('name', '=', name)
    .executeTakeFirst();
  const at = now.toISOString();
  if (!existing) {
    await t
      .insertInto('monitoring_config')
      .values({ kind, name, definition: json, position, created_at: at, updated_at: at })
      .execute();
    return 'created';
  }
  if (existing.definition === json && existing.position === position) return 'unchanged';
  await t
    .updateTable('monitoring_config')
    .set({ definition: json, position, updated_at: at })
    .where('kind', '=', kind)
    .where('name', '=', name)
    .execute();
  return existing.definition === json ? 'unchanged' : 'updated';
}

export async function deleteConfigObject(db: Executor, kind: ConfigKind, name: string): Promise<boolean> {
  const r = await own(db)
    .deleteFrom('monitoring_config')
    .where('kind', '=', kind)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function configNames(db: Executor, kind: ConfigKind): Promise<string[]> {
  const rows = await own(db).selectFrom('monitoring_config').select('name').where('kind', '=', kind).execute();
  return rows.map((r) => r.name);
}
