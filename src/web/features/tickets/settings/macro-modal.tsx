import { Alert, App, Col, Form, Input, Modal, Row, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../../shared/use-error-text.ts';
import { useSaveMacro, type Macro, type MacroActions } from '../config-api.ts';
import { priorities, statuses } from '../model.ts';
import { presenceOption } from '../../routing/presence.tsx';
import { none, useLookups } from '../use-lookups.ts';

const keep = '__keep__';
type Values = {
  name: string;
  status: string;
  priority: string;
  type: string;
  groupId: string;
  assigneeId: string;
  addTags: string[];
  replyBody?: string;
  replyPublic: boolean;
};

/** An option without a person (its label is its search text, like a person's name in `presenceOption`). */
const plain = (value: string, label: string) => ({ value, label, search: label });

function toValues(macro: Macro | null): Values {
  const a = macro?.actions ?? {};
  const pick = (v: string | null | undefined) => (v === undefined ? keep : v === null ? none : v);
  return {
    name: macro?.name ?? '',
    status: pick(a.status),
    priority: pick(a.priority),
    type: pick(a.type),
    groupId: pick(a.groupId),
    assigneeId: pick(a.assigneeId),
    addTags: a.addTags ?? [],
    replyBody: a.reply?.body ?? '',
    replyPublic: a.reply?.public ?? true,
  };
}

function toActions(v: Values): MacroActions {
  const set = (x: string) => (x === keep ? undefined : x === none ? null : x);
  const actions: Record<string, unknown> = {
    status: set(v.status) ?? undefined,
    priority: set(v.priority) ?? undefined,
    type: set(v.type) ?? undefined,
    groupId: set(v.groupId),
    assigneeId: set(v.assigneeId),
    addTags: v.addTags?.length ? v.addTags : undefined,
    reply: v.replyBody?.trim() ? { body: v.replyBody.trim(), public: v.replyPublic } : undefined,
  };
  return Object.fromEntries(Object.entries(actions).filter(([, x]) => x !== undefined)) as MacroActions;
}

/** A macro: the changes and the canned reply one click applies to a ticket. */
export function MacroModal({ editing, open, onClose }: { editing: Macro | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const lookups = useLookups();
  const save = useSaveMacro();
  const [form] = Form.useForm<Values>();
  const keepOption = { value: keep, label: t('tickets.settings.macros.keep') };

  const submit = (values: Values) => {
    save.mutate(
      { macroId: editing?.id, name: values.name, actions: toActions(values) },
      {
        onSuccess: () => {
          void message.success(t('common.saved'));
          save.reset();
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={editing ? t('tickets.settings.macros.edit') : t('tickets.settings.macros.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={() => {
        save.reset();
        onClose();
      }}
      afterOpenChange={(visible) => visible && form.setFieldsValue(toValues(editing))}
      width={640}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        preserve={false}
        initialValues={toValues(editing)}
      >
        <Form.Item
          name="name"
          label={t('tickets.settings.macros.name')}
          rules={[{ required: true, whitespace: true, message: t('tickets.settings.nameRequired') }, { max: 100 }]}
        >
          <Input autoComplete="off" placeholder={t('tickets.settings.macros.namePlaceholder')} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="status" label={t('tickets.fields.status')}>
              <Select
                options={[
                  keepOption,
                  ...statuses.filter((s) => s !== 'new').map((s) => ({ value: s, label: t(`tickets.status.${s}`) })),
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="priority" label={t('tickets.fields.priority')}>
              <Select
                options={[keepOption, ...priorities.map((p) => ({ value: p, label: t(`tickets.priority.${p}`) }))]}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="type" label={t('tickets.fields.type')}>
              <Select options={[keepOption, ...lookups.typeOptions()]} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="groupId" label={t('tickets.fields.group')}>
              <Select options={[keepOption, ...lookups.groupOptions()]} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="assigneeId" label={t('tickets.fields.assignee')}>
              <Select
                showSearch={{ optionFilterProp: 'search' }}
                options={[
                  plain(keep, t('tickets.settings.macros.keep')),
                  plain('me', t('tickets.settings.macros.whoApplies')),
                  plain(none, t('tickets.unassigned')),
                  ...lookups.users.map((u) => presenceOption(u.id, u.name)),
                ]}
                data-testid="macro-assignee"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="addTags" label={t('tickets.settings.macros.addTags')}>
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} />
        </Form.Item>
        <Form.Item
          name="replyBody"
          label={t('tickets.settings.macros.reply')}
          extra={t('tickets.settings.macros.replyHelp')}
          rules={[{ max: 20000 }]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        <Form.Item name="replyPublic" label={t('tickets.settings.macros.replyPublic')} valuePropName="checked">
          <Switch checkedChildren={t('tickets.composer.reply')} unCheckedChildren={t('tickets.composer.note')} />
        </Form.Item>
      </Form>
      {save.error && <Alert type="error" showIcon title={errorText(save.error)} />}
    </Modal>
  );
}
