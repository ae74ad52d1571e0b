/**
 * The monthly statement as a real PDF, without a browser: the demo month's late P2 (12,000.00 CNY)
 * read back from the file with poppler's `pdftotext` (Chinese text survives the font subset), and
 * the first page rendered with `pdftoppm` into docs/screenshots/ to look at.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { testApp, type TestApp } from '../../testing/harness.ts';
import { seedIncidents } from './seed.ts';

const shots = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));

describe('the monthly penalty statement as PDF', () => {
  let t: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'kefu-statement-pdf-'));
  afterEach(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a PDF with the figures, in Chinese and English, and renders', { timeout: 120_000 }, async () => {
    const clock = manualClock('2026-03-20T02:00:00Z');
    t = await testApp('sqlite', { clock });
    const { owner, id } = await t.workspace('demo');
    await seedIncidents(t.s, { workspaceId: id, ownerId: owner.actor.userId });
    await owner.post('/api/ops/penalties/2026-03/sign-off', { party: 'merchant' });

    const zh = await owner.get('/api/ops/penalties/2026-03?format=pdf');
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-type']).toBe('application/pdf');
    expect(zh.headers['content-disposition']).toBe('attachment; filename="penalty-statement-2026-03.pdf"');
    expect(zh.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(dir, 'zh.pdf');
    writeFileSync(file, zh.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('故障扣款月度对账单 · 2026-03');
    expect(text).toContain('12,000.00'); // the late P2: 2 started hours × 0.5 % of 1,200,000
    expect(text).toContain('1,200,000.00 CNY');
    expect(text).toMatch(/商家: 已确认/);
    expect(text).toMatch(/运维服务商: 待确认/);
    // Small: only the glyphs used are embedded (the font files are ~10 MB each).
    expect(zh.rawPayload.length).toBeLessThan(400_000);

    const en = await owner.request({
      method: 'GET',
      url: '/api/ops/penalties/2026-03?format=pdf',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    const enFile = join(dir, 'en.pdf');
    writeFileSync(enFile, en.rawPayload);
    expect(execFileSync('pdftotext', [enFile, '-'], { encoding: 'utf8' })).toContain('Monthly penalty statement');

    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'page')]);
    const png = readFileSync(join(dir, 'page.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    copyFileSync(join(dir, 'page.png'), join(shots, 'incidents-statement-pdf.png'));
  });
});
