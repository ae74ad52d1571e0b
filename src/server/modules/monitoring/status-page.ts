/**
 * The public status page of a workspace: `/status/<slug>` (stable, no sign-in), the components the
 * workspace depends on with their current status and 90-day uptime bars, and the incidents that
 * affect it (current ones, then those of the last 90 days) with their public updates, in Chinese
 * or English (`?lang=en`, else the Accept-Language header, else the workspace's language). Plain
 * HTML with inline styles: readable on a phone, no script. The incidents module serves the route
 * (it comes after monitoring and gathers the incidents); this file only renders what it is given.
 */
import { formatInZone } from '../../lib/time/index.ts';
import type { ComponentHealth } from './health.ts';

/** An incident as the public may see it: no description, no internal notes, no other workspace. */
export type StatusIncident = {
  number: number;
  title: string;
  severity: string;
  state: 'triggered' | 'acknowledged' | 'mitigated' | 'resolved' | 'closed';
  declaredAt: string;
  resolvedAt: string | null;
  updates: { at: string; body: string }[];
};

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const words = {
  'zh-CN': {
    title: '服务状态',
    all: '所有服务运行正常',
    some: '部分服务异常',
    up: '正常',
    degraded: '不稳定',
    down: '中断',
    unknown: '未监测',
    uptime: '90 天可用率',
    ago: '90 天前',
    today: '今天',
    noData: '无数据',
    updated: '更新于',
    times: '时间均为',
    current: '当前事件',
    past: '过去 90 天的事件',
    noPast: '过去 90 天没有事件。',
    started: '开始于',
    resolvedAt: '恢复于',
    noUpdates: '暂无公开进展。',
    states: {
      triggered: '调查中',
      acknowledged: '已确认，处理中',
      mitigated: '已缓解，观察中',
      resolved: '已解决',
      closed: '已解决',
    },
  },
  en: {
    title: 'Service status',
    all: 'All systems operational',
    some: 'Some services are affected',
    up: 'Operational',
    degraded: 'Degraded',
    down: 'Outage',
    unknown: 'Not monitored',
    uptime: '90-day uptime',
    ago: '90 days ago',
    today: 'Today',
    noData: 'no data',
    updated: 'Updated',
    times: 'times in',
    current: 'Current incidents',
    past: 'Incidents in the last 90 days',
    noPast: 'No incidents in the last 90 days.',
    started: 'Started',
    resolvedAt: 'Resolved',
    noUpdates: 'No public updates yet.',
    states: {
      triggered: 'Investigating',
      acknowledged: 'Identified, being fixed',
      mitigated: 'Mitigated, monitoring',
      resolved: 'Resolved',
      closed: 'Resolved',
    },
  },
} as const;

const colors = { up: '#2e9e5b', degraded: '#e8a317', down: '#d64545', unknown: '#9aa3ad' };
const stateColors = {
  triggered: colors.down,
  acknowledged: colors.degraded,
  mitigated: '#2f7ed8',
  resolved: colors.up,
  closed: colors.up,
};

/** `2026-12-05 14:03` in the workspace's time zone. */
function localTime(iso: string, timeZone: string): string {
  const f = formatInZone(timeZone, Date.parse(iso));
  return `${f.slice(0, 10)} ${f.slice(11, 16)}`;
}

/** `UTC+8` (the zone's offset at `at`), shown once beside the times. */
function offsetLabel(at: Date, timeZone: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(at)
    .find((x) => x.type === 'timeZoneName')?.value;
  return (name ?? 'GMT').replace(/^GMT/, 'UTC').replace(/^UTC$/, 'UTC+0');
}

function incidentCard(i: StatusIncident, w: (typeof words)['zh-CN' | 'en'], tz: string): string {
  const updates = i.updates.length
    ? i.updates
        .map(
          (u) => `<li style="margin:8px 0 0;padding-left:10px;border-left:3px solid #dfe3e8">
      <div style="color:#6b7480;font-size:12px">${localTime(u.at, tz)}</div>
      <div style="white-space:pre-wrap;overflow-wrap:anywhere">${esc(u.body)}</div>
    </li>`,
        )
        .join('\n')
    : `<li style="margin:8px 0 0;color:#9aa3ad">${w.noUpdates}</li>`;
  return `<article data-incident="${i.number}" style="padding:14px 0;border-top:1px solid #eceef1">
  <div style="display:flex;justify-content:space-between;gap:8px;align-items:baseline;flex-wrap:wrap">
    <strong style="overflow-wrap:anywhere">${esc(i.title)}</strong>
    <span style="color:${stateColors[i.state]};font-weight:600;white-space:nowrap">${w.states[i.state]}</span>
  </div>
  <div style="color:#6b7480;font-size:12px;margin-top:4px">${esc(i.severity)} · ${w.started} ${localTime(i.declaredAt, tz)}${
    i.resolvedAt ? ` · ${w.resolvedAt} ${localTime(i.resolvedAt, tz)}` : ''
  }</div>
  <ul style="list-style:none;margin:0;padding:0">${updates}</ul>
</article>`;
}

