/** The daily report's "open incidents and SLA risk" section: a pure function of OpsInputs (inputs-risk.ts). */
import { formatInZone } from '../../lib/time/index.ts';
import { drillOf, fmtSeconds, t, type Block, type Figure, type Section } from './document.ts';
import type { OpsInputs } from './ops-health.ts';

/** Time left to a deadline from the period's end: "+2 h" ahead, "−35 min" overdue (language-neutral). */
export const fmtLeft = (ms: number) => `${ms < 0 ? '−' : '+'}${fmtSeconds(Math.abs(ms) / 1000)}`;

const ticketTargets = [
  ['firstResponse', t('首次响应', 'First response')],
  ['nextResponse', t('下次响应', 'Next response')],
  ['periodicUpdate', t('定期更新', 'Periodic update')],
  ['resolution', t('解决', 'Resolution')],
] as const;

export function riskSection(i: OpsInputs): Section {
  const zone = i.period.zone;
  const end = i.period.end;
  const local = (ms: number) => formatInZone(zone, ms).slice(0, 16);
  const due = (ms: number) => `${local(ms)} (${fmtLeft(ms - end)})`;
  const open = i.incidents.filter((x) => x.mode !== 'drill' && x.state !== 'cancelled' && x.resolvedAt === null);
  const clocks = new Map((i.slaRisk?.incidentClocks ?? []).map((c) => [c.incidentId, c]));
  const tickets = i.slaRisk?.tickets ?? [];
  const ticketIds = [...new Set(tickets.map((x) => x.id))];
  const breached = new Set(tickets.filter((x) => x.dueAt < end).map((x) => x.id));
  const items: Figure[] = [];
  if (open.length)
    items.push({
      label: t('未恢复故障', 'Unresolved incidents'),
      value: String(open.length),
      drill: drillOf(
        'incidents',
        open.map((x) => x.id),
      ),
      flag: 'risk',
    });
  if (i.slaRisk && ticketIds.length)
    items.push({
      label: t(
        'SLA 风险工单：已超时 / 下一工作日内到期（未超时）',
        'Tickets at SLA risk: breached / due by the next working day (not yet breached)',
      ),
      value: `${breached.size} / ${ticketIds.length - breached.size}`,
      flag: 'risk',
    });
  const blocks: Block[] = [];
  if (items.length) blocks.push({ kind: 'figures', items });
  blocks.push(
    open.length
      ? {
          kind: 'table',
          title: t('未恢复故障的时限（期末剩余时间）', 'Unresolved incidents: deadlines (time left at the end)'),
          columns: [
            t('编号', 'No.'),
            t('级别', 'Severity'),
            t('标题', 'Title'),
            t('宣布于', 'Declared'),
            t('响应时限（剩余）；✓ 已确认', 'Respond by (left); ✓ acknowledged'),
            t('解决时限（剩余）', 'Resolve by (left)'),
          ],
          rows: open.map((x) => {
            const c = clocks.get(x.id);
            return [
              `#${x.number}`,
              x.severity,
              x.title,
              local(x.declaredAt),
              x.acknowledgedAt !== null ? `✓ ${local(x.acknowledgedAt)}` : c ? due(c.respondBy) : '-',
              c ? due(c.resolveBy) : '-',
            ];
          }),
        }
      : { kind: 'note', text: t('期末没有未恢复的故障。', 'No unresolved incident at the end of the period.') },
  );
  if (i.slaRisk)
    blocks.push(
      ticketIds.length
        ? {
            kind: 'table',
            title: t('SLA 风险工单（期末剩余时间）', 'Tickets at SLA risk (time left at the end)'),
            columns: [t('编号', 'No.'), t('主题', 'Subject'), ...ticketTargets.map(([, label]) => label)],
            rows: ticketIds.map((id) => {
              const mine = tickets.filter((x) => x.id === id);
              return [
                `#${mine[0]!.number}`,
                mine[0]!.subject,
                ...ticketTargets.map(([name]) => {
                  const x = mine.find((m) => m.target === name);
                  return x ? due(x.dueAt) : '-';
                }),
              ];
            }),
          }
        : {
            kind: 'note',
            text: t(
              '期末没有已超时或在下一工作日内到期的工单 SLA。',
              'No ticket SLA breached or due by the next working day at the end of the period.',
            ),
          },
    );
  // The rule, where the ticket SLAs are part of the section (the daily report).
  if (i.slaRisk)
    blocks.push({
      kind: 'note',
      text: t(
        '故障时限为该工作区的故障时钟（宣布时按合同级别表计算）；工单 SLA 按工单的策略快照与期末前的工单记录用 SLA 引擎重算到期末：未满足、未暂停，且已超时或在下一工作日（工单日历中期末起第一个有工作时间的日子，7×24 策略即次日）结束前到期。',
        "Incident deadlines are the workspace's incident clock (the contract's severity table at declaration); ticket SLAs are recomputed to the period's end by the SLA engine from each ticket's policy snapshot and its history before the end: running (neither met nor paused) and breached, or due before the end of the next working day (the first day from the end with working hours in the ticket's calendar; the next day for a 7×24 policy).",
      ),
    });
  return {
    id: 'open-incidents',
    title: t('未关闭故障与 SLA 风险', 'Open incidents and SLA risk'),
    noSource: null,
    blocks,
  };
}
