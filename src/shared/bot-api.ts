/** The bot's settings per inbox, its scripts (话术), the "try it" box, and quick-reply buttons in message bodies. */
import { z } from 'zod';

export const botModes = ['bot_first', 'agents_first', 'outside_hours'] as const;
export const botLanguages = ['zh-CN', 'en'] as const;
export type BotLanguage = (typeof botLanguages)[number];

const script = z.string().trim().min(1).max(500);
export const Scripts = z.strictObject({
  greeting: script,
  fallback: script,
  handoff: script,
  outOfHours: script,
  askOrder: script,
  storeDown: script,
});
export type Scripts = z.output<typeof Scripts>;

export const BotSettings = z.strictObject({
  enabled: z.boolean(),
  mode: z.enum(botModes),
  scripts: z.strictObject({ 'zh-CN': Scripts, en: Scripts }),
});
export type BotSettings = z.output<typeof BotSettings>;

export const defaultBotSettings = (): BotSettings => ({
  enabled: true,
  mode: 'bot_first',
  scripts: {
    'zh-CN': {
      greeting: '您好，我是智能客服小助手，请问有什么可以帮您？您也可以随时发送「转人工」。',
      fallback: '抱歉，我没有理解您的问题，可以换个说法试试，或发送「转人工」联系人工客服。',
      handoff: '好的，正在为您转接人工客服，请稍候，客服会看到您刚才的问题。',
      outOfHours: '现在是非工作时间，您可以先留言，人工客服上班后会第一时间回复您。',
      askOrder: '请发送您的订单号（可在「我的订单」中查看），我来帮您查询。',
      storeDown: '抱歉，订单系统暂时无法查询，您可以稍后再试，或发送「转人工」由客服为您处理。',
    },
    en: {
      greeting: 'Hi! I\'m the shop assistant. How can I help? Type "agent" at any time to reach a person.',
      fallback: 'Sorry, I didn\'t get that. Could you rephrase it, or type "agent" to talk to a person?',
      handoff: "Sure, I'm passing you to a customer-service agent who will see your question. Please hold on.",
      outOfHours: "We're outside business hours. Leave a message and an agent will reply as soon as we're back.",
      askOrder: 'Please send your order number (you can find it under "My orders") and I will look it up.',
      storeDown: 'Sorry, I can\'t look up orders right now. Please try again later, or type "agent" for a person.',
    },
  },
});

export const TryBody = z.strictObject({
  text: z.string().max(10_000),
  channel: z.string().max(30).default('web'),
});

export const WidgetPublicIdParam = z.strictObject({ publicId: z.string().min(1).max(64) });
/** A shopper's rating of a bot answer (widget token). */
export const BotRatingBody = z.strictObject({ messageId: z.string().min(1).max(100), useful: z.boolean() });
/** An agent links unanswered questions (the bot's turns, by shopper message id) to the entry that answers them. */
export const LinkUnansweredBody = z.strictObject({
  messageIds: z.array(z.string().min(1).max(100)).min(1).max(200),
  entryId: z.string().min(1).max(64),
});
