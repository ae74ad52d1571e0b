import { describe, expect, it } from 'vitest';
import { cpuShare, parseCpu, parseDiskstats, parseMeminfo, parseNetDev, readProc } from './proc.ts';

describe('host figures from /proc', () => {
  it('reads the busy share of the aggregate cpu line between two readings', () => {
    const a = parseCpu('cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50 0 0 0 0 0\n')!;
    const b = parseCpu('cpu  200 0 200 1200 200 0 0 0 0 0\n')!;
    expect(a).toEqual({ busy: 200, total: 1000 });
    expect(cpuShare(a, b)).toBeCloseTo(200 / 800); // 200 busy ticks of 800 (idle 500 and iowait 100 are not busy)
    expect(cpuShare(b, b)).toBe(0);
    expect(parseCpu('intr 1 2 3')).toBeNull();
  });

  it('reads total and available memory in bytes, MemFree when MemAvailable is missing', () => {
    expect(parseMeminfo('MemTotal:       16384 kB\nMemFree:   1024 kB\nMemAvailable:    8192 kB\n')).toEqual({
      total: 16384 * 1024,
      available: 8192 * 1024,
    });
    expect(parseMeminfo('MemTotal: 2048 kB\nMemFree: 512 kB\n')).toEqual({ total: 2048 * 1024, available: 512 * 1024 });
    expect(parseMeminfo('')).toBeNull();
  });

  it('counts whole disks once: not their partitions, loop or device-mapper devices', () => {
    const text = [
      '   7       0 loop0 10 0 80 0 0 0 0 0 0 0 0',
      ' 253       0 vda 100 0 2000 0 50 0 4000 0 0 0 0',
      ' 253       1 vda1 90 0 1800 0 40 0 3900 0 0 0 0',
      ' 259       0 nvme0n1 10 0 100 0 5 0 60 0 0 0 0',
      ' 259       1 nvme0n1p1 10 0 100 0 5 0 60 0 0 0 0',
      ' 252       0 dm-0 90 0 1800 0 40 0 3900 0 0 0 0',
    ].join('\n');
    expect(parseDiskstats(text)).toEqual({ readBytes: (2000 + 100) * 512, writeBytes: (4000 + 60) * 512 });
  });

  it('reads bytes and errors per interface, without loopback', () => {
    const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 377 18 0 0 0 0 0 0 377 18 0 0 0 0 0 0
  eth0: 1000 10 2 0 0 0 0 0 3000 20 4 0 0 0 0 0
`;
    expect(parseNetDev(text)).toEqual([{ iface: 'eth0', rx: 1000, rxErrors: 2, tx: 3000, txErrors: 4 }]);
  });

  it('reads this machine without starting a process', async () => {
    const p = await readProc();
    if (process.platform !== 'linux') return expect(p.cpu).toBeNull();
    expect(p.cpu!.total).toBeGreaterThan(0);
    expect(p.mem!.available).toBeLessThanOrEqual(p.mem!.total);
    expect(p.disk).not.toBeNull();
  });
});
