/** The demo's web inbox and its bot settings. */
import { defaultBotSettings, type BotSettings } from '../../shared/bot-api.ts';

/** The body that creates the demo shop's web inbox, embeddable on `origins`. */
export const demoInbox = (origins: string[]) => ({
  name: '官网在线客服',
  settings: {
    color: '#1677ff',
    greeting: {
      'zh-CN': '您好，欢迎光临云帆优选！有什么可以帮您？',
      en: 'Hi, welcome to Yunfan Select! How can we help?',
    },
    preChat: { enabled: false, fields: ['name'], required: [] },
    allowedOrigins: origins,
  },
});

/** The bot's defaults, with a greeting script (it opens the chat while the bot answers) in the shop's words. */
export function demoBotSettings(): BotSettings {
  const bot = defaultBotSettings();
  bot.scripts['zh-CN'].greeting =
    '您好，欢迎光临云帆优选！我是智能助手，请问有什么可以帮您？需要人工请随时发送「转人工」。';
  bot.scripts.en.greeting =
    'Hi, welcome to Yunfan Select! I\'m the shop assistant. How can I help? Type "agent" at any time to reach a person.';
  return bot;
}
