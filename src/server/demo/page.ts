/**
 * GET /demo: Kefu's own demo shop page with the demo inbox's widget embedded, so a newcomer can
 * chat with themselves (open the page, write, answer from the console). Served only while the
 * demo is on (`--no-demo` turns it off) and the demo workspace exists; clearly labelled a demo.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../context.ts';
import { firstInboxPublicId } from '../modules/inboxes/index.ts';
import { workspaceBySlug } from '../modules/workspaces/index.ts';

export const demoSlug = 'demo';

type Lang = 'zh-CN' | 'en';

const text = {
  'zh-CN': {
    title: '云帆优选 · Kefu 演示商店',
    ribbon: '这是 Kefu 自带的演示商店页面，不是真实店铺。点击右下角的按钮和自己聊天，然后在客服工作台里回复。',
    console: '打开客服工作台',
    other: 'English',
    hero: '冬季焕新，满 300 减 40',
    sub: '顺丰包邮 · 7 天无理由退货 · 电子发票',
    products: [
      ['轻暖羽绒服', '¥ 699'],
      ['不锈钢保温杯 500ml', '¥ 129'],
      ['智能加湿器', '¥ 259'],
      ['降噪蓝牙耳机', '¥ 399'],
    ],
    help: '有问题？右下角随时找客服。',
  },
  en: {
    title: 'Yunfan Select · Kefu demo shop',
    ribbon:
      "This is Kefu's built-in demo shop page, not a real shop. Use the button at the bottom right to chat with yourself, then answer from the console.",
    console: 'Open the console',
    other: '中文',
    hero: 'Winter refresh: ¥40 off orders over ¥300',
    sub: 'Free shipping · 7-day returns · e-invoices',
    products: [
      ['Light down jacket', '¥ 699'],
      ['Steel vacuum bottle 500 ml', '¥ 129'],
      ['Smart humidifier', '¥ 259'],
      ['Noise-cancelling earbuds', '¥ 399'],
    ],
    help: 'Questions? Our team is one click away, bottom right.',
  },
} as const;

const esc = (v: string) =>
  v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function demoPageHtml(lang: Lang, inboxPublicId: string): string {
  const t = text[lang];
  const items = t.products
    .map(([name, price]) => `<li><div class="pic"></div><b>${esc(name)}</b><span>${esc(price)}</span></li>`)
    .join('');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(t.title)}</title>
<style>
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f1f1f;background:#f7f7f9}
.ribbon{background:#fffbe6;border-bottom:1px solid #ffe58f;padding:10px 16px;font-size:14px;display:flex;gap:12px;flex-wrap:wrap;align-items:center;justify-content:space-between}
.ribbon a{color:#1677ff}
header{padding:32px 16px;text-align:center;background:linear-gradient(135deg,#e6f4ff,#f0f5ff)}
header h1{margin:0 0 8px;font-size:28px}
header p{margin:0;color:#595959}
ul{list-style:none;margin:24px auto;padding:0 16px;max-width:960px;display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:16px}
li{background:#fff;border-radius:8px;padding:16px;display:flex;flex-direction:column;gap:6px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.pic{height:120px;border-radius:6px;background:#f0f0f0}
li span{color:#cf1322}
footer{text-align:center;color:#8c8c8c;padding:24px 16px 96px;font-size:14px}
</style>
</head>
<body>
<div class="ribbon" role="note" data-testid="demo-ribbon"><span>${esc(t.ribbon)}</span>
<span><a href="/">${esc(t.console)}</a> · <a href="/demo?lang=${lang === 'en' ? 'zh-CN' : 'en'}">${esc(t.other)}</a></span></div>
<header><h1>${esc(t.hero)}</h1><p>${esc(t.sub)}</p></header>
<ul>${items}</ul>
<footer>${esc(t.help)}</footer>
<script src="/widget.js" data-inbox="${esc(inboxPublicId)}" async></script>
</body>
</html>`;
}

export function installDemoPage(app: FastifyInstance, s: Services): void {
  // Registered either way, so the console's page fallback never answers /demo when the demo is off.
  app.get('/demo', { schema: { hide: true } }, async (req, reply) => {
    const ws = s.config.demo ? await workspaceBySlug(s, demoSlug) : null;
    const inbox = ws ? await firstInboxPublicId(s, ws.id) : null;
    if (!inbox) return reply.code(404).type('text/plain; charset=utf-8').send('The demo workspace is not set up.');
    const q = (req.query as Record<string, string | undefined>).lang;
    const lang: Lang =
      q === 'en' || q === 'zh-CN' ? q : /^zh/i.test(req.headers['accept-language'] ?? 'zh') ? 'zh-CN' : 'en';
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(demoPageHtml(lang, inbox));
  });
}
