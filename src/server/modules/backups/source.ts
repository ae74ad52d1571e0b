/** What a backup of this installation reads: its engine, data folder, database and the installation key's origin. */
import { sql } from 'kysely';
import type { Services } from '../../context.ts';
import type { BackupSource } from './engine.ts';

export async function sourceOf(s: Pick<Services, 'engine' | 'db' | 'config'>): Promise<BackupSource> {
  const pgSchema =
    s.engine === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(s.db)).rows[0].s
      : undefined;
  return {
    engine: s.engine,
    dataDir: s.config.dataDir,
    ...(s.config.databaseUrl ? { databaseUrl: s.config.databaseUrl } : {}),
    ...(pgSchema ? { pgSchema } : {}),
    ...(s.config.secretKey ? { secretKeyHex: s.config.secretKey } : {}),
    ...(s.config.encryptionKeys ? { encryptionKeys: s.config.encryptionKeys } : {}),
  };
}
