/**
 * The public status page of a workspace: `/status/<slug>` (stable, no sign-in), the components the
 * workspace depends on with their current status and 90-day uptime bars, in Chinese or English
 * (`?lang=en`, else the Accept-Language header, else the workspace's language). Plain HTML with
 * inline styles: readable on a phone, no script.
 */
import type { ComponentHealth } from './health.ts';

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
  },
} as const;

const colors = { up: '#2e9e5b', degraded: '#e8a317', down: '#d64545', unknown: '#9aa3ad' };

export function renderStatusPage(o: {
  workspaceName: string;
  lang: 'zh-CN' | 'en';
  components: ComponentHealth[];
  now: Date;
}): string {
  const w = words[o.lang];
  const bad = o.components.some((c) => c.status === 'down' || c.status === 'degraded');
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
  <div style="background:#fff;border-radius:8px;padding:0 16px;margin-top:16px">${rows}</div>
  <p style="color:#9aa3ad;font-size:12px">${w.updated} ${o.now.toISOString().slice(0, 16).replace('T', ' ')} UTC</p>
</main>
</body>
</html>`;
}
