import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCipher, randomToken, sha256, temporaryPassword } from './crypto.ts';

const key = () => randomBytes(32);

/** Flips one bit in the n-th dot-separated part of a box (decoded, so base64 padding bits never hide it). */
function flip(box: string, part: number, byte = 0): string {
  const parts = box.split('.');
  const buf = Buffer.from(parts[part], 'base64url');
  buf[byte] ^= 0x01;
  parts[part] = buf.toString('base64url');
  return parts.join('.');
}

describe('createCipher', () => {
  it('round-trips text, including empty, long and non-ASCII values', () => {
    const c = createCipher(key());
    for (const plain of ['', 'hello', '张三 13800138000 上海市浦东新区', 'x'.repeat(100_000), '😀 emoji']) {
      const box = c.encrypt(plain);
      expect(box).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]*$/);
      expect(c.decrypt(box)).toBe(plain);
    }
  });

  it('never shows the plaintext and uses a fresh 96-bit IV each time', () => {
    const c = createCipher(key());
    const boxes = Array.from({ length: 50 }, () => c.encrypt('13800138000'));
    expect(new Set(boxes).size).toBe(50);
    expect(new Set(boxes.map((b) => b.split('.')[1])).size).toBe(50);
    for (const b of boxes) {
      expect(b).not.toContain('13800138000');
      expect(Buffer.from(b.split('.')[1], 'base64url')).toHaveLength(12);
      expect(Buffer.from(b.split('.')[2], 'base64url')).toHaveLength(16);
      expect(c.decrypt(b)).toBe('13800138000');
    }
  });

  it('detects tampering with the data, the tag or the IV', () => {
    const c = createCipher(key());
    const box = c.encrypt('refund 100.00 to order 42');
    expect(() => c.decrypt(flip(box, 3))).toThrow();
    expect(() => c.decrypt(flip(box, 3, 10))).toThrow();
    expect(() => c.decrypt(flip(box, 2))).toThrow();
    expect(() => c.decrypt(flip(box, 1))).toThrow();
  });

  it('refuses a truncated authentication tag', () => {
    const c = createCipher(key());
    const [v, iv, tag, data] = c.encrypt('secret').split('.');
    for (const len of [4, 8, 12, 15]) {
      const short = Buffer.from(tag, 'base64url').subarray(0, len).toString('base64url');
      expect(() => c.decrypt([v, iv, short, data].join('.'))).toThrow();
    }
  });

  it('refuses values that are not boxes, and boxes made with another key', () => {
    const c = createCipher(key());
    for (const bad of ['', 'plain text', 'v2.a.b.c', 'v1.only-iv', 'v1..tag.data'])
      expect(() => c.decrypt(bad)).toThrow();
    const other = createCipher(key());
    expect(() => other.decrypt(c.encrypt('hello'))).toThrow();
  });

  it('computes a deterministic, case- and space-insensitive blind index that depends on the key', () => {
    const k = key();
    const a = createCipher(k);
    const b = createCipher(Buffer.from(k)); // the same key in another buffer
    const other = createCipher(key());
    const idx = a.blindIndex('Alice@Example.com');
    expect(idx).toMatch(/^[\w-]{43}$/);
    expect(a.blindIndex('alice@example.com')).toBe(idx);
    expect(a.blindIndex('  ALICE@EXAMPLE.COM ')).toBe(idx);
    expect(b.blindIndex('alice@example.com')).toBe(idx);
    expect(a.blindIndex('bob@example.com')).not.toBe(idx);
    expect(other.blindIndex('alice@example.com')).not.toBe(idx);
    // The index is not simply a hash of the value: it does not leak it to anyone without the key.
    expect(idx).not.toBe(Buffer.from(sha256('alice@example.com'), 'hex').toString('base64url'));
  });

  it('requires a 32-byte key', () => {
    for (const n of [0, 16, 31, 33, 64]) expect(() => createCipher(randomBytes(n))).toThrow(/32 bytes/);
    expect(() => createCipher(randomBytes(32))).not.toThrow();
  });
});

describe('tokens and temporary passwords', () => {
  it('makes random URL-safe tokens of the requested size', () => {
    const tokens = Array.from({ length: 100 }, () => randomToken());
    expect(new Set(tokens).size).toBe(100);
    for (const t of tokens) expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    expect(Buffer.from(randomToken(16), 'base64url')).toHaveLength(16);
  });

  it('makes readable temporary passwords from an unambiguous alphabet', () => {
    const pws = Array.from({ length: 200 }, () => temporaryPassword());
    expect(new Set(pws).size).toBe(200);
    for (const p of pws) expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{4}(-[a-km-zA-HJ-NP-Z2-9]{4}){3}$/);
    expect(pws.join('')).not.toMatch(/[01lIO]/);
  });

  it('hashes with SHA-256 in hex', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('key ring', () => {
  const k1 = key();
  const k2 = key();
  const ring = (current: number, ...more: Buffer[]) => ({
    keys: new Map([[1, k1], ...more.map((k, i) => [i + 2, k] as [number, Buffer])]),
    current,
  });

  it('seals with the current key, reads values sealed by older ones, and reseals only those', () => {
    const old = createCipher(k1);
    const before = old.encrypt('13800138000');
    const c = createCipher(ring(2, k2));
    expect(c.currentVersion).toBe(2);
    const after = c.encrypt('13800138000');
    expect(after).toMatch(/^v2\.2\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(c.decrypt(before)).toBe('13800138000');
    expect([c.keyVersion(before), c.keyVersion(after)]).toEqual([1, 2]);
    const resealed = c.reseal(before)!;
    expect(c.keyVersion(resealed)).toBe(2);
    expect(c.decrypt(resealed)).toBe('13800138000');
    expect(c.reseal(after)).toBeNull();
    // A process without key 2 cannot read it; the version is part of what is authenticated by the key.
    expect(() => old.decrypt(after)).toThrow(/unknown encryption key 2/);
    expect(() => c.decrypt(after.replace(/^v2\.2\./, 'v2.1.'))).toThrow();
  });

  it('keeps blind indexes and signatures across a rotation (both derive from key 1)', () => {
    const a = createCipher(k1);
    const b = createCipher(ring(2, k2));
    expect(b.blindIndex('13800138000')).toBe(a.blindIndex('13800138000'));
    expect(b.verify(a.sign({ x: 1 }))).toEqual({ x: 1 });
  });

  it('asks for a fresh ring when a value names a key added elsewhere, and refuses a ring without key 1', () => {
    const writer = createCipher(ring(2, k2));
    let reloads = 0;
    const reader = createCipher(k1, {
      reload: () => {
        reloads++;
        return ring(2, k2);
      },
    });
    expect(reader.decrypt(writer.encrypt('hi'))).toBe('hi');
    expect(reloads).toBe(1);
    expect(reader.currentVersion).toBe(1); // it keeps sealing with its own current key until restarted
    expect(() => createCipher({ keys: new Map([[2, k2]]), current: 2 })).toThrow(/needs key 1/);
    expect(() => createCipher({ keys: new Map([[1, k1]]), current: 3 })).toThrow(/not in the key ring/);
  });
});
