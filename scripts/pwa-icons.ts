/**
 * The console's PNG app icons (install prompts and Android home screens want PNG, not only SVG),
 * drawn from src/web/public/icon.svg and icon-maskable.svg by Chromium (nothing else on the
 * machine renders SVG: no sharp) and committed: icon-192.png, icon-512.png, icon-maskable-512.png.
 * Run again after changing an SVG: npx node scripts/pwa-icons.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const dir = fileURLToPath(new URL('../src/web/public/', import.meta.url));
const icons = [
  { svg: 'icon.svg', png: 'icon-192.png', size: 192 },
  { svg: 'icon.svg', png: 'icon-512.png', size: 512 },
  { svg: 'icon-maskable.svg', png: 'icon-maskable-512.png', size: 512 },
];

const browser = await chromium.launch({
  executablePath: process.env.KEFU_E2E_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  for (const icon of icons) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    const svg = readFileSync(`${dir}${icon.svg}`).toString('base64');
    await page.setContent(
      `<html><body style="margin:0;background:transparent">` +
        `<img src="data:image/svg+xml;base64,${svg}" width="${icon.size}" height="${icon.size}" style="display:block">` +
        `</body></html>`,
    );
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    await page.screenshot({ path: `${dir}${icon.png}`, omitBackground: true });
    await page.close();
    console.log(`${icon.png} (${icon.size}×${icon.size})`);
  }
} finally {
  await browser.close();
}
