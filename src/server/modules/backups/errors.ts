/** The failures a person can act on, as one line (the command line's exit 2, a run's error in the history). */
import { BackupIntegrityError, WrongKeyError } from './crypto.ts';
import { BackupNotFoundError } from './repo.ts';
import { RestoreError } from './restore.ts';
import { BackupToolError } from './snapshot.ts';
import { TargetError } from './targets/types.ts';

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
