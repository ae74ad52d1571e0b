import { useState } from 'react';
import { Button, Form, Space, Switch, Tabs, Typography, theme } from 'antd';
import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Inbox } from './api.ts';
import { CodeBlock } from './code-block.tsx';
import { OriginsField } from './origins-field.tsx';

export const hmacExamples: { key: string; label: string; code: string }[] = [
  {
    key: 'node',
    label: 'Node.js',
    code: `import { createHmac } from 'node:crypto';

// KEFU_IDENTITY_SECRET: the secret above, kept on your server only
const userHash = createHmac('sha256', process.env.KEFU_IDENTITY_SECRET)
  .update(String(user.id))
  .digest('hex');`,
  },
  {
    key: 'php',
    label: 'PHP',
    code: `<?php
// KEFU_IDENTITY_SECRET: the secret above, kept on your server only
$userHash = hash_hmac('sha256', (string) $user->id, getenv('KEFU_IDENTITY_SECRET'));`,
  },
  {
    key: 'java',
    label: 'Java',
    code: `import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

String secret = System.getenv("KEFU_IDENTITY_SECRET"); // kept on your server only
Mac mac = Mac.getInstance("HmacSHA256");
mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
String userHash = HexFormat.of().formatHex(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));`,
  },
];

function Secret({ secret }: { secret: string }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const [shown, setShown] = useState(false);
  return (
    <Space.Compact style={{ width: '100%' }}>
      <div
        style={{
          flex: 1,
          padding: '4px 11px',
          border: `1px solid ${token.colorBorder}`,
          borderRadius: '6px 0 0 6px',
          fontFamily: token.fontFamilyCode,
          fontSize: 13,
          lineHeight: '22px',
          background: token.colorFillQuaternary,
          overflow: 'hidden',
          textOverflow: 'ellipsis',
          whiteSpace: 'nowrap',
        }}
        data-testid="identity-secret"
      >
        {shown ? secret : `${secret.slice(0, 4)}${'•'.repeat(28)}`}
      </div>
      <Button
        icon={shown ? <EyeInvisibleOutlined /> : <EyeOutlined />}
        onClick={() => setShown(!shown)}
        data-testid="reveal-secret"
      >
        {shown ? t('inboxes.hide') : t('inboxes.reveal')}
      </Button>
      <Button style={{ padding: '0 10px' }}>
        <Typography.Text copyable={{ text: secret, tooltips: [t('common.copy'), t('common.copied')] }} />
      </Button>
    </Space.Compact>
  );
}

/** Where the widget may be embedded, and identity verification for logged-in shoppers. */
export function SecuritySection({ inbox }: { inbox: Inbox }) {
  const { t } = useTranslation();
  return (
    <>
      <OriginsField />

      <Typography.Title level={5}>{t('inboxes.identityTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('inboxes.identityExplain')}</Typography.Paragraph>
      <Form.Item
        name="requireIdentity"
        label={t('inboxes.requireIdentity')}
        extra={t('inboxes.requireIdentityHelp')}
        valuePropName="checked"
      >
        <Switch data-testid="require-identity" />
      </Form.Item>
      {inbox.identitySecret && (
        <Form.Item label={t('inboxes.identitySecret')} extra={t('inboxes.identitySecretHelp')}>
          <Secret secret={inbox.identitySecret} />
        </Form.Item>
      )}
      <Typography.Text strong>{t('inboxes.hmacTitle')}</Typography.Text>
      <Tabs
        size="small"
        items={hmacExamples.map((e) => ({ key: e.key, label: e.label, children: <CodeBlock code={e.code} /> }))}
      />
    </>
  );
}
