/**
 * Retention rules (issue #9): per kind of data, per workspace, validated; the purge job removes
 * what is older — resolved conversations' messages and files, old uploads, old audit entries (the
 * only DELETE the append-only log lets through) — keeps what is newer or still open, and records
 * each purge in the audit log. A module registers its own kind (the monitoring module's metrics).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { manualClock } from '../../lib/clock.ts';
import { conversationForCustomer, postMessage } from '../conversations/index.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { multipart } from '../../testing/multipart.ts';
import { purgeExpired, registerRetentionKind } from './index.ts';

const day = 86_400_000;
const metricsPurged: string[] = [];
registerRetentionKind({
  kind: 'test_metrics',
  minDays: 1,
  purge: async (_s, ws, before) => {
    metricsPurged.push(`${ws} ${before}`);
    return 3;
  },
});

describe.each(engines)('retention on %s', (engine) => {
  const clock = manualClock('2026-01-01T08:00:00Z');
  let t: TestApp;
  let owner: Client;
  let wsId: string;
  let oldConv: string;
  let openConv: string;
  let newConv: string;
  let oldFile: string;

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    ({ id: wsId, owner } = await t.workspace('shop'));
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const shopper = async (n: number) =>
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/widget/${inbox.publicId}/session`,
          payload: { visitorId: `retention-visitor-${n}0000000`, origin: 'https://shop.example.com' },
        })
      ).json() as { token: string; customerId: string };
    const chat = async (n: number, body: string, file?: string) => {
      const who = await shopper(n);
      const c = (await conversationForCustomer(t.s, wsId, inbox.id, who.customerId, true))!;
      let attachments: { id: string }[] | undefined;
      if (file) {
        const m = multipart('a.txt', 'text/plain', Buffer.from(file));
        const up = await t.app.inject({
          method: 'POST',
          url: '/api/uploads',
          payload: m.payload,
          headers: { ...m.headers, authorization: `Widget ${who.token}` },
        });
        attachments = [{ id: up.json().id }];
      }
      await postMessage(t.s, { type: 'customer', id: who.customerId, name: null, workspaceId: wsId }, c.id, {
        clientId: `m-${n}`,
        kind: file ? 'file' : 'text',
        body,
        attachments,
      });
      return { conv: c.id, file: attachments?.[0].id };
    };
    // Day 0: two chats; one is resolved, one stays open.
    const a = await chat(1, 'old resolved chat', 'old file');
    oldConv = a.conv;
    oldFile = a.file!;
    openConv = (await chat(2, 'old but still open')).conv;
    expect((await owner.patch(`/api/conversations/${oldConv}`, { status: 'resolved' })).statusCode).toBe(200);
    // 100 days later: a new chat, resolved too.
    clock.advance(100 * day);
    owner = await t.signIn(owner.actor.email); // the session has expired meanwhile
    newConv = (await chat(3, 'new resolved chat')).conv;
    await owner.patch(`/api/conversations/${newConv}`, { status: 'resolved' });
  });
  afterAll(async () => t?.close());

  it('validates the rules and lists the registered kinds', async () => {
    const bad = await owner.request({ method: 'PUT', url: '/api/privacy/retention', payload: { rules: { nope: 30 } } });
    expect(bad.statusCode).toBe(400);
    const short = await owner.request({
      method: 'PUT',
      url: '/api/privacy/retention',
      payload: { rules: { audit: 30 } },
    });
    expect(short.json().error.message).toContain('at least 365 days');
    const ok = await owner.request({
      method: 'PUT',
      url: '/api/privacy/retention',
      payload: { rules: { conversations: 90, attachments: 90, audit: 365, test_metrics: 7 } },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().rules).toMatchObject({ conversations: 90, attachments: 90, audit: 365, test_metrics: 7 });
    expect(ok.json().kinds.map((k: { kind: string }) => k.kind)).toEqual(
      expect.arrayContaining(['conversations', 'attachments', 'audit', 'test_metrics']),
    );
    const agent = await t.user(wsId, 'agent');
    expect((await agent.get('/api/privacy/retention')).statusCode).toBe(403);
  });

  it('purges what is older than each rule, keeps the rest, and audits each purge', async () => {
    const db = allTables(t.s);
    const storage = (
      await db.selectFrom('attachments').select('storage_key').where('id', '=', oldFile).executeTakeFirstOrThrow()
    ).storage_key;
    expect(existsSync(join(t.env.dataDir, storage))).toBe(true);
    // Audit entries: the old ones would survive a year's rule; move the clock on two years to see them go.
    clock.advance(700 * day);
    const auditBefore = await db
      .selectFrom('audit_log')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();

    const done = await purgeExpired(t.s);
    expect(done).toMatchObject({ conversations: 2, attachments: 1, test_metrics: 3 });
    expect(done.audit).toBeGreaterThan(0);
    expect(metricsPurged.some((m) => m.startsWith(wsId))).toBe(true);

    const msgs = await db.selectFrom('messages').select('conversation_id').execute();
    expect(msgs.map((m) => m.conversation_id)).toEqual([openConv]); // the open one keeps its messages
    expect(existsSync(join(t.env.dataDir, storage))).toBe(false);
    expect(await db.selectFrom('attachments').selectAll().execute()).toEqual([]);

    const audit = await db.selectFrom('audit_log').select(['action', 'object_id', 'created_at']).execute();
    expect(audit.length).toBeLessThan(Number(auditBefore.n));
    expect(audit.filter((a) => a.action === 'retention.purged').map((a) => a.object_id)).toEqual(
      expect.arrayContaining(['conversations', 'attachments', 'test_metrics']),
    );
    // Outside the purge the log is still append-only.
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(db.updateTable('audit_log').set({ action: 'x' }).execute()).rejects.toThrow(/append-only/);
  });
});
