/** Every notifier by kind. */
import { dingtalk, feishu, wecom } from './robots.ts';
import { email, sms, webhook } from './others.ts';
import type { Notifier } from './types.ts';

export const notifierKinds = ['email', 'wecom', 'dingtalk', 'feishu', 'sms', 'webhook'] as const;
export type NotifierKind = (typeof notifierKinds)[number];

export const notifiers: Record<NotifierKind, Notifier<any>> = { email, wecom, dingtalk, feishu, sms, webhook };

export { dingtalkSign, feishuSign } from './robots.ts';
export { webhookSignature } from './others.ts';
export type { Notifier, NotifierMessage, SendContext } from './types.ts';
