/**
 * The rating link for channels without the widget: a small page that works on a phone without
 * signing in and without script (the console's CSP allows none inline): CSS-only stars or faces,
 * a comment, the extra questions; the form posts back to the same address. The token is signed
 * with the installation key and names the request and its expiry; the request row says whether
 * it is still open, so a link is answered once.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RateBody, type CsatSettings } from '../../../shared/csat-api.ts';
import { csatFaces, csatMaxComment } from '../../../shared/csat-card.ts';
import type { Services } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { own, type CsatRequestsTable } from './schema.ts';
import { rate, requestRow, stateOf, surveyOf } from './service.ts';

type Lang = 'zh-CN' | 'en';
const TokenParam = z.strictObject({ token: z.string().min(20).max(100) });

export const linkPath = (token: string) => `/api/csat/link/${token}`;
/**
 * `<request id>.<expiry, seconds in base 36>.<keyed MAC>`: short enough for a path segment and
 * an SMS (the JSON tokens of `cipher.sign` are not). The MAC is the installation key's keyed hash.
 */
export function linkToken(s: Services, row: Pick<CsatRequestsTable, 'id' | 'expires_at'>): string {
  const exp = Math.floor(Date.parse(row.expires_at) / 1000).toString(36);
  return `${row.id}.${exp}.${mac(s, row.id, exp)}`;
}
const mac = (s: Services, id: string, exp: string) => s.cipher.blindIndex(`csat-link:${id}:${exp}`).slice(0, 32);

/** The request a link names, if its MAC is right (its expiry is the row's, checked by the caller). */
function verifyLink(s: Services, token: string): string | null {
  const [id, exp, given] = token.split('.');
  if (!id || !exp || !given || !/^csr_[0-9A-Z]{1,40}$/.test(id)) return null;
  const want = Buffer.from(mac(s, id, exp));
  const got = Buffer.from(given);
  return got.length === want.length && timingSafeEqual(got, want) ? id : null;
}

const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const langOf = (req: FastifyRequest): Lang => (/^en\b/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'zh-CN');
const words = {
  'zh-CN': {
    title: '服务评价',
    send: '提交评价',
    yes: '是',
    no: '否',
    invalid: '链接无效。',
    expired: '评价链接已过期。',
    rated: '您已经评价过了，感谢！',
    superseded: '这个评价链接已被新的链接取代。',
    pick: '请选择评分。',
  },
  en: {
    title: 'Rate our service',
    send: 'Send',
    yes: 'Yes',
    no: 'No',
    invalid: 'This link is not valid.',
    expired: 'This rating link has expired.',
    rated: 'You have already rated this. Thank you!',
    superseded: 'A newer rating link replaced this one.',
    pick: 'Please choose a score.',
  },
} as const;

const css = `body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:480px;margin:0 auto;padding:24px 16px;color:#1f1f1f;background:#f5f7fa}
main{background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 4px rgba(0,0,0,.08)}h1{font-size:20px;margin:0 0 16px}
.scale{display:flex;flex-direction:row-reverse;justify-content:center;gap:6px;margin:8px 0 20px}.scale input{position:absolute;opacity:0;width:1px;height:1px}
.scale label{font-size:40px;line-height:1;cursor:pointer;padding:4px;border-radius:8px}.stars label{color:#d9d9d9}
.stars input:checked~label,.stars label:hover,.stars label:hover~label{color:#fadb14}.faces label{filter:grayscale(1);opacity:.55}
.faces input:checked+label{filter:none;opacity:1;background:#e6f4ff}.scale input:focus-visible+label{outline:2px solid #1677ff}
p.q{margin:12px 0 6px}textarea,input[type=text]{width:100%;box-sizing:border-box;font:inherit;padding:10px;border:1px solid #d9d9d9;border-radius:8px}
textarea{min-height:96px}.yn label{margin-right:16px}button{margin-top:20px;font-size:17px;padding:12px;width:100%;background:#1677ff;color:#fff;border:0;border-radius:8px}
.error{color:#cf1322}`;

