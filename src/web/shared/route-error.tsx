import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';
import { useErrorText } from './use-error-text.ts';

/** Last resort when a page throws: say so, offer a reload. */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const errorText = useErrorText();
  return (
    <Result
      status="error"
      title={t('loadError.title')}
      subTitle={errorText(error)}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('common.retry')}
        </Button>
      }
    />
  );
}
