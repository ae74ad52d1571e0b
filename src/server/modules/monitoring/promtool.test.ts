/**
 * Prometheus interop: the rule file Kefu exports (`kefu ops export --prometheus`: the built-in
 * rules and the documented example's) is a valid Prometheus rule file by `promtool check rules`
 * from Debian's `prometheus` package (.ci/run installs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { OpsConfig } from '../../../shared/ops-api.ts';
import { defaultOpsConfig } from './defaults.ts';
import { parseOpsDocument } from './ops-config.ts';

const docs = readFileSync(fileURLToPath(new URL('../../../../docs/OPERATIONS.md', import.meta.url)), 'utf8');
const example = /<!-- ops-example -->\n```yaml\n([\s\S]*?)```/.exec(docs)![1];

describe('promtool check rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-promtool-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the exported built-in rules and the documented example', () => {
    const builtIn = OpsConfig.parse(defaultOpsConfig('http://127.0.0.1:3000'));
    const documented = parseOpsDocument(example).config!;
    const groups = [...builtIn.groups, ...documented.groups];
    expect(groups.length).toBeGreaterThan(3);
    const file = join(dir, 'rules.yml');
    writeFileSync(file, stringify({ groups }, { lineWidth: 0 }));
    const out = execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    const rules = groups.reduce((n, g) => n + g.rules.length, 0);
    expect(out).toMatch(new RegExp(`SUCCESS: ${rules} rules found`));
  });

  it('rejects what Prometheus would (the check is not a rubber stamp)', () => {
    const file = join(dir, 'bad.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'rate(x[5m]' }] }] }));
    expect(() => execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8', stdio: 'pipe' })).toThrow();
  });
});
