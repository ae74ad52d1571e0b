/**
 * E-mail (SMTP), SMS through a configurable HTTP gateway, and generic webhooks signed like
 * Stripe's: `X-Kefu-Timestamp: <unix seconds>` and `X-Kefu-Signature: sha256=<hex HMAC-SHA256 of
 * "<timestamp>.<body>" with the secret>`, so a receiver can refuse replays and forgeries.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { incidentWords } from '../messages.ts';
import { postJson, type Notifier } from './types.ts';

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export const webhook: Notifier<{ url: string; secret: string }> = {
  kind: 'webhook',
  config: z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2000), secret: z.string().min(16).max(200) }),
  secrets: ['secret'],
  async send(c, m, ctx) {
    const body = JSON.stringify({
      type: 'incident.notification',
      title: m.title,
      severity: m.severity,
      text: m.text,
      ackUrl: m.ackUrl,
      incidentUrl: m.incidentUrl,
    });
    const ts = Math.floor(ctx.now().getTime() / 1000);
    const res = await ctx.post(c.url, {
      headers: {
        'content-type': 'application/json',
        'x-kefu-timestamp': String(ts),
        'x-kefu-signature': webhookSignature(c.secret, ts, body),
      },
      body,
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 200)}`);
  },
};

export const sms: Notifier<{ url: string; token?: string; to: string[] }> = {
  kind: 'sms',
  config: z.strictObject({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    token: z.string().max(500).optional(),
    to: z
      .array(z.string().regex(/^\+?\d{5,20}$/))
      .min(1)
      .max(20),
  }),
  secrets: ['token'],
  async send(c, m, ctx) {
    // 70 characters is one Chinese SMS segment; the link makes it two or three.
    const w = incidentWords[m.lang];
    const text = `【Kefu】${m.title}${m.ackUrl ? ` ${w.smsAck}${w.colon}${m.ackUrl}` : ''}`;
    await postJson(ctx, c.url, { to: c.to, text }, c.token ? { authorization: `Bearer ${c.token}` } : {});
  },
};

export const email: Notifier<{ to: string[] }> = {
  kind: 'email',
  config: z.strictObject({ to: z.array(z.email().max(200)).min(1).max(20) }),
  secrets: [],
  async send(c, m, ctx) {
    const w = incidentWords[m.lang];
    const ack = m.ackUrl ? `${w.acknowledge}${w.colon}${m.ackUrl}\n` : '';
    const text = `${m.text}\n\n${ack}${m.linkLabel ?? w.openIncident}${w.colon}${m.incidentUrl}\n`;
    await ctx.sendMail({ to: c.to.join(', '), subject: m.title, text });
  },
};
