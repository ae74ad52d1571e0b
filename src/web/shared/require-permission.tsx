import type { ReactNode } from 'react';
import type { Permission } from '../../shared/permissions.ts';
import { useCan } from '../features/auth/session.ts';
import { ForbiddenResult } from './results.tsx';

/** Renders the page only for roles holding `permission`; others get the 403 page. */
export function RequirePermission({ permission, children }: { permission?: Permission; children: ReactNode }) {
  const can = useCan();
  if (permission && !can(permission)) return <ForbiddenResult />;
  return <>{children}</>;
}
