import { describe, expect, it } from 'vitest';
import { safeColor, textOn } from './color.ts';

describe('textOn', () => {
  it('picks the more readable text colour for the inbox colour', () => {
    expect(textOn('#1677ff')).toBe('#fff'); // antd blue, the default
    expect(textOn('#000000')).toBe('#fff');
    expect(textOn('#ffffff')).toBe('#111');
    expect(textOn('#fadb14')).toBe('#111'); // yellow
    expect(textOn('#52c41a')).toBe('#111'); // light green reads better with dark text
    expect(textOn('#cf1322')).toBe('#fff'); // red
  });

  it('never lets a malformed colour through to CSS', () => {
    expect(safeColor('#AbCdEf')).toBe('#AbCdEf');
    expect(safeColor('red;background:url(x)')).toBe('#1677ff');
    expect(safeColor(undefined)).toBe('#1677ff');
  });
});
