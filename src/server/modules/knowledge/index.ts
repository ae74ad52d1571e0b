/** Knowledge module: the knowledge base (知识库) entries, the dictionary and synonyms, import/export, bulk edit. */
import type { KefuModule } from '../../module.ts';
import { knowledgeEvents } from './events.ts';
import { knowledgeRoutes } from './routes.ts';
import { seedKnowledge } from './seed.ts';

/** For the bot: a workspace's whole knowledge base and dictionary. */
export { knowledgeBase } from './service.ts';
/** The demo knowledge base (tests of other modules use it too). */
export { seedKnowledge, demoEntries, demoTerms } from './seed.ts';

export const knowledgeModule: KefuModule = {
  name: 'knowledge',
  tables: ['knowledge_entries', 'knowledge_terms'],
  events: knowledgeEvents,
  permissions: ['knowledge.read', 'knowledge.manage'],
  routes: knowledgeRoutes,
  seed: seedKnowledge,
};
