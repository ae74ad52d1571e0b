import { Spin } from 'antd';
import { Navigate, useLocation } from 'react-router';
import { AppLayout } from '../../layout/app-layout.tsx';
import { LoadError } from '../../shared/load-error.tsx';
import { ForcedPasswordPage } from './forced-password-page.tsx';
import { signedOutDeliberately, useMeQuery } from './session.ts';

/** The gate of the signed-in area: sign-in page when signed out, password change when required, else the console. */
export function RequireSession() {
  const location = useLocation();
  const session = useMeQuery();

  if (session.isPending) {
    return (
      <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (session.isError) {
    return (
      <div style={{ padding: 48 }}>
        <LoadError error={session.error} onRetry={() => void session.refetch()} />
      </div>
    );
  }
  if (!session.data) {
    // Back to this page after signing in again, unless the user signed out on purpose.
    const state = signedOutDeliberately() ? undefined : { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={state} />;
  }
  if (session.data.user.mustChangePassword) return <ForcedPasswordPage />;
  return <AppLayout />;
}
