/**
 * Writes a tiny MaxMind DB (`.mmdb`) for tests: no writer package is on the npm registry, and no
 * GeoLite database may be downloaded, so the format is written here as MaxMind documents it
 * (MaxMind DB File Format Specification 2.0): a binary search tree over the address bits (24-bit
 * records, IPv6 tree with IPv4 under ::/96), 16 zero bytes, the data section, then the metadata
 * marker and the metadata map. Networks must not overlap.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type MmdbValue = string | number | boolean | bigint | MmdbValue[] | { [k: string]: MmdbValue };
type Typed = { uint16: number } | { uint32: number } | { uint64: bigint };
type Value = MmdbValue | Typed;

const marker = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'); // \xAB\xCD\xEF "MaxMind.com"

function control(type: number, size: number): Buffer {
  const ext = type > 7 ? [type - 7] : [];
  const head = (t: number, bits: number) => Buffer.from([((type > 7 ? 0 : t) << 5) | bits, ...ext]);
  if (size < 29) return head(type, size);
  if (size < 285) return Buffer.concat([head(type, 29), Buffer.from([size - 29])]);
  if (size < 65_821) {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(size - 285);
    return Buffer.concat([head(type, 30), b]);
  }
  const b = Buffer.alloc(3);
  b.writeUIntBE(size - 65_821, 0, 3);
  return Buffer.concat([head(type, 31), b]);
}

function encode(v: Value): Buffer {
  if (typeof v === 'string') {
    const s = Buffer.from(v, 'utf8');
    return Buffer.concat([control(2, s.length), s]);
  }
  if (typeof v === 'boolean') return control(14, v ? 1 : 0);
  if (typeof v === 'number') {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v);
    return Buffer.concat([control(3, 8), b]);
  }
  if (typeof v === 'bigint') return encode({ uint64: v });
  if (Array.isArray(v)) return Buffer.concat([control(11, v.length), ...v.map(encode)]);
  if ('uint16' in v && typeof v.uint16 === 'number') {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(v.uint16);
    return Buffer.concat([control(5, 2), b]);
  }
  if ('uint32' in v && typeof v.uint32 === 'number') {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v.uint32);
    return Buffer.concat([control(6, 4), b]);
  }
  if ('uint64' in v && typeof v.uint64 === 'bigint') {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(v.uint64);
    return Buffer.concat([control(9, 8), b]);
  }
  const entries = Object.entries(v as Record<string, Value>);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, x]) => [encode(k), encode(x)])]);
}

/** The 128 bits of an address (IPv4 as ::a.b.c.d, where MaxMind's IPv6 trees keep it) and the prefix length. */
function bitsOf(cidr: string): { bits: number[]; prefix: number } {
  const [addr = '', len] = cidr.split('/');
  let bytes: number[];
  let offset = 0;
  if (isIPv4(addr)) {
    bytes = [...Array<number>(12).fill(0), ...addr.split('.').map(Number)];
    offset = 96;
  } else if (isIPv6(addr)) {
    const [head = '', tail = ''] = addr.split('::');
    const groups = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
    const h = groups(head);
    const t = groups(tail);
    const all = addr.includes('::') ? [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t] : h;
    bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  } else throw new Error(`not an address: ${cidr}`);
  const prefix = offset + (len === undefined ? 128 - offset : Number(len));
  const bits = bytes.flatMap((b) => [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (b >> i) & 1));
  return { bits, prefix };
}

type Rec = { node: number } | { data: number } | null;

/** An `.mmdb` whose networks (CIDR → record) answer lookups; every other address is not found. */
export function buildMmdb(
  networks: Record<string, MmdbValue>,
  meta: { databaseType?: string; languages?: string[] } = {},
): Buffer {
  const data: Buffer[] = [];
  let dataSize = 0;
  const nodes: [Rec, Rec][] = [[null, null]];
  for (const [cidr, record] of Object.entries(networks)) {
    const offset = dataSize;
    const bytes = encode(record);
    data.push(bytes);
    dataSize += bytes.length;
    const { bits, prefix } = bitsOf(cidr);
    let n = 0;
    for (let depth = 0; depth < prefix; depth++) {
      const side = bits[depth]!;
      const node = nodes[n]!;
      if (depth === prefix - 1) {
        node[side] = { data: offset };
        break;
      }
      const next = node[side];
      if (next && 'data' in next) throw new Error(`${cidr} overlaps another network`);
      if (next) n = next.node;
      else {
        nodes.push([null, null]);
        node[side] = { node: nodes.length - 1 };
        n = nodes.length - 1;
      }
    }
  }
  const count = nodes.length;
  const value = (r: Rec) => (r === null ? count : 'node' in r ? r.node : count + 16 + r.data);
  const tree = Buffer.alloc(count * 6);
  nodes.forEach(([l, r], i) => {
    tree.writeUIntBE(value(l), i * 6, 3);
    tree.writeUIntBE(value(r), i * 6 + 3, 3);
  });
  const metadata = encode({
    node_count: { uint32: count },
    record_size: { uint16: 24 },
    ip_version: { uint16: 6 },
    database_type: meta.databaseType ?? 'Kefu-Test-City',
    languages: meta.languages ?? ['en', 'zh-CN'],
    binary_format_major_version: { uint16: 2 },
    binary_format_minor_version: { uint16: 0 },
    build_epoch: { uint64: 1_764_979_200n },
    description: { en: 'A tiny test database written by Kefu tests (not MaxMind data)' },
  });
  return Buffer.concat([tree, Buffer.alloc(16), ...data, marker, metadata]);
}

/** A GeoIP2 City record as MaxMind's City databases hold it (the fields Kefu reads). */
export function cityRecord(o: {
  city: { en: string; zh?: string };
  subdivision?: { en: string; zh?: string; iso: string };
  country: { en: string; zh?: string; iso: string };
}): MmdbValue {
  const names = (n: { en: string; zh?: string }) => ({ en: n.en, ...(n.zh ? { 'zh-CN': n.zh } : {}) });
  return {
    city: { names: names(o.city) },
    ...(o.subdivision ? { subdivisions: [{ iso_code: o.subdivision.iso, names: names(o.subdivision) }] } : {}),
    country: { iso_code: o.country.iso, names: names(o.country) },
  };
}
