/**
 * A real Prometheus for tests (Debian's `prometheus` package; .ci/run installs it): the remote-write
 * receiver of remote.test.ts and the scraper of exposed.test.ts. Without the binary it throws and
 * says how to get it: the suites that need it are never skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './spawn.ts';

const binary = '/usr/bin/prometheus';

export type Prom = { url: string; stop(): Promise<void> };

/**
 * A real Prometheus on a free port with a temporary TSDB and its remote-write receiver on; with
 * `scrape`, it scrapes those `host:port` targets' /metrics every second (job `kefu`).
 */
export async function startPrometheus(o: { scrape?: string[] } = {}): Promise<Prom> {
  if (!existsSync(binary))
    throw new Error(
      `${binary} is missing: install Debian's \`prometheus\` package (apt-get install prometheus; .ci/run does) — this suite needs a real remote-write receiver${process.env.CI === 'true' ? ' (CI=true: it must run)' : ''}`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'kefu-prom-'));
  const scrape = o.scrape?.length
    ? `scrape_configs:\n  - job_name: kefu\n    scrape_interval: 1s\n    scrape_timeout: 1s\n    static_configs:\n      - targets: [${o.scrape.map((t) => `'${t}'`).join(', ')}]\n`
    : 'scrape_configs: []\n';
  writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1m\n${scrape}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${output.slice(-2000)}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready in 60 s: ${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
