import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Inbox } from './api.ts';
import { CodeBlock } from './code-block.tsx';

export const settingsSnippet = `<script>
  // Before the widget script, on pages where the shopper is signed in:
  window.kefuSettings = {
    userId: '10086',                // your user id, as a string
    userHash: '<?= $userHash ?>',   // HMAC-SHA256(secret, userId), from your server
    name: '张三',                   // optional: shown to agents
    language: 'zh-CN',              // 'zh-CN' or 'en'
  };
</script>`;

/** What the shop pastes into its pages. */
export function InstallSection({ inbox }: { inbox: Inbox }) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('inboxes.embedTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('inboxes.embedHelp')}</Typography.Paragraph>
      <CodeBlock code={inbox.embedSnippet} testId="embed-snippet" />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('inboxes.publicId')}:{' '}
        <Typography.Text code copyable>
          {inbox.publicId}
        </Typography.Text>
      </Typography.Paragraph>

      <Typography.Title level={5}>{t('inboxes.settingsTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('inboxes.settingsHelp')}</Typography.Paragraph>
      <CodeBlock code={settingsSnippet} testId="settings-snippet" />
      {inbox.settings.requireIdentity && (
        <Alert type="info" showIcon title={t('inboxes.identityOnHint')} style={{ marginTop: 12 }} />
      )}
    </>
  );
}
