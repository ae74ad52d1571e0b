import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Inbox } from './api.ts';
import { CodeBlock } from './code-block.tsx';

type SnippetText = { before: string; userId: string; userHash: string; name: string; language: string };

/** The kefuSettings example, its comments in the reader's language. */
export function settingsSnippet(c: SnippetText): string {
  return `<script>
  // ${c.before}
  window.kefuSettings = {
    userId: '10086',              // ${c.userId}
    userHash: '<?= $userHash ?>', // ${c.userHash}
    name: '张三',                 // ${c.name}
    language: 'zh-CN',            // ${c.language}
  };
</script>`;
}

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
      <CodeBlock
        code={settingsSnippet(t('inboxes.snippet', { returnObjects: true }) as SnippetText)}
        testId="settings-snippet"
      />
      {inbox.settings.requireIdentity && (
        <Alert type="info" showIcon title={t('inboxes.identityOnHint')} style={{ marginTop: 12 }} />
      )}
    </>
  );
}
