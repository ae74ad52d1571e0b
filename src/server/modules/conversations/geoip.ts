/**
 * A shopper's city from their address, read from a local MaxMind database (`geoipDatabase`: a
 * GeoIP2/GeoLite2 City `.mmdb` the operator provides; nothing is downloaded). Opened once per
 * process on first use; without the setting, or when the file cannot be read, there is no city.
 */
import maxmind, { type CityResponse, type Reader } from 'maxmind';
import type { Services } from '../../context.ts';
import type { CityLookup } from './shopper-context.ts';

const readers = new Map<string, Promise<Reader<CityResponse> | null>>();

function readerFor(s: Pick<Services, 'log'>, path: string) {
  let r = readers.get(path);
  if (!r) {
    r = maxmind.open<CityResponse>(path, { watchForUpdates: false }).catch((err: unknown) => {
      s.log.warn({ err, path }, 'the GeoIP database could not be opened: no cities');
      return null;
    });
    readers.set(path, r);
  }
  return r;
}

/** "杭州 浙江 中国" (the shopper's language is not known: Chinese names first, then English). */
export function cityName(r: CityResponse | null): string | null {
  if (!r) return null;
  const name = (n?: { names?: { 'zh-CN'?: string; en?: string } }) => n?.names?.['zh-CN'] ?? n?.names?.en;
  const parts = [name(r.city), name(r.subdivisions?.[0]), name(r.country)].filter(Boolean) as string[];
  return parts.length ? [...new Set(parts)].join(' ') : null;
}

export function cityLookup(s: Pick<Services, 'config' | 'log'>): CityLookup | undefined {
  const path = s.config.geoipDatabase;
  if (!path) return undefined;
  return async (ip) => {
    const reader = await readerFor(s, path);
    const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1] ?? ip;
    return reader && maxmind.validate(v4) ? cityName(reader.get(v4)) : null;
  };
}
