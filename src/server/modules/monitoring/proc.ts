/**
 * Host figures read from Linux's /proc files with asynchronous reads. `systeminformation` spawned
 * shells for some of them (`lsblk … | grep`, `cat /proc/diskstats`): a fork of the server process
 * per sample showed up as 4.7 % of the chat gateway's wall time and in its long tasks under load.
 * The parsers are pure (tested on recorded file contents); the formats are the kernel's
 * (Documentation/filesystems/proc.rst, iostats.rst).
 */
import { readFile } from 'node:fs/promises';

export type CpuTimes = { busy: number; total: number };
export type DiskTotals = { readBytes: number; writeBytes: number };
export type NetDevice = { iface: string; rx: number; tx: number; rxErrors: number; txErrors: number };

/** The aggregate `cpu` line of /proc/stat: busy = total − idle − iowait (in clock ticks). */
export function parseCpu(stat: string): CpuTimes | null {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (v.length < 4 || v.some((n) => !Number.isFinite(n))) return null;
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - v[3] - (v[4] ?? 0), total };
}

/** Share of CPU busy between two readings, 0–1 (0 when no time passed). */
export const cpuShare = (a: CpuTimes, b: CpuTimes): number =>
  b.total > a.total ? Math.min(1, Math.max(0, (b.busy - a.busy) / (b.total - a.total))) : 0;

/** MemTotal and MemAvailable of /proc/meminfo, in bytes. */
export function parseMeminfo(text: string): { total: number; available: number } | null {
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : null;
  };
  const total = kb('MemTotal');
  const available = kb('MemAvailable') ?? kb('MemFree');
  return total === null || available === null ? null : { total, available };
}

/**
 * Bytes read and written by whole disks in /proc/diskstats (sectors of 512 bytes). Partitions,
 * loop, ram and device-mapper devices are left out so nothing is counted twice.
 */
export function parseDiskstats(text: string): DiskTotals {
  const out = { readBytes: 0, writeBytes: 0 };
  const names = new Set<string>();
  const rows = text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 10);
  for (const f of rows) names.add(f[2]);
  for (const f of rows) {
    const name = f[2];
    if (/^(loop|ram|dm-|zram|sr)/.test(name)) continue;
    // A partition: its disk is listed too (sda1 → sda, nvme0n1p1 → nvme0n1, mmcblk0p1 → mmcblk0).
    const parent = name.replace(/p?\d+$/, '');
    if (parent !== name && names.has(parent)) continue;
    out.readBytes += Number(f[5]) * 512;
    out.writeBytes += Number(f[9]) * 512;
  }
  return out;
}

/** Per-interface byte and error counters of /proc/net/dev (the loopback interface left out). */
export function parseNetDev(text: string): NetDevice[] {
  const out: NetDevice[] = [];
  for (const line of text.split('\n').slice(2)) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const iface = line.slice(0, i).trim();
    const f = line
      .slice(i + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (iface === 'lo' || f.length < 16) continue;
    out.push({ iface, rx: f[0], rxErrors: f[2], tx: f[8], txErrors: f[10] });
  }
  return out;
}

const read = (file: string) => readFile(file, 'utf8').catch(() => '');

export type ProcReadings = {
  cpu: CpuTimes | null;
  mem: { total: number; available: number } | null;
  disk: DiskTotals | null;
  net: NetDevice[];
};

/** One reading of the four files (each missing file gives null or nothing, e.g. outside Linux). */
export async function readProc(): Promise<ProcReadings> {
  const [stat, meminfo, diskstats, netdev] = await Promise.all(
    ['/proc/stat', '/proc/meminfo', '/proc/diskstats', '/proc/net/dev'].map(read),
  );
  return {
    cpu: parseCpu(stat),
    mem: parseMeminfo(meminfo),
    disk: diskstats ? parseDiskstats(diskstats) : null,
    net: netdev ? parseNetDev(netdev) : [],
  };
}
