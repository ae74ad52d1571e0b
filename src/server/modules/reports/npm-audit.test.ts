/**
 * The weekly inspection's vulnerability section from a real `npm audit` (the system's npm) of a
 * small project against a local registry that answers npm's bulk advisory endpoint: a high advisory
 * for lodash 4.17.20 (a new one this week) and a moderate one for minimist 1.2.5 (known last week);
 * last week's "left-pad" is gone. The registry unreachable → the section says the scan could not run.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemNpmEnv } from '../../testing/system-npm.ts';
import { freePort } from '../../testing/spawn.ts';
import { buildOps } from './build-ops.ts';
import type { Block } from './document.ts';
import type { OpsInputs } from './ops-health.ts';
import { parsePeriod } from './periods.ts';
import { npmAuditWith } from './service.ts';
import { toHtml } from './render.ts';

const deps = { lodash: '4.17.20', minimist: '1.2.5' };
const advisories: Record<string, object[]> = {
  lodash: [
    {
      id: 1106913,
      url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
      title: 'Command Injection in lodash',
      severity: 'high',
      vulnerable_versions: '<4.17.21',
      cwe: ['CWE-77'],
      cvss: { score: 7.2, vectorString: null },
    },
  ],
  minimist: [
    {
      id: 1097677,
      url: 'https://github.com/advisories/GHSA-vh95-rmgr-6w4m',
      title: 'Prototype Pollution in minimist',
      severity: 'moderate',
      vulnerable_versions: '<1.2.6',
      cwe: ['CWE-1321'],
      cvss: { score: 5.6, vectorString: null },
    },
  ],
};

let server: Server;
let registry: string;
let project: string;
const asked: Record<string, string[]>[] = [];
// Each npm run in this file: no retries (an unreachable registry fails at once) and the system's npm.
const env = () => ({ ...systemNpmEnv(), npm_config_fetch_retries: '0', npm_config_audit_level: 'none' });

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'kefu-audit-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', dependencies: deps }));
  writeFileSync(
    join(project, 'package-lock.json'),
    JSON.stringify({
      name: 'shop',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'shop', version: '1.0.0', dependencies: deps },
        ...Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v }])),
      },
    }),
  );
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/-/npm/v1/security/advisories/bulk') {
        const body = Buffer.concat(chunks);
        const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
        const names = JSON.parse(text.toString()) as Record<string, string[]>;
        asked.push(names);
        res.end(JSON.stringify(Object.fromEntries(Object.keys(names).map((n) => [n, advisories[n] ?? []]))));
        return;
      }
      // Packuments (npm looks up whether a fix exists): the vulnerable and the fixed version.
      const name = decodeURIComponent((req.url ?? '/').slice(1));
      const fixed = name === 'lodash' ? '4.17.21' : '1.2.8';
      const versions = [deps[name as keyof typeof deps], fixed].filter(Boolean);
      if (!versions[0]) return void res.writeHead(404).end('{}');
      res.end(
        JSON.stringify({
          name,
          'dist-tags': { latest: fixed },
          versions: Object.fromEntries(
            versions.map((v) => [v, { name, version: v, dist: { tarball: `${registry}${name}/-/${name}-${v}.tgz` } }]),
          ),
        }),
      );
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  registry = `http://127.0.0.1:${port}/`;
}, 60_000);
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  rmSync(project, { recursive: true, force: true });
});

const weekly = (audit: OpsInputs['audit'], previousAdvisories: string[] | null) =>
  buildOps({
    workspaceId: 'wsp_1',
    type: 'weekly',
    period: parsePeriod('week', '2026-W45', 'Asia/Shanghai')!,
    probes: [],
    minute: {},
    hourly: {},
    backups: [],
    incidents: [],
    audit,
    previousAdvisories,
    sloPercent: 99.9,
    logs: null,
    perf: null,
    penalty: null,
  });
const vulnerabilities = (doc: ReturnType<typeof weekly>) => doc.sections.find((s) => s.id === 'vulnerabilities')!;

describe('weekly inspection: npm audit', () => {
  it('shows the registry’s findings and what changed since last week', async () => {
    const audit = await npmAuditWith({ cwd: project, registry, env: env() })();
    expect(asked).toEqual([{ lodash: ['4.17.20'], minimist: ['1.2.5'] }]);
    expect(audit).toEqual({
      ok: true,
      counts: expect.objectContaining({ high: 1, moderate: 1, critical: 0, total: 2 }),
      advisories: [
        { name: 'lodash', severity: 'high', title: 'Command Injection in lodash' },
        { name: 'minimist', severity: 'moderate', title: 'Prototype Pollution in minimist' },
      ],
    });
    const section = vulnerabilities(weekly(audit, ['minimist', 'left-pad']));
    expect(section.noSource).toBeNull();
    const table = section.blocks.find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table')!;
    expect(table.rows).toEqual([
      ['lodash', 'high', 'Command Injection in lodash', { zh: '本周新增', en: 'New this week' }],
      ['minimist', 'moderate', 'Prototype Pollution in minimist', { zh: '上周已有', en: 'Known last week' }],
    ]);
    // Words in cells follow the report's languages as its labels do: both in HTML, Chinese in the PDF's table.
    const html = toHtml(weekly(audit, ['minimist']));
    expect(html).toContain('<td>本周新增 / New this week</td>');
    expect(html).toContain('<td>上周已有 / Known last week</td>');
    const notes = section.blocks.flatMap((b) => (b.kind === 'note' ? [b.text.en] : []));
    expect(notes).toContain('Gone since last week: left-pad');
  }, 120_000);

  it('says the scan could not run when the registry does not answer', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/`;
    const audit = await npmAuditWith({ cwd: project, registry: closed, env: env() })();
    expect(audit).toMatchObject({ ok: false, reason: expect.stringMatching(/advisories\/bulk failed.*ECONNREFUSED/) });
    const section = vulnerabilities(weekly(audit, null));
    expect(JSON.stringify(section)).toMatch(
      /npm audit could not run: request to .* failed, reason: connect ECONNREFUSED/,
    );
  }, 120_000);
});
