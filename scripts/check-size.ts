/**
 * Size budgets of the web widget (CI runs this after the build): the loader is downloaded by every
 * page view of every shop that embeds Kefu, the frame by every shopper who opens the chat.
 * Usage: npx node scripts/check-size.ts   (exits 1 when a budget is exceeded or the build is missing)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist/widget');
const kb = 1024;

type Budget = { name: string; files: string[]; limit: number };

function gzipSize(file: string): number {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

function listFrameFiles(): string[] {
  const assets = join(dist, 'assets');
  const files = existsSync(assets)
    ? readdirSync(assets)
        .filter((f) => /\.(js|css)$/.test(f))
        .map((f) => join(assets, f))
    : [];
  return [join(dist, 'frame.html'), ...files];
}

const budgets: Budget[] = [
  { name: 'loader (widget.js)', files: [join(dist, 'widget.js')], limit: 6 * kb },
  { name: 'frame (HTML + JS + CSS)', files: listFrameFiles(), limit: 60 * kb },
];

const format = (bytes: number) => `${(bytes / kb).toFixed(2)} KB`;
let failed = false;
for (const budget of budgets) {
  const missing = budget.files.filter((f) => !existsSync(f));
  if (missing.length) {
    console.error(
      `✗ ${budget.name}: missing ${missing.map((f) => relative(root, f)).join(', ')} — run \`npx vite build --config vite.widget.config.ts\` first`,
    );
    failed = true;
    continue;
  }
  let total = 0;
  for (const file of budget.files) {
    const size = gzipSize(file);
    total += size;
    console.log(
      `    ${relative(root, file).padEnd(48)} ${format(size).padStart(10)} gzip   ${format(readFileSync(file).length).padStart(10)} raw`,
    );
  }
  const ok = total <= budget.limit;
  if (!ok) failed = true;
  console.log(
    `${ok ? '✓' : '✗'} ${budget.name}: ${format(total)} gzipped of ${format(budget.limit)} budget${ok ? '' : ' — OVER BUDGET'}\n`,
  );
}
process.exit(failed ? 1 : 0);
