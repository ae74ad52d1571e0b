/**
 * Field encryption (AES-256-GCM, random 96-bit IV) with a key ring: every ciphertext names the key
 * that sealed it (`v1.iv.tag.data` is key 1, the installation's first key; `v2.<n>.iv.tag.data` key
 * n), so old ciphertexts stay readable after a rotation while new ones use the current key; keyed
 * hashes for exact lookups of encrypted values and signed tokens use keys derived from key 1 only,
 * so blind indexes keep working across rotations; random tokens.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Keys by version (key 1 is required: blind indexes and signatures derive from it); `current` seals new values. */
export type KeyRing = { keys: ReadonlyMap<number, Buffer>; current: number };

export type Cipher = {
  encrypt(plain: string): string;
  decrypt(box: string): string;
  /** The version of the key that sealed `box`. */
  keyVersion(box: string): number;
  /** The version new values are sealed with. */
  readonly currentVersion: number;
  /** `box` sealed again with the current key, or null when it already is. */
  reseal(box: string): string | null;
  blindIndex(value: string): string;
  /** A compact signed token `payload.signature` (base64url JSON + HMAC-SHA256); not encrypted. */
  sign(payload: object): string;
  /** The payload of a token signed by `sign`, or null when forged or malformed. */
  verify<T>(token: string): T | null;
};

const encKeyOf = (key: Buffer) => createHmac('sha256', key).update('kefu:enc').digest();

/**
 * A cipher over one key (version 1) or a ring. `reload` is asked for a fresh ring when a value
 * names a key this process does not know yet (another process added it: `kefu keys rotate`).
 */
export function createCipher(key: Buffer | KeyRing, opts: { reload?: () => KeyRing } = {}): Cipher {
  let ring: KeyRing = Buffer.isBuffer(key) ? { keys: new Map([[1, key]]), current: 1 } : key;
  const check = (r: KeyRing) => {
    for (const k of r.keys.values()) if (k.length !== 32) throw new Error('the secret key must be 32 bytes');
    if (!r.keys.has(1)) throw new Error('the key ring needs key 1 (blind indexes and signatures derive from it)');
    if (!r.keys.has(r.current)) throw new Error(`the current key ${r.current} is not in the key ring`);
  };
  check(ring);
  const root = ring.keys.get(1)!;
  const idxKey = createHmac('sha256', root).update('kefu:idx').digest();
  const sigKey = createHmac('sha256', root).update('kefu:sig').digest();
  const encKeys = new Map<number, Buffer>();
  const encKey = (version: number): Buffer => {
    let k = encKeys.get(version);
    if (k) return k;
    let raw = ring.keys.get(version);
    if (!raw && opts.reload) {
      const fresh = opts.reload();
      if (fresh.keys.get(1)?.equals(root)) {
        check(fresh);
        ring = { keys: fresh.keys, current: ring.current };
        raw = ring.keys.get(version);
      }
    }
    if (!raw) throw new Error(`unknown encryption key ${version}`);
    k = encKeyOf(raw);
    encKeys.set(version, k);
    return k;
  };
  const parse = (box: string) => {
    const parts = box.split('.');
    if (parts[0] === 'v1' && parts.length === 4) return { version: 1, iv: parts[1], tag: parts[2], data: parts[3] };
    if (parts[0] === 'v2' && parts.length === 5 && /^[1-9]\d{0,5}$/.test(parts[1]))
      return { version: Number(parts[1]), iv: parts[2], tag: parts[3], data: parts[4] };
    throw new Error('not an encrypted value');
  };
  const mac = (data: string) => createHmac('sha256', sigKey).update(data).digest();
  const cipher: Cipher = {
    encrypt(plain) {
      const version = ring.current;
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', encKey(version), iv);
      const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      const body = [iv, c.getAuthTag(), data].map((b) => b.toString('base64url'));
      return (version === 1 ? ['v1', ...body] : ['v2', String(version), ...body]).join('.');
    },
    decrypt(box) {
      const { version, iv, tag, data } = parse(box);
      // A fixed tag length: without it older Node versions accept a truncated (forgeable) tag.
      const d = createDecipheriv('aes-256-gcm', encKey(version), Buffer.from(iv, 'base64url'), {
        authTagLength: 16,
      });
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(data, 'base64url')), d.final()]).toString('utf8');
    },
    keyVersion: (box) => parse(box).version,
    get currentVersion() {
      return ring.current;
    },
    reseal(box) {
      return parse(box).version === ring.current ? null : cipher.encrypt(cipher.decrypt(box));
    },
    blindIndex(value) {
      return createHmac('sha256', idxKey).update(value.trim().toLowerCase()).digest('base64url');
    },
    sign(payload) {
      const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${data}.${mac(data).toString('base64url')}`;
    },
    verify<T>(token: string): T | null {
      const [data, sig] = token.split('.');
      if (!data || !sig || token.split('.').length !== 2) return null;
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(data);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        return JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as T;
      } catch {
        return null;
      }
    },
  };
  return cipher;
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** A readable one-time password: 4 groups of 4 from an unambiguous alphabet. */
export function temporaryPassword(): string {
  const a = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const b = randomBytes(16);
  const chars = Array.from(b, (x) => a[x % a.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
