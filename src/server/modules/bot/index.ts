/** Bot module: the offline retrieval engine, intents, the bot as a conversation participant, hand-off. */
import type { KefuModule } from '../../module.ts';
import { setWidgetBotProbe } from '../conversations/index.ts';
import { botEvents } from './events.ts';
import { denseMetrics } from './dense/service.ts';
import { llmMetrics } from './llm-settings.ts';
import { botMetrics } from './participant.ts';
import { botRoutes } from './routes.ts';
import { botInWidget } from './settings.ts';

/** The engine, for the CLI (`kefu bot eval`) and the benchmark. */
export { Matcher, type MatcherEntry, type Ranked, type Example, type Band } from './engine/matcher.ts';
export {
  buildMatcher,
  evaluate,
  selfCalibrate,
  type EvalReport,
  type FaqLine,
  type QueryLine,
} from './engine/evaluate.ts';
export { lexiconOf } from './engine/text.ts';
/** Text to terms (jieba words, Han unigrams and bigrams): the reports cluster hot questions with them. */
export { normalize, termsOf, emptyLexicon } from './engine/text.ts';
/** Personal data and ids replaced by placeholders: the reports match and cluster hot questions without them. */
export { maskForLlm, placeholders } from './pii-mask.ts';

/** For routing: whether the bot answers first in an inbox (routing then waits for its hand-off). */
export { botAnswersIn } from './settings.ts';
/** Routing registers how to ask whether surge mode is on (the bot then answers first in any mode). */
export { setSurgeProbe } from './surge.ts';

/** For the privacy module: empty a shopper's questions to the bot; reseal the LLM keys after a key rotation. */
export { eraseBotTurns } from './privacy.ts';
export { resealLlmSettings } from './llm-settings.ts';

// The widget keeps its chat open while the bot answers, even when agents are away or out of hours.
setWidgetBotProbe(botInWidget);

export const botModule: KefuModule = {
  name: 'bot',
  tables: ['bot_settings', 'bot_sessions', 'bot_turns', 'bot_llm_settings'],
  events: botEvents,
  permissions: ['settings.manage', 'knowledge.read'],
  routes: botRoutes,
  metrics: (s) => {
    botMetrics(s);
    llmMetrics(s);
    denseMetrics(s);
  },
};
