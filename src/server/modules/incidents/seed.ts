/**
 * Demo data: a contract with this year's promotion calendar, incidents of the last days (one
 * resolved late with its penalty, one on time, a drill, two open — one reported by the merchant),
 * a review with an action item, a weekly rotation and an escalation policy. Past times are made
 * by running the real services with a clock set to them.
 */
import type { Services } from '../../context.ts';
import { manualClock } from '../../lib/clock.ts';
import type { SeedTarget } from '../../module.ts';
import { defaultSettings } from './contracts.ts';
import { own } from './schema.ts';
import { addNote, declareIncident, transitionIncident } from './service.ts';

const MIN = 60_000;
const system = { type: 'system' as const, id: null, name: null };

export async function seedIncidents(s: Services, target: SeedTarget): Promise<void> {
  const ws = target.workspaceId;
  const now = s.clock.now().getTime();
  const iso = new Date(now).toISOString();
  const settings = {
    ...defaultSettings(s.clock.now()),
    total: 1_200_000,
    technicalDirector: { name: '王建国', phone: '13800138000', email: 'director@vendor.example.com' },
    contacts: [{ name: '李店长', phone: '13900139000', email: 'owner@shop.example.com' }],
    supportLine: { phone: '400-820-1234', email: 'support@vendor.example.com' },
  };
  await own(s.db)
    .insertInto('incident_contracts')
    .values({ workspace_id: ws, definition: JSON.stringify(settings), created_at: iso, updated_at: iso })
    .execute();

  const at = (t: number) => ({ ...s, clock: manualClock(new Date(t)) });
  const run = async (
    start: number,
    input: {
      title: string;
      description: string;
      severity: 'P1' | 'P2' | 'P3';
      mode?: 'real' | 'drill';
      source?: 'console' | 'merchant' | 'alert';
      component?: string;
    },
    steps: [number, 'acknowledged' | 'mitigated' | 'resolved' | 'closed', string][],
  ) => {
    const row = await declareIncident(at(start), ws, {
      mode: 'real',
      source: 'console',
      ...input,
      // The demo shop's own incidents, whichever other workspaces depend on the component.
      workspaceIds: [ws],
      reportedBy: input.source === 'merchant' ? target.ownerId : null,
    });
    for (const [after, to, who] of steps)
      await transitionIncident(at(start + after * MIN), ws, row.id, to, {
        via: 'console',
        actor: { ...system, type: 'user', name: who },
      });
    return row;
  };
  // Updates the status page shows (public) and one it does not (internal).
  const note = (t: number, id: string, body: string, isPublic: boolean) =>
    addNote(at(t), ws, id, { body, public: isPublic });

  const late = await run(
    now - 3 * 1440 * MIN,
    {
      title: '工单流转卡住：售后队列 40 分钟无状态变化',
      description: '售后组队列积压 312 张工单，状态无变化。',
      severity: 'P2',
      source: 'alert',
      component: 'tickets',
    },
    [
      [12, 'acknowledged', '张伟（运维）'],
      [150, 'mitigated', '张伟（运维）'],
      [330, 'resolved', '张伟（运维）'],
    ],
  );
  const lateStart = now - 3 * 1440 * MIN;
  await note(lateStart + 20 * MIN, late.id, '售后工单暂时无法流转，我们正在排查，新工单仍可正常创建。', true);
  await note(lateStart + 95 * MIN, late.id, '队列消费者阻塞在数据库锁上，准备重启消费者。', false);
  await note(lateStart + 155 * MIN, late.id, '已恢复工单流转，积压工单正在处理中，我们会持续观察。', true);
  await note(lateStart + 330 * MIN, late.id, '积压工单已全部处理完毕，服务恢复正常。给您带来不便，深表歉意。', true);
  await run(
    now - 10 * 1440 * MIN,
    { title: '月度客服分析报表生成延迟', description: '11 月报表定时任务超时。', severity: 'P3', component: 'reports' },
    [
      [25, 'acknowledged', '刘洋（运维）'],
      [300, 'resolved', '刘洋（运维）'],
      [1440, 'closed', '刘洋（运维）'],
    ],
  );
  await run(
    now - 6 * 1440 * MIN,
    {
      title: '演练：主数据库宕机切换',
      description: '季度应急演练，切换到备库。',
      severity: 'P1',
      mode: 'drill',
      component: 'database',
    },
    [
      [4, 'acknowledged', '张伟（运维）'],
      [52, 'resolved', '张伟（运维）'],
    ],
  );
  const bot = await run(
    now - 40 * MIN,
    {
      title: '智能客服机器人离线',
      description: '机器人健康检查连续失败，会话已转人工。',
      severity: 'P2',
      source: 'alert',
      component: 'bot',
    },
    [[9, 'acknowledged', '刘洋（运维）']],
  );
  await note(now - 28 * MIN, bot.id, '智能客服暂时离线，新会话已自动转人工客服，我们正在恢复。', true);
  await note(now - 25 * MIN, bot.id, '模型服务进程 OOM，扩容中。', false);
  await run(
    now - 18 * MIN,
    {
      title: '后台订单详情页偶尔显示空白',
      description: '客服反馈约 1/10 的订单详情加载为空。',
      severity: 'P3',
      source: 'merchant',
    },
    [],
  );

  await own(s.db)
    .insertInto('incident_reviews')
    .values({
      incident_id: late.id,
      workspace_id: ws,
      impact: '售后工单 5.5 小时无法流转，约 300 位顾客等待回复。',
      root_cause_category: 'software',
      root_cause: '队列消费者在数据库锁等待时未设超时，全部阻塞。',
      action_items: JSON.stringify([
        {
          title: '给队列消费者加 30 秒超时并告警',
          ownerId: target.ownerId,
          due: new Date(now + 7 * 1440 * MIN).toISOString().slice(0, 10),
          done: false,
        },
      ]),
      updated_by: target.ownerId,
      updated_at: iso,
    })
    .execute();

  const rotationId = `rot_demo_${ws.slice(-8)}`;
  await own(s.db)
    .insertInto('oncall_rotations')
    .values({
      id: rotationId,
      workspace_id: ws,
      name: '一线值班',
      kind: 'normal',
      definition: JSON.stringify({
        name: '一线值班',
        kind: 'normal',
        timezone: 'Asia/Shanghai',
        handoff: 'weekly',
        handoffTime: '09:00',
        handoffWeekday: 0,
        startDate: new Date(now - 14 * 1440 * MIN).toISOString().slice(0, 10),
        participants: [target.ownerId],
        // A night layer over the weekly rotation: it wins from 22:00 to 09:00.
        layers: [
          {
            name: '夜班',
            timezone: 'Asia/Shanghai',
            handoff: 'daily',
            handoffTime: '22:00',
            handoffWeekday: 0,
            startDate: new Date(now - 14 * 1440 * MIN).toISOString().slice(0, 10),
            participants: [target.ownerId],
            hours: { start: '22:00', end: '09:00', weekdays: [0, 1, 2, 3, 4, 5, 6] },
          },
        ],
      }),
      created_at: iso,
      updated_at: iso,
    })
    .execute();
  // The promotion roster as first drafted: days only, so the console warns of the nights it leaves uncovered.
  await own(s.db)
    .insertInto('oncall_rotations')
    .values({
      id: `rot_promo_${ws.slice(-8)}`,
      workspace_id: ws,
      name: '大促值班',
      kind: 'promotion',
      definition: JSON.stringify({
        name: '大促值班',
        kind: 'promotion',
        timezone: 'Asia/Shanghai',
        handoff: 'daily',
        handoffTime: '08:00',
        handoffWeekday: 0,
        startDate: new Date(now - 14 * 1440 * MIN).toISOString().slice(0, 10),
        participants: [target.ownerId],
        hours: { start: '08:00', end: '23:30', weekdays: [0, 1, 2, 3, 4, 5, 6] },
      }),
      created_at: iso,
      updated_at: iso,
    })
    .execute();
  await own(s.db)
    .insertInto('escalation_policies')
    .values({
      workspace_id: ws,
      definition: JSON.stringify({
        steps: [
          { notify: [{ type: 'rotation', id: rotationId }], waitMinutes: 10 },
          { notify: [{ type: 'user', id: target.ownerId }], waitMinutes: 15 },
        ],
        repeat: 1,
        reackMinutes: 30,
      }),
      updated_at: iso,
    })
    .execute();
}
