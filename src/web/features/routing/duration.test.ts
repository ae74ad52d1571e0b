import { describe, expect, it } from 'vitest';
import { duration } from './duration.ts';

describe('war-room duration', () => {
  it('reads seconds, minutes and hours as before', () => {
    expect(duration(42)).toBe('42s');
    expect(duration(185)).toBe('3m 05s');
    expect(duration(2 * 3600 + 7 * 60)).toBe('2h 07m');
  });
  it('reads a day or more in days and hours (a demo agent offline for weeks showed "868h 46m")', () => {
    expect(duration(868 * 3600 + 46 * 60)).toBe('36d 4h');
    expect(duration(24 * 3600)).toBe('1d 0h');
  });
  it('reads in Chinese for the Chinese console (it showed "0s")', () => {
    expect(duration(0, 'zh-CN')).toBe('0秒');
    expect(duration(42, 'zh-CN')).toBe('42秒');
    expect(duration(185, 'zh-CN')).toBe('3分05秒');
    expect(duration(2 * 3600 + 7 * 60, 'zh-CN')).toBe('2小时07分');
    expect(duration(868 * 3600 + 46 * 60, 'zh-CN')).toBe('36天4小时');
    expect(duration(42, 'en')).toBe('42s');
  });
});
