import type { Kysely } from 'kysely';

/**
 * Security review (issue #9): TOTP time steps are accepted once; uploads know whether a message
 * uses them (unattached ones are purged) and are summed per workspace for the quota; the shop's
 * user id of a verified shopper is stored encrypted with a keyed hash for lookups; an inbox that
 * allows every site says so explicitly.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();

  await db.schema.alterTable('attachments').addColumn('attached_at', 'text').execute();
  // Which existing uploads a message or a ticket uses cannot be told cheaply: keep them all.
  await db
    .updateTable('attachments')
    .set((eb) => ({ attached_at: eb.ref('created_at') }))
    .execute();
  await db.schema
    .createIndex('attachments_unattached_idx')
    .on('attachments')
    .columns(['attached_at', 'created_at'])
    .execute();
  await db.schema.createIndex('attachments_usage_idx').on('attachments').columns(['workspace_id', 'size']).execute();

  // external_id (plain) is kept for rows written before; the customers module moves them over.
  await db.schema.alterTable('customers').addColumn('external_idx', 'text').execute();
  await db.schema.alterTable('customers').addColumn('external_enc', 'text').execute();
  // Finds the rows still holding a plain id (the conversion job), without scanning every customer.
  await db.schema.createIndex('customers_legacy_external_idx').on('customers').column('external_id').execute();
  await db.schema
    .createIndex('customers_external_idx_uq')
    .on('customers')
    .columns(['workspace_id', 'external_idx'])
    .unique()
    .execute();

  // An empty list used to mean "any site": existing inboxes keep working, now saying so.
  const inboxes = await db.selectFrom('inboxes').select(['id', 'settings']).execute();
  for (const inbox of inboxes as { id: string; settings: string }[]) {
    const settings = JSON.parse(inbox.settings) as { allowedOrigins?: string[]; allowAnyOrigin?: boolean };
    settings.allowAnyOrigin = !settings.allowedOrigins?.length;
    await db
      .updateTable('inboxes')
      .set({ settings: JSON.stringify(settings) })
      .where('id', '=', inbox.id)
      .execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
