/** The demo workspace asks for ratings with stars, a comment and one extra question. */
import { CsatSettings, csatScopeAll } from '../../../shared/csat-api.ts';
import type { Services } from '../../context.ts';
import type { SeedTarget } from '../../module.ts';
import { own } from './schema.ts';

export const demoSurvey: CsatSettings = CsatSettings.parse({
  enabled: true,
  scale: 'stars',
  prompt: { 'zh-CN': '本次服务您满意吗？请为客服打分', en: 'How satisfied are you with our service today?' },
  questions: [
    { id: 'solved', kind: 'yes_no', label: { 'zh-CN': '您的问题解决了吗？', en: 'Was your problem solved?' } },
  ],
});

export async function seedCsat(s: Services, target: SeedTarget): Promise<void> {
  await own(s.db)
    .insertInto('csat_settings')
    .values({
      workspace_id: target.workspaceId,
      inbox_id: csatScopeAll,
      definition: JSON.stringify(demoSurvey),
      updated_at: s.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'inbox_id']).doNothing())
    .execute();
}
