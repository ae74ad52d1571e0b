/**
 * An inbox's business hours are checked by the calendar engine that reads them when they are saved:
 * a week without any hours or a zone the engine does not know is refused with the reason, and
 * nothing is stored (they were once saved, and then every widget config request of the inbox failed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';

describe.each(engines)('inbox business hours on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  const origins = { allowedOrigins: ['https://shop.example.com'] };
  const config = async (publicId: string) => t.app.inject({ method: 'GET', url: `/api/widget/${publicId}/config` });

  beforeAll(async () => {
    t = await testApp(engine);
    owner = (await t.workspace('shop')).owner;
  });
  afterAll(async () => t?.close());

  it('refuses a week without hours or an unknown zone, on create and on edit, and keeps the widget working', async () => {
    const before = (await owner.get('/api/inboxes')).json().items.length;
    for (const businessHours of [
      { timezone: 'Asia/Shanghai', hours: {} },
      { timezone: 'Mars/Olympus_Mons', hours: { mon: [['09:00', '18:00']] } },
    ]) {
      const res = await owner.post('/api/inboxes', { name: 'Web', settings: { ...origins, businessHours } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/^settings\.businessHours: /);
    }
    expect((await owner.get('/api/inboxes')).json().items.length).toBe(before);

    const inbox = (
      await owner.post('/api/inboxes', {
        name: 'Web',
        settings: { ...origins, businessHours: { timezone: 'Asia/Shanghai', hours: { mon: [['09:00', '18:00']] } } },
      })
    ).json();
    const edit = await owner.patch(`/api/inboxes/${inbox.id}`, {
      settings: { businessHours: { timezone: 'Asia/Shanghai', hours: {} } },
    });
    expect(edit.statusCode).toBe(400);
    expect((await owner.get(`/api/inboxes/${inbox.id}`)).json().settings.businessHours.hours.mon).toEqual([
      ['09:00', '18:00'],
    ]);
    expect((await config(inbox.publicId)).statusCode).toBe(200);
  });

  it('keeps the widget of an inbox whose hours were stored before the check answering, as always open', async () => {
    const inbox = (await owner.post('/api/inboxes', { name: 'Old', settings: origins })).json();
    const row = await allTables(t.s)
      .selectFrom('inboxes')
      .select('settings')
      .where('id', '=', inbox.id)
      .executeTakeFirstOrThrow();
    const broken = { ...JSON.parse(row.settings), businessHours: { timezone: 'Asia/Shanghai', hours: {} } };
    await allTables(t.s)
      .updateTable('inboxes')
      .set({ settings: JSON.stringify(broken) })
      .where('id', '=', inbox.id)
      .execute();
    const res = await config(inbox.publicId);
    expect(res.statusCode).toBe(200);
    expect(res.json().withinBusinessHours).toBe(true);
  });
});
