/** Red is for breaches and errors only (defect 7): ordinary states and labels are calm. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { priorityColors, statusColors } from './model.ts';

const alarming = ['red', 'error', 'volcano', 'magenta', '#ff4d4f', '#f5222d'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('colours', () => {
  it('gives no ticket status an alarming colour', () => {
    for (const [status, color] of Object.entries(statusColors)) expect(alarming, status).not.toContain(color);
  });

  it('keeps red for the most urgent priority at most', () => {
    expect(Object.entries(priorityColors).filter(([, c]) => alarming.includes(c))).toEqual([['urgent', 'red']]);
  });

  it('uses red and volcano (on tags, badges, alerts, timelines, anywhere) only where something failed, is down or breached', () => {
    const root = new URL('../../', import.meta.url).pathname;
    // Every quoted 'red' / "volcano" in the console's code, so `color={ok ? 'green' : 'red'}` and
    // colour maps count as well as `<Tag color="red">`.
    const found: Record<string, number> = {};
    for (const f of files(root)) {
      if (/\.test\.tsx?$/.test(f)) continue;
      const n = readFileSync(f, 'utf8').match(/(['"])(red|volcano)\1/g)?.length ?? 0;
      if (n) found[f.slice(root.length)] = n;
    }
    expect(found).toEqual({
      'features/backups/restore-card.tsx': 1, // a backup whose restore check failed
      'features/backups/runs-card.tsx': 1, // a failed backup run
      'features/incidents/incident-page.tsx': 3, // director engaged; a breach or failure in the timeline
      'features/incidents/incidents-page.tsx': 1, // director engaged (an escalated incident)
      'features/incidents/tags.tsx': 2, // P1; a triggered incident
      'features/knowledge/llm-settings-card.tsx': 1, // the LLM's last call failed
      'features/monitoring/overview.tsx': 1, // a P1 alert
      'features/monitoring/rules-tab.tsx': 1, // a firing alert
      'features/monitoring/status.tsx': 1, // a probe that is down
      'features/tickets/custom-fields-card.tsx': 1, // a required field left empty
      'features/tickets/model.ts': 1, // the urgent priority
      'features/tickets/sla-clock.ts': 2, // an SLA breached, or met late
      'features/tokens/tokens-page.tsx': 1, // an expired token
    });
  });
});
