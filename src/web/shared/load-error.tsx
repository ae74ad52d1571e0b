import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from './http.ts';
import { ForbiddenResult } from './results.tsx';
import { useErrorText } from './use-error-text.ts';

/** What a page shows when its data could not be loaded; a 403 becomes the no-permission page. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  if (error instanceof ApiError && error.status === 403) return <ForbiddenResult />;
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <Alert
      type="error"
      showIcon
      title={t('loadError.title')}
      description={
        <>
          {errorText(error)}
          {requestId && <div style={{ opacity: 0.65, fontSize: 12 }}>{t('errors.requestId', { id: requestId })}</div>}
        </>
      }
      action={
        onRetry && (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )
      }
    />
  );
}
