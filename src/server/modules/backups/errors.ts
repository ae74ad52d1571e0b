/** The failures a person can act on, as one line (the command line's exit 2, a run's error in the history). */
import { BackupIntegrityError, WrongKeyError } from './crypto.ts';
import { BackupNotFoundError } from './repo.ts';
import { RestoreError } from './restore.ts';
import { BackupToolError } from './snapshot.ts';
import { TargetError } from './targets/types.ts';

/**
 * Whether an error says the backups themselves are bad (a damaged or altered chunk, a key that
 * cannot open them, a restore that found them inconsistent), as opposed to the run being unable to
 * work (target unreachable, bad configuration, no space): the first is data loss, the second not.
 */
export function isBackupDamage(err: unknown): boolean {
  return err instanceof BackupIntegrityError || err instanceof WrongKeyError || err instanceof RestoreError;
}

export function backupErrorMessage(err: unknown): string | null {
  if (
    err instanceof WrongKeyError ||
    err instanceof TargetError ||
    err instanceof BackupIntegrityError ||
    err instanceof BackupNotFoundError ||
    err instanceof RestoreError ||
    err instanceof BackupToolError
  )
    return err.message;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC') return `no space left: ${(err as Error).message}`;
  if (code === 'EACCES' || code === 'EROFS') return `not allowed: ${(err as Error).message}`;
  return null;
}
