/**
 * The shopper's context (migration 0111): the widget reports the page, referrer and time zone at
 * session start and at each page change; device, browser and system come from the request's
 * User-Agent, the city from the request's address when `geoipDatabase` names a local MaxMind
 * database. Every field is bounded; a bad report is a 400 with the reason. The order number the
 * shopper gave in the pre-chat form (migration 0283) is kept here too, from the session start.
 */
import { z } from 'zod';
import type { ShopperContext } from '../../../shared/chat-api.ts';
import type { Services } from '../../context.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { customerExists } from '../customers/index.ts';
import { inboxByPublicId } from '../inboxes/index.ts';
import { own } from './schema.ts';
import type { WidgetClaims } from './widget.ts';

const httpUrl = z
  .string()
  .max(1000)
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'an http(s) URL');
export const ShopperContextBody = z.strictObject({
  url: httpUrl,
  title: z.string().max(300).default(''),
  referrer: z.union([httpUrl, z.literal('')]).default(''),
  timeZone: z
    .string()
    .max(64)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone')
    .optional(),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, 'a language tag')
    .optional(),
});

/** Device, browser and system from a User-Agent: the few families shoppers use, no database. */
export function parseUserAgent(ua: string): { device: string; browser: string; os: string } {
  const device = /iPad|Tablet/i.test(ua) ? 'tablet' : /Mobi|iPhone|Android/i.test(ua) ? 'mobile' : 'desktop';
  const v = (re: RegExp) => re.exec(ua)?.[1]?.split('.')[0];
  const browser =
    (/MicroMessenger\/([\d.]+)/.test(ua) && `WeChat ${v(/MicroMessenger\/([\d.]+)/)}`) ||
    (/AlipayClient/.test(ua) && 'Alipay') ||
    (/Edg\/([\d.]+)/.test(ua) && `Edge ${v(/Edg\/([\d.]+)/)}`) ||
    (/Firefox\/([\d.]+)/.test(ua) && `Firefox ${v(/Firefox\/([\d.]+)/)}`) ||
    (/(?:Chrome|CriOS)\/([\d.]+)/.test(ua) && `Chrome ${v(/(?:Chrome|CriOS)\/([\d.]+)/)}`) ||
    (/Version\/([\d.]+).*Safari/.test(ua) && `Safari ${v(/Version\/([\d.]+)/)}`) ||
    'other';
  const os =
    (/iPhone|iPad/.test(ua) && 'iOS') ||
    (/Android/.test(ua) && 'Android') ||
    (/HarmonyOS/.test(ua) && 'HarmonyOS') ||
    (/Windows/.test(ua) && 'Windows') ||
    (/Mac OS X/.test(ua) && 'macOS') ||
    (/Linux/.test(ua) && 'Linux') ||
    'other';
  return { device, browser, os };
}

export type CityLookup = (ip: string) => Promise<string | null>;

export async function saveShopperContext(
  s: Services & { cityOf?: CityLookup },
  claims: WidgetClaims,
  publicId: string,
  input: z.output<typeof ShopperContextBody>,
  request: { userAgent: string; ip: string | null },
): Promise<ShopperContext> {
  const inbox = await inboxByPublicId(s, publicId);
  if (claims.i !== inbox.id) throw notFound();
  if (!(await customerExists(s, claims.w, claims.c))) throw badRequest('the widget session has no customer');
  const ua = parseUserAgent(request.userAgent.slice(0, 500));
  const city = request.ip && s.cityOf ? await s.cityOf(request.ip).catch(() => null) : null;
  const row = {
    workspace_id: claims.w,
    page_url: input.url,
    page_title: input.title || null,
    referrer: input.referrer || null,
    device: ua.device,
    browser: ua.browser,
    os: ua.os,
    time_zone: input.timeZone ?? null,
    language: input.language ?? null,
    city: city?.slice(0, 100) ?? null,
    updated_at: s.clock.now().toISOString(),
  };
  const db = own(s.db);
  const found = await db
    .selectFrom('shopper_context')
    .select('customer_id')
    .where('customer_id', '=', claims.c)
    .executeTakeFirst();
  if (found) await db.updateTable('shopper_context').set(row).where('customer_id', '=', claims.c).execute();
  else
    await db
      .insertInto('shopper_context')
      .values({ customer_id: claims.c, ...row })
      .execute();
  return (await shopperContext(s, claims.w, claims.c))!;
}

/**
 * Keeps the order number the shopper gave in the pre-chat form (validated at the edge: WidgetSessionBody)
 * with their context; a page report later keeps it, a later session with another one replaces it.
 */
export async function savePreChatOrderNo(
  s: Pick<Services, 'db' | 'clock'>,
  workspaceId: string,
  customerId: string,
  orderNo: string,
): Promise<void> {
  await own(s.db)
    .insertInto('shopper_context')
    .values({
      customer_id: customerId,
      workspace_id: workspaceId,
      order_no: orderNo,
      updated_at: s.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.column('customer_id').doUpdateSet({ order_no: orderNo }))
    .execute();
}

export async function shopperContext(
  s: Pick<Services, 'db'>,
  workspaceId: string,
  customerId: string,
): Promise<ShopperContext | null> {
  const r = await own(s.db)
    .selectFrom('shopper_context')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!r) return null;
  return {
    url: r.page_url,
    title: r.page_title,
    referrer: r.referrer,
    device: r.device,
    browser: r.browser,
    os: r.os,
    timeZone: r.time_zone,
    language: r.language,
    city: r.city,
    orderNo: r.order_no,
    updatedAt: r.updated_at,
  };
}
