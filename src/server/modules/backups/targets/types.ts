/**
 * Where backups are stored. A target is a flat store of named objects (`config`, `chunks/ab/<id>`,
 * `snapshots/<id>`); every `put` is atomic (a reader sees the whole object or none), which is what
 * makes "chunks first, the manifest last" a complete upload protocol.
 */
export type Target = {
  /** For messages: the kind and place, never a secret. */
  describe: string;
  put(name: string, data: Buffer): Promise<void>;
  /** The object, or null when it does not exist. */
  get(name: string): Promise<Buffer | null>;
  /** Names under a prefix (e.g. `snapshots/`), full names. */
  list(prefix: string): Promise<string[]>;
  remove(name: string): Promise<void>;
  close(): Promise<void>;
};

/** A target that cannot be reached or written (full disk, refused login, unknown host key). */
export class TargetError extends Error {}

export function checkName(name: string): string {
  if (!/^[a-z0-9]+(\/[a-z0-9_-]+)*$/i.test(name)) throw new TargetError(`bad object name ${name}`);
  return name;
}
