/**
 * A streaming ZIP writer (stored entries, no compression: exports are mostly JSON and already
 * compressed images). Each entry's CRC-32 and sizes follow its data in a data descriptor, so files
 * are streamed from the blob store without being held in memory. UTF-8 names (flag bit 11).
 * No ZIP64: an entry or the archive beyond 4 GiB is refused.
 */
import { PassThrough, type Readable } from 'node:stream';
import { crc32 } from 'node:zlib';

export type ZipEntry = { name: string; data: Buffer | (() => Promise<Readable>) };

const limit = 0xffffffff;
const flags = 0x0808; // data descriptor follows; names are UTF-8

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** The archive as a stream; entries are read one after another as the reader consumes it. */
export function zipStream(entries: readonly ZipEntry[], at: Date): Readable {
  const out = new PassThrough();
  const { time, date } = dosTime(at);
  const write = async (b: Buffer) => {
    if (!out.write(b)) await new Promise((r) => out.once('drain', r));
  };
  void (async () => {
    const central: Buffer[] = [];
    let offset = 0;
    for (const e of entries) {
      const name = Buffer.from(e.name, 'utf8');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(flags, 6);
      local.writeUInt16LE(0, 8); // stored
      local.writeUInt16LE(time, 10);
      local.writeUInt16LE(date, 12);
      local.writeUInt16LE(name.length, 26);
      await write(Buffer.concat([local, name]));
      let crc = 0;
      let size = 0;
      const chunks: Iterable<Buffer> | AsyncIterable<Buffer> = Buffer.isBuffer(e.data) ? [e.data] : await e.data();
      for await (const chunk of chunks) {
        crc = crc32(chunk, crc);
        size += chunk.length;
        if (size > limit) throw new Error(`${e.name} is larger than 4 GiB`);
        await write(chunk);
      }
      const desc = Buffer.alloc(16);
      desc.writeUInt32LE(0x08074b50, 0);
      desc.writeUInt32LE(crc >>> 0, 4);
      desc.writeUInt32LE(size, 8);
      desc.writeUInt32LE(size, 12);
      await write(desc);
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4);
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(flags, 8);
      c.writeUInt16LE(0, 10);
      c.writeUInt16LE(time, 12);
      c.writeUInt16LE(date, 14);
      c.writeUInt32LE(crc >>> 0, 16);
      c.writeUInt32LE(size, 20);
      c.writeUInt32LE(size, 24);
      c.writeUInt16LE(name.length, 28);
      c.writeUInt32LE(offset, 42);
      central.push(c, name);
      offset += 30 + name.length + size + 16;
      if (offset > limit) throw new Error('the archive is larger than 4 GiB');
    }
    const dir = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(dir.length, 12);
    end.writeUInt32LE(offset, 16);
    await write(Buffer.concat([dir, end]));
    out.end();
  })().catch((err: unknown) => out.destroy(err as Error));
  return out;
}
