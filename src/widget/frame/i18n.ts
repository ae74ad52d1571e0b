/** The frame's texts in zh-CN and English. Hand-rolled: two flat tables are smaller than any i18n library. */
import { maxMessageChars } from '../../shared/realtime/protocol.ts';

export type Lang = 'zh-CN' | 'en';

/** The merchant's `kefuSettings.language` wins, then the browser's; anything Chinese → zh-CN, else English. */
export function pickLanguage(requested: string | undefined, browser: string | undefined): Lang {
  for (const tag of [requested, browser]) {
    if (!tag) continue;
    return /^zh\b/i.test(tag) ? 'zh-CN' : 'en';
  }
  return 'zh-CN';
}

const zh = {
  title: '在线客服',
  close: '关闭聊天窗口',
  online: '在线',
  away: '暂时离开',
  loading: '加载中…',
  connecting: '正在连接…',
  reconnecting: '连接已断开，正在重新连接…',
  retryNow: '立即重试',
  conversation: '聊天记录',
  placeholder: '输入消息…',
  composerHint: 'Enter 发送，Shift+Enter 换行',
  message: '消息',
  send: '发送',
  attach: '发送图片或文件',
  uploading: '正在上传…',
  typing: '客服正在输入…',
  sending: '发送中…',
  sent: '未读',
  read: '已读',
  failed: '发送失败',
  retry: '重试',
  remove: '删除',
  you: '我',
  agent: '客服',
  bot: '智能助手',
  useful: '有用',
  notUseful: '没用',
  thanksRating: '感谢您的反馈',
  image: '图片',
  preChatIntro: '开始咨询前，请留下您的联系信息。',
  name: '姓名',
  phone: '手机号',
  email: '邮箱',
  orderNo: '订单号',
  required: '必填',
  start: '开始咨询',
  fieldRequired: '请填写{field}',
  emailInvalid: '邮箱格式不正确',
  phoneInvalid: '手机号格式不正确',
  offlineTitle: '给我们留言',
  yourName: '称呼（选填）',
  contact: '联系方式（手机号或邮箱）',
  contactInvalid: '请填写手机号或邮箱',
  messageRequired: '请填写留言内容',
  submitMessage: '提交留言',
  thanks: '感谢您的留言！我们会尽快与您联系。',
  tooLarge: '文件过大，不能超过 10 MB。',
  tooLong: `消息过长，最多 ${maxMessageChars} 字。`,
  uploadFailed: '上传失败，请重试。',
  notAllowed: '此网站未开通在线客服。',
  unavailable: '在线客服暂时无法使用，请稍后再试。',
  invalidInput: '请检查填写的内容。',
  rateLimited: '操作太频繁，请稍后再试。',
  failedGeneric: '出了点问题，请稍后再试。',
  dismiss: '知道了',
} as const;

export type Strings = { [K in keyof typeof zh]: string };

const en: Strings = {
  title: 'Chat with us',
  close: 'Close chat',
  online: 'Online',
  away: 'Away',
  loading: 'Loading…',
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  retryNow: 'Retry now',
  conversation: 'Conversation',
  placeholder: 'Type a message…',
  composerHint: 'Enter to send, Shift+Enter for a new line',
  message: 'Message',
  send: 'Send',
  attach: 'Send an image or file',
  uploading: 'Uploading…',
  typing: 'Agent is typing…',
  sending: 'Sending…',
  sent: 'Sent',
  read: 'Read',
  failed: 'Not sent',
  retry: 'Retry',
  remove: 'Remove',
  you: 'You',
  agent: 'Support',
  bot: 'Assistant',
  useful: 'Helpful',
  notUseful: 'Not helpful',
  thanksRating: 'Thanks for your feedback',
  image: 'Image',
  preChatIntro: 'Before we start, please tell us how to reach you.',
  name: 'Name',
  phone: 'Phone',
  email: 'E-mail',
  orderNo: 'Order number',
  required: 'required',
  start: 'Start chat',
  fieldRequired: 'Please fill in {field}',
  emailInvalid: 'That e-mail address does not look right',
  phoneInvalid: 'That phone number does not look right',
  offlineTitle: 'Leave us a message',
  yourName: 'Your name (optional)',
  contact: 'Phone or e-mail',
  contactInvalid: 'Please enter a phone number or e-mail address',
  messageRequired: 'Please write a message',
  submitMessage: 'Send message',
  thanks: "Thanks for your message! We'll get back to you soon.",
  tooLarge: 'That file is too large (10 MB at most).',
  tooLong: `That message is too long (${maxMessageChars} characters at most).`,
  uploadFailed: 'Upload failed. Please try again.',
  notAllowed: 'Chat is not enabled for this website.',
  unavailable: 'Chat is unavailable right now. Please try again later.',
  invalidInput: 'Please check what you entered.',
  rateLimited: 'Too many attempts. Please wait a moment.',
  failedGeneric: 'Something went wrong. Please try again later.',
  dismiss: 'Dismiss',
};

export function strings(lang: Lang): Strings {
  return lang === 'zh-CN' ? zh : en;
}

export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}
