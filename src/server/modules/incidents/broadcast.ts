/**
 * A message that is not about an incident (a report's summary) sent to every enabled notification
 * channel of a workspace (or to those of `only` that are enabled), with the same notifiers (e-mail, WeCom, DingTalk, Feishu, SMS, webhook).
 * Returns each channel's outcome; the caller decides whether to retry.
 */
import type { Services } from '../../context.ts';
import type { Language } from '../../lib/language.ts';
import { notifiers, type NotifierKind } from './notifiers/index.ts';
import { sendContext } from './notify.ts';
import { own } from './schema.ts';

/**
 * `lang`: the language of the texts (the notifiers' own words follow it); `linkLabel`: the label
 * of the link to `url` the notifiers add (e.g. "open the report"; default "open the incident").
 */
export type Broadcast = {
  lang: Language;
  title: string;
  markdown: string;
  text: string;
  url: string;
  linkLabel?: string;
};

export async function broadcastToChannels(
  s: Services,
  workspaceId: string,
  m: Broadcast,
  only: readonly string[] | null = null,
): Promise<{ channel: string; kind: string; ok: boolean; error?: string }[]> {
  if (only && !only.length) return [];
  let q = own(s.db)
    .selectFrom('incident_channels')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('enabled', '=', 1);
  if (only) q = q.where('id', 'in', [...only]);
  const channels = await q.orderBy('name').execute();
  const ctx = sendContext(s);
  const out: { channel: string; kind: string; ok: boolean; error?: string }[] = [];
  for (const c of channels) {
    try {
      const notifier = notifiers[c.kind as NotifierKind];
      const config = notifier.config.parse(JSON.parse(s.cipher.decrypt(c.config)));
      await notifier.send(
        config,
        {
          lang: m.lang,
          title: m.title,
          markdown: m.markdown,
          text: m.text,
          ackUrl: null,
          incidentUrl: m.url,
          severity: 'info',
          linkLabel: m.linkLabel,
        },
        ctx,
      );
      out.push({ channel: c.name, kind: c.kind, ok: true });
    } catch (err) {
      out.push({ channel: c.name, kind: c.kind, ok: false, error: (err as Error).message });
    }
  }
  return out;
}
