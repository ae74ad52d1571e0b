import type { Kysely } from 'kysely';

/**
 * An agent's avatar for shoppers (issue #16 defect 12): an uploaded image (an attachment of the
 * workspace) or a generated one (initials on one of a few colours); neither set: generated, with a
 * colour taken from the user id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('avatar_attachment_id', 'text').execute();
  await db.schema.alterTable('users').addColumn('avatar_color', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
