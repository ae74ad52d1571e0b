/**
 * Group robots of the three Chinese office suites, with their real message formats and signing:
 * - DingTalk: `timestamp` (ms) and `sign` = base64(HMAC-SHA256(secret, "timestamp\nsecret")) as
 *   query parameters; markdown message; success is `{"errcode": 0}` (a wrong signature: 310000).
 * - Feishu/Lark: `timestamp` (s) and `sign` = base64(HMAC-SHA256(key = "timestamp\nsecret", ""))
 *   in the body; an interactive card; success is `{"code": 0}` (or the legacy `StatusCode: 0`).
 * - WeCom: the key is in the URL; markdown message (then a text message @-ing `mentionedMobiles`,
 *   which markdown cannot); success is `{"errcode": 0}`.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { incidentWords } from '../messages.ts';
import { postJson, type Notifier, type NotifierMessage } from './types.ts';

const httpsUrl = z.url({ protocol: /^https?$/ }).max(2000);

export function dingtalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

const errcode = (r: unknown, what: string) => {
  const o = (r ?? {}) as { errcode?: number; errmsg?: string; code?: number; msg?: string; StatusCode?: number };
  const code = o.errcode ?? o.code ?? o.StatusCode;
  if (code !== 0) throw new Error(`${what} refused the message: ${code ?? '?'} ${o.errmsg ?? o.msg ?? ''}`.trim());
};

const withAck = (m: NotifierMessage) => {
  const w = incidentWords[m.lang];
  return `${m.markdown}\n\n${m.ackUrl ? `[${w.acknowledge}](${m.ackUrl}) · ` : ''}[${m.linkLabel ?? w.openIncident}](${m.incidentUrl})`;
};

export const dingtalk: Notifier<{ url: string; secret?: string; atMobiles: string[] }> = {
  kind: 'dingtalk',
  config: z.strictObject({
    url: httpsUrl,
    secret: z.string().min(1).max(200).optional(),
    atMobiles: z.array(z.string().max(20)).max(20).default([]),
  }),
  secrets: ['secret'],
  async send(c, m, ctx) {
    const url = new URL(c.url);
    if (c.secret) {
      const ts = ctx.now().getTime();
      url.searchParams.set('timestamp', String(ts));
      url.searchParams.set('sign', dingtalkSign(c.secret, ts));
    }
    const r = await postJson(ctx, url.toString(), {
      msgtype: 'markdown',
      markdown: { title: m.title, text: withAck(m) + c.atMobiles.map((p) => ` @${p}`).join('') },
      at: { atMobiles: c.atMobiles, isAtAll: false },
    });
    errcode(r, 'DingTalk');
  },
};

export const wecom: Notifier<{ url: string; mentionedMobiles: string[] }> = {
  kind: 'wecom',
  config: z.strictObject({ url: httpsUrl, mentionedMobiles: z.array(z.string().max(20)).max(20).default([]) }),
  secrets: ['url'],
  async send(c, m, ctx) {
    const r = await postJson(ctx, c.url, { msgtype: 'markdown', markdown: { content: withAck(m) } });
    errcode(r, 'WeCom');
    // WeCom's markdown cannot @ people by phone number; a short text message after it can.
    if (c.mentionedMobiles.length)
      errcode(
        await postJson(ctx, c.url, {
          msgtype: 'text',
          text: { content: m.title, mentioned_mobile_list: c.mentionedMobiles },
        }),
        'WeCom',
      );
  },
};

export const feishu: Notifier<{ url: string; secret?: string }> = {
  kind: 'feishu',
  config: z.strictObject({ url: httpsUrl, secret: z.string().min(1).max(200).optional() }),
  secrets: ['secret'],
  async send(c, m, ctx) {
    const ts = Math.floor(ctx.now().getTime() / 1000);
    const actions = [
      ...(m.ackUrl
        ? [
            {
              tag: 'button',
              text: { tag: 'plain_text', content: incidentWords[m.lang].acknowledge },
              type: 'primary',
              url: m.ackUrl,
            },
          ]
        : []),
      {
        tag: 'button',
        text: { tag: 'plain_text', content: m.linkLabel ?? incidentWords[m.lang].openIncident },
        type: 'default',
        url: m.incidentUrl,
      },
    ];
    const r = await postJson(ctx, c.url, {
      ...(c.secret ? { timestamp: String(ts), sign: feishuSign(c.secret, ts) } : {}),
      msg_type: 'interactive',
      card: {
        header: { title: { tag: 'plain_text', content: m.title }, template: m.severity === 'P1' ? 'red' : 'orange' },
        elements: [
          { tag: 'div', text: { tag: 'lark_md', content: m.markdown } },
          { tag: 'action', actions },
        ],
      },
    });
    errcode(r, 'Feishu');
  },
};
