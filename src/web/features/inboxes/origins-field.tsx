import { Alert, Checkbox, Form, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { normalizeOrigin } from './inbox-form.ts';

/**
 * Where the widget may be embedded: the shop's origins, or (explicitly, with a warning) any site.
 * The server refuses an inbox with neither, so the form asks before it sends.
 */
export function OriginsField() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name="allowedOrigins"
        label={t('inboxes.allowedOrigins')}
        extra={t('inboxes.allowedOriginsHelp')}
        dependencies={['allowAnyOrigin']}
        rules={[
          ({ getFieldValue }) => ({
            validator: async (_, value: string[] | undefined) => {
              const bad = (value ?? []).find((o) => normalizeOrigin(o) === null);
              if (bad) throw new Error(t('inboxes.badOrigin', { origin: bad }));
              if (!value?.length && !getFieldValue('allowAnyOrigin')) throw new Error(t('inboxes.originsRequired'));
            },
          }),
        ]}
      >
        <Select
          mode="tags"
          tokenSeparators={[',', ' ', '\n']}
          open={false}
          placeholder="https://shop.example.com"
          suffixIcon={null}
          data-testid="allowed-origins"
        />
      </Form.Item>
      <Form.Item name="allowAnyOrigin" valuePropName="checked" extra={t('inboxes.allowAnyOriginHelp')}>
        <Checkbox data-testid="allow-any-origin">{t('inboxes.allowAnyOrigin')}</Checkbox>
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.allowAnyOrigin !== b.allowAnyOrigin}>
        {({ getFieldValue }) =>
          getFieldValue('allowAnyOrigin') ? (
            <Alert type="warning" showIcon title={t('inboxes.anyOriginWarning')} style={{ marginBottom: 16 }} />
          ) : null
        }
      </Form.Item>
    </>
  );
}
