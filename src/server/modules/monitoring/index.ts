/**
 * Monitoring module (issue #11): the installation's samplers, series store, probes, alert rules
 * in a PromQL subset, and the pages that show them. Monitoring is of the installation: its home
 * workspace's owner, admins and ops engineers manage it (`installation.ops`); every merchant
 * workspace reads the health of the components it depends on.
 */
import { OpsConfig } from '../../../shared/ops-api.ts';
import type { Services } from '../../context.ts';
import type { KefuModule } from '../../module.ts';
import { monitoringEvents } from './events.ts';
import { applyOpsConfig } from './ops-config.ts';
import { seedDemoHistory } from './demo-history.ts';
import { registerExposedSeries } from './exposed.ts';
import { registerHostMetrics } from './host.ts';
import { monitoringRoutes } from './routes.ts';
import { ensureBuiltIns, retentionOf, ruleEvaluatorOf, runtime, startMonitoring, stopMonitoring } from './runtime.ts';

/** Alert events (`alert.firing` / `alert.resolved`) and their payload: what the incidents module consumes. */
export { alertPayload, severities, type AlertEvent, type Severity } from './events.ts';
/** Components and which workspaces depend on them. */
export {
  builtInComponents,
  componentsOfWorkspace,
  listComponents,
  workspacesDependingOn,
  type Component,
} from './components.ts';

/** A workspace's components with status and 90-day uptime, and the public status page's HTML (the incidents module serves `/status/:slug`: it adds the incidents). */
export { workspaceHealth, type ComponentHealth } from './health.ts';
export { renderStatusPage, type StatusIncident } from './status-page.ts';
export { saveProbe } from './probes.ts';

/** Config as code (`kefu ops apply` / `export`, PUT /api/ops/config). */
export {
  applyOpsConfig,
  exportOpsConfig,
  formatApplyResult,
  parseOpsDocument,
  validateOpsConfig,
  type ApplyResult,
} from './ops-config.ts';
/** One pass of this process's rule evaluator at `now` (the ops loop's leader runs it on its own); the rules evaluated. */
export const evaluateRulesOnce = (s: Services, now: number): Promise<number> => ruleEvaluatorOf(s).tick(now);
/** Metric names the series store holds (unknown-metric warnings). */
export const knownMetricNames = (s: Services): Promise<string[]> => runtime(s).store.names();

export const monitoringModule: KefuModule = {
  name: 'monitoring',
  tables: [
    'monitoring_components',
    'monitoring_series',
    'monitoring_samples',
    'monitoring_rollups',
    'monitoring_probes',
    'monitoring_leases',
    'monitoring_config',
    'monitoring_alerts',
  ],
  events: monitoringEvents,
  permissions: ['installation.ops', 'ops.read'],
  routes: monitoringRoutes,
  metrics: (s) => {
    registerHostMetrics(s);
    registerExposedSeries(s, () => runtime(s));
  },
  start: startMonitoring,
  stop: stopMonitoring,
  // Demo: the shop's own dependency (its order sync, watched by a push probe its cron calls) and, in
  // the living demo, the weekly maintenance window the ops vendor keeps.
  seed: async (s) => {
    await applyOpsConfig(
      s,
      OpsConfig.parse({
        components: [
          { name: 'taobao_sync', title: '淘宝订单同步', titleEn: 'Taobao order sync', workspaces: ['demo'] },
        ],
        probes: [
          {
            name: '订单同步任务',
            type: 'push',
            interval: '1h',
            timeout: '15m',
            component: 'taobao_sync',
            description: '每小时同步一次淘宝订单的定时任务（推送探针）',
            enabled: false,
          },
        ],
        // The weekly window only with the living demo: in an otherwise empty demo workspace (the test
        // suites' processes) it silenced every alert on Tuesdays 02:00–03:00 Beijing time, and the
        // tests that wait for an alert or its incident failed in that hour each week.
        maintenance: s.config.demoData
          ? [
              {
                name: '每周二凌晨例行维护',
                recurring: { weekdays: [2], start: '02:00', duration: '1h', timezone: 'Asia/Shanghai' },
              },
            ]
          : [],
      }),
    );
    if (s.config.demoData) {
      // The built-in probes now rather than at the first start (a no-op then): the demo's history
      // and its daily health report of yesterday, produced by the demo content, name them.
      if (s.config.monitoring) await ensureBuiltIns(s, null);
      await seedDemoHistory(s);
    }
  },
  schedules: [{ name: 'monitoring.prune', cron: '23 * * * *', jobType: 'monitoring.prune' }],
  jobs: {
    'monitoring.prune': async (_job, s) => {
      await runtime(s).store.prune(s.clock.now().getTime(), retentionOf(s));
    },
  },
};
