/**
 * The backup's cryptography. One backup key (a generated key or a passphrase of at least 32
 * characters) is stretched with scrypt and the target's salt into a master key; HKDF derives from
 * it one key per purpose. The backup key itself is never written to a target: a target holds only
 * the salt and a check value (so a wrong key is told apart from a damaged file).
 *
 * A chunk is named by a keyed hash of its plain content (HMAC-SHA256, so names reveal nothing
 * about content to whoever holds the target) and stored as `version | nonce | zstd+AES-256-GCM |
 * tag`, its name as additional data, so a chunk swapped for another fails authentication.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  scrypt,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';
import { promisify } from 'node:util';
import { zstdCompress, zstdCompressSync, zstdDecompressSync, constants as zc } from 'node:zlib';

const zstdCompressAsync = promisify(zstdCompress);
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  length: number,
  options: ScryptOptions,
) => Promise<Buffer>;

export const minKeyLength = 32;
const version = 1;

export type RepoKeys = {
  /** Names a chunk by its plain content. */
  chunkId(plain: Buffer): string;
  /** Compresses on libuv's thread pool, so a backup leaves the event loop to the chat gateway. */
  sealChunk(id: string, plain: Buffer): Promise<Buffer>;
  /** The plain content; throws BackupIntegrityError when the box or its name do not check out. */
  openChunk(id: string, box: Buffer): Buffer;
  sealJson(label: string, value: unknown): Buffer;
  openJson<T>(label: string, box: Buffer): T;
  /** Proves the key without decrypting anything: stored in the target's config. */
  check: string;
  /** For the chunk worker thread. */
  chunkKeys: ChunkKeys;
};

export class BackupIntegrityError extends Error {}
export class WrongKeyError extends Error {}

/** A fresh backup key: 32 random bytes, base64url (43 characters), for `kefu backup key init`. */
export const generateBackupKey = (): string => randomBytes(32).toString('base64url');

export function validateBackupKey(key: string | undefined): string | null {
  if (!key)
    return 'no backup key: set KEFU_BACKUP_KEY (or backupKey in the config file); create one with `kefu backup key init`';
  if (key.length < minKeyLength) return `the backup key must have at least ${minKeyLength} characters`;
  return null;
}

/**
 * scrypt parameters (N=2^15, r=8: ~100 ms of CPU and 32 MiB per target, on libuv's thread pool —
 * never on the event loop: on a busy two-core machine the same call took seconds, and it ran at
 * the start of every run and every listing of a target's backups).
 */
const scryptOpts = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

const zstdParams = { params: { [zc.ZSTD_c_compressionLevel]: 3 } };

function seal(key: Buffer, aad: string, plain: Buffer): Buffer {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
  c.setAAD(Buffer.from(aad));
  const data = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([Buffer.from([version]), nonce, data, c.getAuthTag()]);
}

/** The keys a chunk needs, for the chunk worker thread (chunk-worker.ts): never written anywhere. */
export type ChunkKeys = { idKey: Buffer; chunkKey: Buffer };

/** Naming and sealing chunks, synchronously: what the chunk worker thread runs off the event loop. */
export function chunkSealer(k: ChunkKeys) {
  return {
    chunkId: (plain: Buffer) => createHmac('sha256', k.idKey).update(plain).digest('hex'),
    seal: (id: string, plain: Buffer) => seal(k.chunkKey, `chunk:${id}`, zstdCompressSync(plain, zstdParams)),
  };
}

/** Keys derived in this process, by target salt and backup key (the key is in memory anyway: it is in the config). */
const derived = new Map<string, Promise<RepoKeys>>();

/**
 * The target's keys from the backup key and the target's salt: scrypt off the event loop, once
 * per salt and key in this process (a console listing or the next run reuses them).
 */
export function deriveKeys(backupKey: string, salt: Buffer): Promise<RepoKeys> {
  const password = backupKey.normalize('NFC');
  const id = createHmac('sha256', salt).update(password).digest('hex');
  let keys = derived.get(id);
  if (!keys) {
    if (derived.size >= 32) derived.clear();
    keys = scryptAsync(password, salt, 32, scryptOpts).then((master) => keysFrom(master, salt));
    derived.set(id, keys);
    keys.catch(() => derived.delete(id));
  }
  return keys;
}

function keysFrom(master: Buffer, salt: Buffer): RepoKeys {
  const sub = (info: string) => Buffer.from(hkdfSync('sha256', master, salt, `kefu-backup:${info}`, 32));
  const idKey = sub('chunk-id');
  const chunkKey = sub('chunk');
  const jsonKey = sub('json');
  const check = createHmac('sha256', sub('check')).update('kefu-backup-check').digest('base64url');

  const open = (key: Buffer, aad: string, box: Buffer) => {
    if (box.length < 29 || box[0] !== version) throw new BackupIntegrityError('not a Kefu backup object');
    const d = createDecipheriv('aes-256-gcm', key, box.subarray(1, 13), { authTagLength: 16 });
    d.setAAD(Buffer.from(aad));
    d.setAuthTag(box.subarray(box.length - 16));
    try {
      return Buffer.concat([d.update(box.subarray(13, box.length - 16)), d.final()]);
    } catch {
      throw new BackupIntegrityError('authentication failed (damaged or altered)');
    }
  };
  const compress = (b: Buffer) => zstdCompressSync(b, zstdParams);
  const compressAsync = (b: Buffer) => zstdCompressAsync(b, zstdParams);

  return {
    check,
    chunkKeys: { idKey, chunkKey },
    chunkId: (plain) => createHmac('sha256', idKey).update(plain).digest('hex'),
    sealChunk: async (id, plain) => seal(chunkKey, `chunk:${id}`, await compressAsync(plain)),
    openChunk(id, box) {
      const plain = zstdDecompressSync(open(chunkKey, `chunk:${id}`, box));
      const actual = createHmac('sha256', idKey).update(plain).digest();
      if (!timingSafeEqual(actual, Buffer.from(id, 'hex')))
        throw new BackupIntegrityError('content does not match its name');
      return plain;
    },
    sealJson: (label, value) => seal(jsonKey, label, compress(Buffer.from(JSON.stringify(value)))),
    openJson: <T>(label: string, box: Buffer) =>
      JSON.parse(zstdDecompressSync(open(jsonKey, label, box)).toString('utf8')) as T,
  };
}
