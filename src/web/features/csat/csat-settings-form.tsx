/**
 * The survey of the workspace (`*`) or one inbox: on or off, stars or faces, the wording in both
 * languages (question, follow-up comment, thanks), up to five extra questions, tickets too, and
 * how long a request (the widget card and the link) can be answered.
 */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Divider, Flex, Form, Input, InputNumber, Radio, Select, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { csatScales, type CsatSettings } from '../../../shared/csat-api.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useSaveCsatSettings } from './api.ts';

const wordings = ['prompt', 'commentPrompt', 'thanks'] as const;

export function CsatSettingsForm({ scope, settings }: { scope: string; settings: CsatSettings }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const save = useSaveCsatSettings();
  const [form] = Form.useForm<CsatSettings>();
  useEffect(() => form.setFieldsValue(settings), [form, settings]);
  return (
    <Form
      form={form}
      layout="vertical"
      data-testid="csat-settings"
      initialValues={settings}
      onFinish={(v) =>
        save.mutate(
          { scope, settings: { ...settings, ...v, questions: v.questions ?? [] } },
          {
            onSuccess: () => void message.success(t('routing.saved')),
            onError: (e) => void message.error(errorText(e)),
          },
        )
      }
    >
      <Form.Item name="enabled" label={t('csat.settings.enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="scale" label={t('csat.settings.scale')}>
        <Radio.Group
          optionType="button"
          options={csatScales.map((s) => ({ value: s, label: t(`csat.settings.scales.${s}`) }))}
        />
      </Form.Item>
      <Divider titlePlacement="start">{t('csat.settings.wording')}</Divider>
      {wordings.map((w) => (
        <Flex key={w} gap={12} wrap>
          {(['zh-CN', 'en'] as const).map((lang) => (
            <Form.Item
              key={lang}
              name={[w, lang]}
              label={t('csat.settings.inLanguage', {
                what: t(`csat.settings.${w}`),
                lang: t(lang === 'en' ? 'csat.settings.en' : 'csat.settings.zh'),
              })}
              rules={[{ required: true, max: 200 }]}
              style={{ flex: '1 1 260px' }}
            >
              <Input maxLength={200} />
            </Form.Item>
          ))}
        </Flex>
      ))}
      <Form.Item label={t('csat.settings.questions')}>
        <Form.List name="questions">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((f) => (
                <Card
                  key={f.key}
                  size="small"
                  extra={
                    <MinusCircleOutlined aria-label={t('routing.settings.remove')} onClick={() => remove(f.name)} />
                  }
                >
                  <Flex gap={8} wrap>
                    <Form.Item
                      name={[f.name, 'id']}
                      label={t('csat.settings.questionId')}
                      rules={[{ required: true, pattern: /^[a-z0-9_]{1,30}$/ }]}
                      style={{ flex: '1 1 160px', marginBottom: 8 }}
                    >
                      <Input />
                    </Form.Item>
                    <Form.Item name={[f.name, 'kind']} label=" " style={{ marginBottom: 8 }}>
                      <Select
                        style={{ width: 120 }}
                        options={(['yes_no', 'text'] as const).map((k) => ({
                          value: k,
                          label: t(`csat.settings.kinds.${k}`),
                        }))}
                      />
                    </Form.Item>
                  </Flex>
                  <Flex gap={8} wrap>
                    {(['zh-CN', 'en'] as const).map((lang) => (
                      <Form.Item
                        key={lang}
                        name={[f.name, 'label', lang]}
                        rules={[{ required: true, max: 200 }]}
                        style={{ flex: '1 1 220px', marginBottom: 0 }}
                      >
                        <Input placeholder={t(lang === 'en' ? 'csat.settings.en' : 'csat.settings.zh')} />
                      </Form.Item>
                    ))}
                  </Flex>
                </Card>
              ))}
              {fields.length < 5 && (
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ id: `q${fields.length + 1}`, kind: 'yes_no', label: { 'zh-CN': '', en: '' } })}
                >
                  {t('csat.settings.addQuestion')}
                </Button>
              )}
            </Flex>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item name="askOnTickets" label={t('csat.settings.askOnTickets')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="linkTtlHours" label={t('csat.settings.linkTtlHours')}>
        <InputNumber min={1} max={720} precision={0} style={{ width: 200 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="save-csat">
        {t('csat.settings.save')}
      </Button>
    </Form>
  );
}
