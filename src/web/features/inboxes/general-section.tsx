import { Checkbox, ColorPicker, Form, Input, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { preChatFields, type PreChatField } from './inbox-form.ts';

const presetColors = ['#1677ff', '#13c2c2', '#52c41a', '#fa8c16', '#f5222d', '#eb2f96', '#722ed1', '#262626'];

/** Name, colour, and what the widget says when it opens and when nobody is there. */
export function GeneralSection() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name="name"
        label={t('inboxes.name')}
        rules={[{ required: true, whitespace: true, message: t('inboxes.nameRequired') }, { max: 100 }]}
      >
        <Input data-testid="inbox-edit-name" />
      </Form.Item>
      <Form.Item
        name="color"
        label={t('inboxes.color')}
        extra={t('inboxes.colorHelp')}
        getValueFromEvent={(_, hex: string) => hex}
      >
        <ColorPicker
          format="hex"
          disabledAlpha
          showText
          presets={[{ label: t('inboxes.color'), colors: presetColors }]}
        />
      </Form.Item>
      <Typography.Title level={5}>{t('inboxes.greeting')}</Typography.Title>
      <Form.Item name={['greeting', 'zh-CN']} label={t('inboxes.inChinese')} rules={[{ max: 500 }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} showCount maxLength={500} />
      </Form.Item>
      <Form.Item name={['greeting', 'en']} label={t('inboxes.inEnglish')} rules={[{ max: 500 }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} showCount maxLength={500} />
      </Form.Item>
      <Typography.Title level={5}>{t('inboxes.offlineMessage')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('inboxes.offlineHelp')}</Typography.Paragraph>
      <Form.Item name={['offlineMessage', 'zh-CN']} label={t('inboxes.inChinese')} rules={[{ max: 500 }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} showCount maxLength={500} />
      </Form.Item>
      <Form.Item name={['offlineMessage', 'en']} label={t('inboxes.inEnglish')} rules={[{ max: 500 }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} showCount maxLength={500} />
      </Form.Item>
    </>
  );
}

/** The short form a shopper fills in before the first message. */
export function PreChatSection() {
  const { t } = useTranslation();
  const enabled = Form.useWatch<boolean | undefined>(['preChat', 'enabled']);
  const fields = Form.useWatch<PreChatField[] | undefined>(['preChat', 'fields']) ?? [];
  const options = preChatFields.map((field) => ({ value: field, label: t(`inboxes.preChatFields.${field}`) }));
  return (
    <>
      <Typography.Paragraph type="secondary">{t('inboxes.preChatHelp')}</Typography.Paragraph>
      <Form.Item name={['preChat', 'enabled']} label={t('inboxes.preChatEnabled')} valuePropName="checked">
        <Switch data-testid="prechat-enabled" />
      </Form.Item>
      <Form.Item
        name={['preChat', 'fields']}
        label={t('inboxes.preChatAsk')}
        rules={[
          {
            validator: async (_, value: PreChatField[] | undefined) => {
              if (enabled && !value?.length) throw new Error(t('inboxes.preChatNeedsField'));
            },
          },
        ]}
      >
        <Checkbox.Group options={options} disabled={!enabled} />
      </Form.Item>
      <Form.Item
        name={['preChat', 'required']}
        label={t('inboxes.preChatRequired')}
        extra={t('inboxes.preChatRequiredHelp')}
      >
        <Checkbox.Group options={options.map((o) => ({ ...o, disabled: !enabled || !fields.includes(o.value) }))} />
      </Form.Item>
    </>
  );
}
