/**
 * What incidents write for people outside the console (notifications, e-mails, the one-click
 * acknowledge page), in one language: the workspace's for on-call people and channels, the
 * browser's (Accept-Language, else the workspace's) on the acknowledge page (lib/language.ts).
 */
import type { Language } from '../../lib/language.ts';
import type { Reason } from './notify.ts';

type Incident = { number: number; title: string; severity: string; state: string; declared_at: string };

const zh = {
  reasonTitle: {
    declared: '新故障',
    director_engaged: '超时未解决，技术总监介入',
    escalation: '故障升级',
    breach_warning: '即将超时',
  } satisfies Record<Reason, string>,
  states: {
    triggered: '待确认',
    acknowledged: '已确认',
    mitigated: '已缓解',
    resolved: '已恢复',
    closed: '已关闭',
    cancelled: '已取消',
  } as Record<string, string>,
  severity: '级别',
  state: '状态',
  declared: '开始',
  component: '组件',
  onCall: '当前值班',
  drill: '（演练）',
  acknowledge: '一键确认',
  status: '查看状态（无需登录）',
  openIncident: '查看故障',
  openList: '打开故障列表',
  smsAck: '确认',
  colon: '：',
  mailSummary: (i: Incident) => `级别 ${i.severity}，状态 ${zh.states[i.state] ?? i.state}，开始于 ${i.declared_at}。`,
  escalationSubject: (i: Incident) => `故障升级 #${i.number} ${i.title}`,
  escalationIntro: '请尽快确认处理。',
  escalationOnCall: (names: string) => `当前值班：${names}。`,
  directorSubject: (i: Incident) => `故障 #${i.number} 超过解决时限，技术总监介入`,
  directorText: (director: string) => `已超过合同约定的解决时限。技术总监 ${director} 已介入。`,
  contactText: (i: Incident, text: string) => `${i.title}\n开始于 ${i.declared_at}，${text}`,
  testTitle: (channel: string) => `[测试] Kefu 通知渠道「${channel}」`,
  testBody: (actor: string) => `这是一条测试消息，由 ${actor} 发送。`,
  // The acknowledge page.
  cannotAck: '无法确认',
  invalidLink: '链接无效。',
  usedLink: (at: string | null) => (at ? `链接已于 ${at} 使用过。` : '链接已使用过。'),
  expiredLink: '链接已过期。',
  incident: (n: number) => `故障 #${n}`,
  ackIncident: (n: number) => `确认故障 #${n}`,
  ackedBy: (who: string) => `已由 ${who} 确认`,
  ackButton: '确认，我来处理',
  acked: '已确认',
};

type Words = typeof zh;

const en: Words = {
  reasonTitle: {
    declared: 'New incident',
    director_engaged: 'Not resolved in time: the technical director steps in',
    escalation: 'Incident escalated',
    breach_warning: 'About to breach',
  },
  states: {
    triggered: 'triggered',
    acknowledged: 'acknowledged',
    mitigated: 'mitigated',
    resolved: 'resolved',
    closed: 'closed',
    cancelled: 'cancelled',
  },
  severity: 'Severity',
  state: 'State',
  declared: 'Declared',
  component: 'Component',
  onCall: 'On call now',
  drill: ' (drill)',
  acknowledge: 'Acknowledge',
  status: 'Status (no sign-in needed)',
  openIncident: 'Open the incident',
  openList: 'Open the incident list',
  smsAck: 'Acknowledge',
  colon: ': ',
  mailSummary: (i) => `Severity ${i.severity}, ${en.states[i.state] ?? i.state}, declared at ${i.declared_at}.`,
  escalationSubject: (i) => `Incident escalated #${i.number} ${i.title}`,
  escalationIntro: 'Please acknowledge as soon as you can.',
  escalationOnCall: (names) => `On call now: ${names}.`,
  directorSubject: (i) => `Incident #${i.number} is past its resolution time: the technical director steps in`,
  directorText: (director) =>
    `The contract's resolution time has passed. Technical director ${director} has stepped in.`,
  contactText: (i, text) => `${i.title}\nDeclared at ${i.declared_at}. ${text}`,
  testTitle: (channel) => `[Test] Kefu notification channel "${channel}"`,
  testBody: (actor) => `This is a test message, sent by ${actor}.`,
  cannotAck: 'Cannot acknowledge',
  invalidLink: 'This link is not valid.',
  usedLink: (at) => (at ? `This link was already used (${at}).` : 'This link was already used.'),
  expiredLink: 'This link has expired.',
  incident: (n) => `Incident #${n}`,
  ackIncident: (n) => `Acknowledge incident #${n}`,
  ackedBy: (who) => `Acknowledged by ${who}`,
  ackButton: 'Acknowledge: I am on it',
  acked: 'Acknowledged',
};

export const incidentWords: Record<Language, Words> = { 'zh-CN': zh, en };
