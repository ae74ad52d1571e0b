/** The weekly report's dependency scan: `npm audit --json` of the installation. */
import { execFile } from 'node:child_process';
import type { OpsInputs } from './ops-health.ts';

/** `npm audit --json` of the installation (weekly report): the counts and advisories, or why it could not run. */
export type AuditRunner = () => Promise<OpsInputs['audit']>;
/**
 * `npm audit --json --omit=dev` of the installation (the process's folder), or of `cwd` against
 * `registry` (tests: a local server answering npm's bulk advisory endpoint).
 */
export const npmAuditWith =
  (o: { cwd?: string; registry?: string; env?: NodeJS.ProcessEnv } = {}): AuditRunner =>
  () =>
    new Promise((resolve) => {
      const args = ['audit', '--json', '--omit=dev', ...(o.registry ? ['--registry', o.registry] : [])];
      const opts = { timeout: 60_000, maxBuffer: 32 << 20, cwd: o.cwd, env: o.env };
      execFile('npm', args, opts, (err, stdout) => {
        try {
          const j = JSON.parse(stdout) as {
            message?: string;
            error?: { summary?: string };
            metadata?: { vulnerabilities?: Record<string, number> };
            vulnerabilities?: Record<string, { name: string; severity: string; via: ({ title?: string } | string)[] }>;
          };
          if (j.error || !j.metadata)
            // An unreachable registry gives an empty summary and the cause in `message`.
            return resolve({
              ok: false,
              reason: j.error?.summary || j.message || (err?.message.split('\n')[0] ?? 'no result'),
            });
          resolve({
            ok: true,
            counts: j.metadata.vulnerabilities ?? {},
            advisories: Object.values(j.vulnerabilities ?? {}).map((v) => ({
              name: v.name,
              severity: v.severity,
              title: v.via.map((x) => (typeof x === 'string' ? x : (x.title ?? ''))).join('; '),
            })),
          });
        } catch {
          resolve({ ok: false, reason: err ? err.message.split('\n')[0]! : 'npm audit printed no JSON' });
        }
      });
    });
export const npmAudit: AuditRunner = npmAuditWith();
