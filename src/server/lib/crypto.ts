/**
 * Field encryption (AES-256-GCM, random 96-bit IV, versioned text format `v1.iv.tag.data`),
 * keyed hashes for exact lookups of encrypted values, and random tokens.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type Cipher = {
  encrypt(plain: string): string;
  decrypt(box: string): string;
  blindIndex(value: string): string;
  /** A compact signed token `payload.signature` (base64url JSON + HMAC-SHA256); not encrypted. */
  sign(payload: object): string;
  /** The payload of a token signed by `sign`, or null when forged or malformed. */
  verify<T>(token: string): T | null;
};

export function createCipher(key: Buffer): Cipher {
  if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
  const encKey = createHmac('sha256', key).update('kefu:enc').digest();
  const idxKey = createHmac('sha256', key).update('kefu:idx').digest();
  const sigKey = createHmac('sha256', key).update('kefu:sig').digest();
  const mac = (data: string) => createHmac('sha256', sigKey).update(data).digest();
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', encKey, iv);
      const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), data.toString('base64url')].join(
        '.',
      );
    },
    decrypt(box) {
      const [v, iv, tag, data] = box.split('.');
      if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('not an encrypted value');
      // A fixed tag length: without it older Node versions accept a truncated (forgeable) tag.
      const d = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(data, 'base64url')), d.final()]).toString('utf8');
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