export function renderStatusPage(o: {
  workspaceName: string;
  lang: 'zh-CN' | 'en';
  components: ComponentHealth[];
  /** Open incidents first, then the past ones (newest first); drills and internal notes already left out. */
  incidents?: StatusIncident[];
  timeZone?: string;
  now: Date;
}): string {
  const w = words[o.lang];
  const tz = o.timeZone ?? 'UTC';
  const incidents = o.incidents ?? [];
  const current = incidents.filter((i) => i.state !== 'resolved' && i.state !== 'closed');
  const past = incidents.filter((i) => i.state === 'resolved' || i.state === 'closed');
  const bad = current.length > 0 || o.components.some((c) => c.status === 'down' || c.status === 'degraded');
  const box = (title: string, body: string, id: string) =>
    `<h2 id="${id}" style="font-size:16px;margin:24px 0 8px">${title}</h2>
  <div style="background:#fff;border-radius:8px;padding:0 16px">${body}</div>`;
  const currentHtml = current.length
    ? box(w.current, current.map((i) => incidentCard(i, w, tz)).join('\n'), 'current-incidents')
    : '';
  const pastHtml = box(
    w.past,
    past.length
      ? past.map((i) => incidentCard(i, w, tz)).join('\n')
      : `<p style="margin:0;padding:14px 0;color:#6b7480">${w.noPast}</p>`,
    'past-incidents',
  );
  const bar = (v: number | null) =>
    `<span title="${v === null ? w.noData : (v * 100).toFixed(2) + '%'}" style="flex:1;min-width:2px;height:28px;border-radius:2px;background:${
      v === null ? '#e3e6ea' : v >= 0.999 ? colors.up : v >= 0.95 ? colors.degraded : colors.down
    }"></span>`;
  const rows = o.components
    .map(
      (c) => `<section style="padding:16px 0;border-top:1px solid #eceef1">
  <div style="display:flex;justify-content:space-between;gap:8px;align-items:baseline">
    <strong>${esc(o.lang === 'en' ? c.titleEn : c.title)}</strong>
    <span style="color:${colors[c.status]};font-weight:600">${w[c.status]}</span>
  </div>
  <div style="display:flex;gap:1px;margin:8px 0 4px">${c.days.map(bar).join('')}</div>
  <div style="display:flex;justify-content:space-between;color:#6b7480;font-size:12px">
    <span>${w.ago}</span><span>${w.uptime}: ${c.uptime90d === null ? '—' : (c.uptime90d * 100).toFixed(2) + '%'}</span><span>${w.today}</span>
  </div>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.workspaceName)} · ${w.title}</title>
</head>
<body style="margin:0;font-family:-apple-system,BlinkMacSystemFont,'PingFang SC','Microsoft YaHei',sans-serif;background:#f6f7f9;color:#1f2933">
<main style="max-width:760px;margin:0 auto;padding:24px 16px">
  <h1 style="font-size:22px;margin:0 0 4px">${esc(o.workspaceName)}</h1>
  <div style="color:#6b7480;margin-bottom:16px">${w.title} · <a href="?lang=${o.lang === 'en' ? 'zh-CN' : 'en'}">${o.lang === 'en' ? '中文' : 'English'}</a></div>
  <div style="padding:14px 16px;border-radius:8px;color:#fff;font-weight:600;background:${bad ? colors.down : colors.up}">${bad ? w.some : w.all}</div>
  ${currentHtml}
  <div style="background:#fff;border-radius:8px;padding:0 16px;margin-top:16px">${rows}</div>
  ${pastHtml}
  <p style="color:#9aa3ad;font-size:12px">${w.updated} ${localTime(o.now.toISOString(), tz)} · ${w.times} ${offsetLabel(o.now, tz)}</p>
</main>
</body>
</html>`;
}
