import { useEffect } from 'react';
import { App, Button, Drawer, Form, Input, Select, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { orderStates } from '../../../shared/knowledge-api.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useSaveEntry, type Entry, type EntryInput } from './api.ts';

type Values = Omit<EntryInput, 'similar'> & { similar: string };

const lines = (v: string) =>
  v
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

export const emptyEntry = (question = '', similar: readonly string[] = []): Values => ({
  question,
  similar: similar.join('\n'),
  answer: '',
  buttons: [],
  category: '',
  tags: [],
  products: [],
  orderStates: [],
  channels: [],
  validFrom: null,
  validTo: null,
  enabled: true,
});

/** Create or edit one entry: questions, answer, quick replies, where and when it applies. */
export function EntryDrawer({
  entry,
  draft,
  open,
  onClose,
}: {
  entry: Entry | null;
  /** A new entry's start: a question and its other wordings (from the unanswered questions). */
  draft?: { question: string; similar: readonly string[] };
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const save = useSaveEntry();
  useEffect(() => {
    if (!open) return;
    form.setFieldsValue(
      entry ? { ...entry, similar: entry.similar.join('\n') } : emptyEntry(draft?.question, draft?.similar),
    );
  }, [open, entry, draft, form]);
  const submit = async (v: Values) => {
    try {
      await save.mutateAsync({
        ...v,
        id: entry?.id,
        similar: lines(v.similar),
        validFrom: v.validFrom || null,
        validTo: v.validTo || null,
        category: v.category ?? '',
      });
      message.success(t('knowledge.saved'));
      onClose();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const tagsSelect = (max: number) => ({
    mode: 'tags' as const,
    maxCount: max,
    open: false,
    tokenSeparators: [',', '，'],
  });
  return (
    <Drawer
      open={open}
      title={entry ? t('knowledge.edit') : t('knowledge.create')}
      size={640}
      onClose={onClose}
      forceRender
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="entry-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="question" label={t('knowledge.field.question')} rules={[{ required: true, max: 300 }]}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="similar" label={t('knowledge.field.similar')} extra={t('knowledge.field.similarHelp')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
        </Form.Item>
        <Form.Item
          name="answer"
          label={t('knowledge.field.answer')}
          rules={[{ required: true, max: 5000 }]}
          extra={t('knowledge.field.answerHelp')}
        >
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 14 }} maxLength={5000} showCount />
        </Form.Item>
        <Form.Item name="buttons" label={t('knowledge.field.buttons')} extra={t('knowledge.field.buttonsHelp')}>
          <Select {...tagsSelect(6)} />
        </Form.Item>
        <Space wrap size={16} style={{ width: '100%' }}>
          <Form.Item name="category" label={t('knowledge.field.category')}>
            <Input maxLength={40} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="enabled" label={t('knowledge.field.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item name="tags" label={t('knowledge.field.tags')}>
          <Select {...tagsSelect(20)} />
        </Form.Item>
        <Form.Item name="products" label={t('knowledge.field.products')}>
          <Select {...tagsSelect(50)} />
        </Form.Item>
        <Form.Item name="orderStates" label={t('knowledge.field.orderStates')}>
          <Select
            mode="multiple"
            options={orderStates.map((s) => ({ value: s, label: t(`knowledge.orderState.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="channels" label={t('knowledge.field.channels')} extra={t('knowledge.field.channelsHelp')}>
          <Select {...tagsSelect(20)} />
        </Form.Item>
        <Space wrap size={16}>
          <Form.Item name="validFrom" label={t('knowledge.field.validFrom')}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="validTo" label={t('knowledge.field.validTo')}>
            <Input type="date" />
          </Form.Item>
        </Space>
      </Form>
    </Drawer>
  );
}
