/**
 * Defect 10 everywhere (issue 16): every drawer and modal with a form, and the forms on the ops
 * pages' tabs, are opened one after another on one server, and none may have a label whose `for`
 * names no element (a screen reader reads nothing, and clicking the label does nothing).
 * The menu pages, the SLA calendar drawer, the labels dialog and the store settings are walked by
 * dayone-walk, agent-basics and store.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { zhCN } from '../src/web/i18n/zh-CN.ts';
import { call, danglingLabels, describeWithBrowser, useDesk, type Json } from './support.ts';

const wait = { timeout: 20_000 };

/** A button by its words: antd spaces out a two-character Chinese label ("保 存") and icons add their names. */
function button(scope: Page | Locator, words: string): Locator {
  const spaced = [...words].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*');
  return scope.getByRole('button', { name: new RegExp(spaced) }).first();
}

/** The open drawer's or modal's layer (the last one opened). */
const layer = (page: Page) => page.locator('.ant-drawer-open, .ant-modal-wrap:not([style*="display: none"])').last();

type Form = {
  /** What it is, for the failure message. */
  name: string;
  path: string;
  /** Opens it on the page at `path` (a drawer or modal, or a tab's form with `inline`). */
  open?: (page: Page) => Promise<void>;
  /** The form is on the page (or a tab of it), not in a drawer or modal. */
  inline?: true;
};

