/**
 * Browser-test support: starts the real Kefu server (a child process on a free port with its own
 * data directory), launches Debian's Chromium through playwright-core, and tears both down.
 * Without /usr/bin/chromium the suite is skipped with a message, or fails when CI=true.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { describe } from 'vitest';

export const root = fileURLToPath(new URL('../', import.meta.url));
export const chromiumPath = process.env.KEFU_E2E_CHROMIUM ?? '/usr/bin/chromium';
/**
 * Screenshots go to a temporary folder, so `npm test` leaves the work tree clean; set
 * KEFU_SCREENSHOTS=docs to refresh the committed ones in docs/screenshots.
 */
export const screenshotDir =
  process.env.KEFU_SCREENSHOTS === 'docs' ? join(root, 'docs/screenshots') : join(tmpdir(), 'kefu-screenshots');
export const adminEmail = 'admin@kefu.local';
export const adminPassword = process.env.KEFU_E2E_ADMIN_PASSWORD ?? 'E2e-Admin-Passw0rd!';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** `describe` when Chromium is installed; otherwise skip (or throw under CI=true) with a clear message. */
export function describeWithBrowser(name: string, body: () => void): void {
  if (existsSync(chromiumPath)) {
    describe(name, body);
    return;
  }
  const message = `${chromiumPath} not found: install it with \`apt-get install -y chromium\` (or set KEFU_E2E_CHROMIUM)`;
  if (process.env.CI === 'true') throw new Error(`e2e: ${message}`);
  console.warn(`\n  [e2e] skipping "${name}": ${message}\n`);
  describe.skip(name, body);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export type RunningServer = { url: string; logs: () => string; stop: () => Promise<void> };

/**
 * Starts `kefu start` (which builds the console and widget when stale) and waits until GET /readyz answers 200;
 * `env`: settings for this server (KEFU_* variables).
 * With KEFU_E2E_URL set, uses that already running server instead (its admin password must be
 * KEFU_E2E_ADMIN_PASSWORD or the default above).
 */
export async function startServer(
  opts: { demoData?: boolean; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  // Vitest sets NODE_ENV=test; the console must be built (and the server run) as in production.
  const env = { ...process.env };
  delete env.NODE_ENV;
  const external = process.env.KEFU_E2E_URL;
  if (external) return { url: external.replace(/\/$/, ''), logs: () => '', stop: async () => undefined };

  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-e2e-'));
  let output = '';
  const child: ChildProcess = spawn(
    'npx',
    ['node', 'bin/kefu.js', 'start', '--port', String(port), '--data-dir', dataDir],
    {
      cwd: root,
      // The demo workspace starts empty (the suites make their own data) unless a test asks for the living demo.
      env: {
        ...env,
        KEFU_ADMIN_PASSWORD: adminPassword,
        KEFU_DEMO_DATA: opts.demoData ? 'true' : 'false',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so stop() ends npx, node and anything they started
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let alive = true;
  void exited.then(() => {
    alive = false;
  });

  const stop = async () => {
    if (alive && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000));
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (!alive) {
      await stop();
      throw new Error(`kefu start exited before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return { url, logs: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stop();
  throw new Error(`kefu start was not ready within 150 s:\n${output}`);
}

export type BrowserSession = {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors seen so far (failed resource loads excluded: 401/403 are expected). */
  problems: string[];
  close: () => Promise<void>;
};

export async function launchBrowser(baseURL: string): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
      problems.push(`console: ${msg.text()}`);
  });
  return {
    browser,
    context,
    page,
    problems,
    close: async () => {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
  };
}

/** Saves docs/screenshots/<name>.png once animations have settled and earlier toasts have gone. */
/**
 * Labels whose `for` names no element on the page (defect 10: the label lookup and screen readers
 * fail). Lint checks that labels have a control; only the rendered page shows that the id exists.
 */
export async function danglingLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('label[for]')]
      .filter((l) => !document.getElementById(l.getAttribute('for') ?? ''))
      .map((l) => `${l.getAttribute('for')} (${(l.textContent ?? '').trim().slice(0, 30)})`),
  );
}

export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page
    .waitForFunction(() => !document.querySelector('.ant-message-notice'), null, { timeout: 8_000 })
    .catch(() => undefined);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), animations: 'disabled', fullPage: opts.fullPage });
}

export type ShopServer = {
  /** The shop's origin, e.g. http://localhost:41234: a different site from Kefu's, as on the web. */
  origin: string;
  /** The shop page embedding the widget of the inbox with this public id. */
  url: (publicId: string) => string;
  stop: () => Promise<void>;
};

/**
 * Serves e2e/fixtures/shop.html from a second origin (localhost when Kefu is on 127.0.0.1 and
 * the other way round), with its script tag pointing at Kefu's /widget.js and the inbox's public
 * id from `?inbox=`, under a CSP a careful shop would send (scripts and frames only from itself
 * and Kefu, no inline script).
 */
export async function startShop(kefuUrl: string): Promise<ShopServer> {
  const kefu = new URL(kefuUrl);
  const template = readFileSync(join(root, 'e2e/fixtures/shop.html'), 'utf8');
  const server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://shop');
    const inbox = url.searchParams.get('inbox') ?? '';
    if (url.pathname !== '/' || !/^[\w-]{1,64}$/.test(inbox)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const html = template.replace('__PUBLIC_ID__', inbox).replace('src="/widget.js"', `src="${kefu.origin}/widget.js"`);
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': `default-src 'self'; script-src 'self' ${kefu.origin}; frame-src ${kefu.origin}; style-src 'self' 'unsafe-inline'; img-src 'self' data:`,
      })
      .end(html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = kefu.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  const origin = `http://${host}:${port}`;
  return {
    origin,
    url: (publicId) => `${origin}/?inbox=${encodeURIComponent(publicId)}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
