/** What one backup holds: its files as lists of chunks, the database's row counts and checksums at its consistency point, its figures. */
export type ManifestFile = {
  /** Path in the data folder (`kefu.db`, `attachments/…`, `secret.key`) or `database.pgdump`. */
  path: string;
  kind: 'sqlite' | 'pgdump' | 'file' | 'key';
  size: number;
  sha256: string;
  chunks: string[];
};

export type Manifest = {
  format: 1;
  id: string;
  createdAt: string;
  /** The instant the database snapshot was taken: every row committed before it is in the backup. */
  consistencyAt: string;
  engine: 'sqlite' | 'postgres';
  /** PostgreSQL: the schema the dump holds (tests use their own schemas; installations `public`). */
  pgSchema?: string;
  /** PostgreSQL: extensions the database had (created before the restore of a single schema). */
  pgExtensions?: string[];
  files: ManifestFile[];
  /** Rows per table at the consistency point (compared by restores and drills). */
  tables: Record<string, number>;
  /**
   * SHA-256 per table of its rows in primary-key order, from the same snapshot as `tables`
   * (compared by drills). Absent in backups made before checksums were recorded.
   */
  checksums?: Record<string, string>;
  /** Logical size: the sum of the files. */
  bytes: number;
  /** Bytes this backup added to its target (new chunks and the manifest). */
  storedBytes: number;
  durationMs: number;
  /** Why this backup was made: `schedule`, `manual`, `safety` (before a forced restore), `copy`. */
  reason: string;
  host: string;
};