describeWithBrowser('defect 10 everywhere: no dangling label in any drawer, modal or form', () => {
  const desk = useDesk({ signIn: 'api', timeout: 200_000 });
  let customerId = '';
  let conversationId = '';

  beforeAll(async () => {
    const page = desk.page;
    // What some forms need to exist: a calendar (SLA policies), an inbox, a customer and a conversation.
    await call(page, 'POST', '/api/calendars', {
      name: '工作日',
      definition: {
        timezone: 'Asia/Shanghai',
        hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])),
        holidays: 'CN',
        overrides: [],
      },
    });
    const inbox = await call(page, 'POST', '/api/inboxes', {
      name: '标签检查店',
      settings: { allowedOrigins: ['https://shop.example.com'] },
    });
    customerId = (await call(page, 'POST', '/api/customers', { name: '周小满', phone: '13900003333' })).id as string;
    const widget = await page.request.post(`/api/widget/${inbox.publicId as string}/session`, {
      data: { visitorId: `visitor-labels-${Date.now()}`, origin: 'https://shop.example.com' },
    });
    expect(widget.ok(), await widget.text()).toBe(true);
    const shopper = (await widget.json()) as Json;
    await page.request.post(`/api/widget/${inbox.publicId as string}/offline-message`, {
      headers: { authorization: `Widget ${shopper.token as string}` },
      data: { contact: '13900002222', body: '在吗？' },
    });
    const all = (await call(page, 'GET', '/api/conversations')).items as Json[];
    conversationId = all.find((c) => c.customerId === shopper.customerId)!.id as string;
  }, 60_000);

  const forms = (): Form[] => {
    const z = zhCN;
    const click = (words: string) => (page: Page) => button(page, words).click(wait);
    const testId = (id: string) => (page: Page) => page.getByTestId(id).first().click(wait);
    const tab = (words: string, then?: (page: Page) => Promise<void>) => async (page: Page) => {
      await page.getByRole('tab', { name: words }).click(wait);
      await then?.(page);
    };
    return [
      { name: 'SLA policy drawer', path: '/settings/sla', open: testId('create-policy') },
      { name: 'new inbox modal', path: '/settings/inboxes', open: testId('create-inbox') },
      {
        name: 'inbox settings drawer',
        path: '/settings/inboxes',
        open: (page) => page.locator('.ant-table-row').first().click(wait),
      },
      { name: 'create-ticket drawer', path: '/tickets', open: testId('create-ticket') },
      {
        name: 'new-customer modal (from the create-ticket drawer)',
        path: '/tickets',
        open: async (page) => {
          await page.getByTestId('create-ticket').click(wait);
          await page.getByTestId('new-customer').click(wait);
        },
      },
      {
        name: 'saved-view modal',
        path: '/tickets?status=open',
        open: click(z.common.savedViews.saveCurrent),
      },
      { name: 'create user modal', path: '/settings/users', open: testId('create-user') },
      { name: 'edit user modal', path: '/settings/users', open: click(z.common.edit) },
      { name: 'canned reply modal', path: '/settings/canned-replies', open: testId('create-canned') },
      { name: 'customer merge dialog', path: `/customers/${customerId}`, open: testId('customer-merge') },
      {
        name: 'ticket from a conversation drawer',
        path: `/inbox?c=${conversationId}&status=any`,
        open: testId('create-ticket-from-conversation'),
      },
      { name: 'ticket type modal', path: '/settings/tickets?tab=types', open: click(z.tickets.settings.types.create) },
      {
        name: 'custom field modal',
        path: '/settings/tickets?tab=fields',
        open: click(z.tickets.settings.fields.create),
      },
      { name: 'group modal', path: '/settings/tickets?tab=groups', open: click(z.tickets.settings.groups.create) },
      { name: 'macro modal', path: '/settings/tickets?tab=macros', open: click(z.tickets.settings.macros.create) },
      { name: 'knowledge entry drawer', path: '/knowledge', open: click(z.knowledge.create) },
      { name: 'API token modal', path: '/settings/tokens', open: click(z.tokens.create) },
      { name: 'new workspace modal', path: '/settings/workspaces', open: click(z.workspaces.create) },
      { name: 'backup target drawer', path: '/ops/backups', open: click(z.backups.targets.add) },
      { name: 'report modal', path: '/reports', open: click(z.reports.produce) },
      { name: 'report schedules drawer', path: '/reports', open: testId('report-schedules') },
      { name: 'surge settings', path: '/war-room', open: click(z.routing.surge.settings) },
      { name: 'declare incident dialog', path: '/ops/incidents', open: click(z.incidentConsole.declare.button) },
      {
        name: 'notification channel drawer',
        path: '/ops/incident-settings?tab=notifiers',
        open: click(z.incidentSettings.notifiers.add),
      },
      {
        name: 'rotation drawer',
        path: '/ops/incident-settings?tab=rotations',
        open: click(z.incidentSettings.rotations.add),
      },
      { name: 'incident contract form', path: '/ops/incident-settings?tab=contract', inline: true },
      { name: 'escalation form', path: '/ops/incident-settings?tab=escalation', inline: true },
      {
        name: 'monitoring rule editor',
        path: '/ops/monitoring',
        open: tab(z.monitoring.tabs.rules, click(z.monitoring.rule.new)),
      },
      {
        name: 'monitoring silence form',
        path: '/ops/monitoring',
        open: tab(z.monitoring.tabs.silences),
        inline: true,
      },
      {
        name: 'monitoring maintenance window modal',
        path: '/ops/monitoring',
        open: tab(z.monitoring.tabs.silences, click(z.monitoring.maintenance.add)),
      },
    ];
  };

  it('opens every form and finds no label pointing at nothing', async () => {
    const page = desk.page;
    const found: Record<string, string[]> = {};
    for (const form of forms()) {
      await page.goto(form.path);
      await page.locator('.ant-layout-content').first().waitFor(wait);
      await form.open?.(page);
      // Wait until the drawer, the modal or the tab shows its form.
      const scope = form.inline ? page.locator('.ant-layout-content').first() : layer(page);
      await expect.poll(() => scope.locator('label').count(), { ...wait, message: form.name }).toBeGreaterThan(0);
      await page.waitForTimeout(300); // lazy fields (selects, pickers) have rendered
      const dangling = await danglingLabels(page);
      if (dangling.length) found[form.name] = dangling;
    }
    expect(found).toEqual({});
  }, 600_000);
});
