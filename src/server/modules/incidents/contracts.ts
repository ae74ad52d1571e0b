/**
 * A workspace's contract (requirements §3, §6): stored as the API body; read as the penalty
 * engine's `Contract`. A workspace without one gets the contract's defaults (severity table,
 * the promotion calendar of the year: 618, Double 11, Double 12) and a total of 0, so clocks run
 * and the statement shows hours over, but nothing is deducted until the contract is entered.
 */
import type { z } from 'zod';
import { ContractBody } from '../../../shared/incidents-api.ts';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { badRequest } from '../../lib/errors.ts';
import { defaultPromotions, parseContract, shanghai, type Contract } from './penalty/index.ts';
import { own } from './schema.ts';

export type ContractSettings = z.output<typeof ContractBody>;
export type Person = NonNullable<ContractSettings['technicalDirector']>;

const zone = 'Asia/Shanghai';

/** What a workspace without a contract gets: this year's term and promotions, no total. */
export function defaultSettings(now: Date): ContractSettings {
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: zone, year: 'numeric' }).format(now));
  return ContractBody.parse({
    total: 1,
    term: { start: shanghai(year, 1, 1), end: shanghai(year + 1, 1, 1) },
    promotions: defaultPromotions(year),
  });
}

/** The engine's view of settings (throws 400 with every problem when they do not parse). */
export function toContract(settings: ContractSettings, configured: boolean): Contract {
  const { technicalDirector: _d, contacts: _c, supportLine: _s, ...terms } = settings;
  const r = parseContract(terms);
  if (!r.ok) throw badRequest(`invalid contract: ${r.problems.join('; ')}`, { problems: r.problems });
  return configured ? r.value : { ...r.value, total: 0 };
}

export type WorkspaceContract = { configured: boolean; settings: ContractSettings; contract: Contract };

export async function contractOf(s: Pick<Services, 'db' | 'clock'>, workspaceId: string): Promise<WorkspaceContract> {
  const row = await own(s.db)
    .selectFrom('incident_contracts')
    .select('definition')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  const settings = row ? ContractBody.parse(JSON.parse(row.definition)) : defaultSettings(s.clock.now());
  return { configured: !!row, settings, contract: toContract(settings, !!row) };
}

export async function saveContract(ctx: Ctx, input: ContractSettings): Promise<WorkspaceContract> {
  const ws = ctx.actor.workspaceId;
  const contract = toContract(input, true);
  const now = ctx.clock.now().toISOString();
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .insertInto('incident_contracts')
      .values({ workspace_id: ws, definition: JSON.stringify(input), created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ definition: JSON.stringify(input), updated_at: now }))
      .execute();
    await publish(ctx, 'incident_contract.saved', ws, 'incident_contract', ws, {
      total: input.total,
      currency: input.currency,
      capScope: input.capScope,
      rounding: input.rounding,
    });
  });
  return { configured: true, settings: input, contract };
}

/** What applies where the settings name nothing: the severity tables and promotion windows in force (the editor shows them). */
export function effectiveTerms(c: Contract) {
  return {
    severities: c.severities,
    promotionSeverities: c.promotionSeverities,
    promotions: c.promotions.map((p) => ({
      name: p.name,
      start: new Date(p.start).toISOString(),
      end: new Date(p.end).toISOString(),
    })),
  };
}