const page = (lang: Lang, title: string, body: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${css}</style></head><body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;

function form(lang: Lang, survey: CsatSettings, error: string | null): string {
  const w = words[lang];
  // Highest first in the markup; the row is reversed so 1 shows on the left and `:checked ~` lights the lower ones.
  const options = [5, 4, 3, 2, 1]
    .map(
      (n) =>
        `<input type="radio" id="s${n}" name="score" value="${n}" required><label for="s${n}" title="${n}" aria-label="${n}">${
          survey.scale === 'faces' ? csatFaces[n - 1] : '★'
        }</label>`,
    )
    .join('');
  const questions = survey.questions
    .map((q) =>
      q.kind === 'yes_no'
        ? `<p class="q">${esc(q.label[lang])}</p><div class="yn"><label><input type="radio" name="q_${q.id}" value="yes"> ${w.yes}</label><label><input type="radio" name="q_${q.id}" value="no"> ${w.no}</label></div>`
        : `<p class="q"><label for="q_${q.id}">${esc(q.label[lang])}</label></p><input type="text" id="q_${q.id}" name="q_${q.id}" maxlength="500">`,
    )
    .join('');
  return `${error ? `<p class="error">${esc(error)}</p>` : ''}<form method="post"><p>${esc(survey.prompt[lang])}</p>
<div class="scale ${survey.scale}">${options}</div>${questions}<p class="q"><label for="comment">${esc(survey.commentPrompt[lang])}</label></p>
<textarea id="comment" name="comment" maxlength="${csatMaxComment}"></textarea><button type="submit">${w.send}</button></form>`;
}

/** The form's fields as a rating (the same schema as the widget's JSON). */
function fromForm(fields: Record<string, string>, survey: CsatSettings) {
  const answers: Record<string, boolean | string> = {};
  for (const q of survey.questions) {
    const v = fields[`q_${q.id}`];
    if (v === undefined || v === '') continue;
    answers[q.id] = q.kind === 'yes_no' ? v === 'yes' : v;
  }
  return RateBody.safeParse({ score: Number(fields.score), comment: fields.comment ?? '', answers });
}

async function load(s: Services, token: string): Promise<CsatRequestsTable | null> {
  const id = verifyLink(s, token);
  if (!id) return null;
  return (await own(s.db).selectFrom('csat_requests').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

const closedStatus = { rated: 409, expired: 410, superseded: 410 } as const;

export function linkRoutes(app: FastifyInstance, s: Services): void {
  // Only these two routes read HTML forms: a child context keeps the parser away from the JSON API.
  void app.register(async (child) => {
    child.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    const r = child.withTypeProvider<ZodTypeProvider>();
    const limit = { max: s.config.widgetRatePerMinute, timeWindow: '1 minute' };
    const opts = {
      config: { auth: 'public' as const, rateLimit: limit },
      schema: { tags: ['csat'], params: TokenParam },
    };
    r.get('/api/csat/link/:token', opts, async (req, reply) => {
      const lang = langOf(req);
      const w = words[lang];
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer');
      const row = await load(s, req.params.token);
      if (!row) return reply.code(404).send(page(lang, w.title, `<p>${w.invalid}</p>`));
      const state = stateOf(row, s.clock.now());
      if (state !== 'open') return reply.code(closedStatus[state]).send(page(lang, w.title, `<p>${w[state]}</p>`));
      return page(lang, w.title, form(lang, surveyOf(row), null));
    });
    r.post('/api/csat/link/:token', opts, async (req, reply) => {
      const lang = langOf(req);
      const w = words[lang];
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer');
      const row = await load(s, req.params.token);
      if (!row) return reply.code(404).send(page(lang, w.title, `<p>${w.invalid}</p>`));
      const survey = surveyOf(row);
      const fields = typeof req.body === 'object' && req.body ? (req.body as Record<string, string>) : {};
      const body = fromForm(fields, survey);
      if (!body.success) {
        const state = stateOf(row, s.clock.now());
        if (state !== 'open') return reply.code(closedStatus[state]).send(page(lang, w.title, `<p>${w[state]}</p>`));
        const tooLong = (fields.comment ?? '').length > csatMaxComment;
        return reply.code(400).send(page(lang, w.title, form(lang, survey, tooLong ? `≤ ${csatMaxComment}` : w.pick)));
      }
      try {
        await rate(s, (tx) => requestRow(tx, row.id), body.data, 'link');
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const state = stateOf(
          { ...row, rated_at: err.code === 'csat_already_rated' ? 'x' : row.rated_at },
          s.clock.now(),
        );
        const text = state === 'open' ? err.message : w[state];
        return reply.code(err.status).send(page(lang, w.title, `<p>${esc(text)}</p>`));
      }
      return page(lang, w.title, `<p>${esc(survey.thanks[lang])}</p>`);
    });
  });
}
