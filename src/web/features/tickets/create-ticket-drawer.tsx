import { Alert, App, Button, Col, Divider, Drawer, Form, Input, Row, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useErrorText } from '../../shared/use-error-text.ts';
import { CustomerPicker } from '../customers/customer-picker.tsx';
import { useCreateTicket, type CreateTicketBody } from './api.ts';
import { FieldInput, fieldRules } from './field-input.tsx';
import { orderNoPattern, priorities, type Priority } from './model.ts';
import { none, toNullable, useLookups } from './use-lookups.ts';

type Values = {
  subject: string;
  description?: string;
  type: string;
  priority: Priority;
  groupId: string;
  assigneeId: string;
  orderNo?: string;
  customerId?: string | null;
  tags: string[];
  fields: Record<string, unknown>;
};

/** A ticket made by hand: the subject and what happened, how urgent, who handles it, the order it is about. */
export function CreateTicketDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const lookups = useLookups();
  const create = useCreateTicket();
  const [form] = Form.useForm<Values>();

  const submit = (values: Values) => {
    const fields = Object.fromEntries(
      Object.entries(values.fields ?? {}).filter(([, v]) => v !== null && v !== undefined && v !== ''),
    );
    const body: CreateTicketBody = {
      subject: values.subject,
      description: values.description?.trim() || undefined,
      type: values.type,
      priority: values.priority,
      groupId: toNullable(values.groupId),
      assigneeId: toNullable(values.assigneeId),
      orderNo: values.orderNo?.trim() || null,
      customerId: values.customerId ?? null,
      tags: values.tags ?? [],
      fields,
    };
    create.mutate(body, {
      onSuccess: (ticket) => {
        void message.success(t('tickets.created', { number: ticket.number }));
        form.resetFields();
        create.reset();
        onClose();
        navigate(`/tickets/${ticket.id}`);
      },
    });
  };

  return (
    <Drawer
      open={open}
      title={t('tickets.create')}
      size={640}
      onClose={() => {
        create.reset();
        onClose();
      }}
      forceRender
      footer={
        <Space style={{ float: 'right' }}>
          <Button
            onClick={() => {
              create.reset();
              onClose();
            }}
          >
            {t('common.cancel')}
          </Button>
          <Button
            type="primary"
            loading={create.isPending}
            onClick={() => form.submit()}
            data-testid="create-ticket-submit"
          >
            {t('common.create')}
          </Button>
        </Space>
      }
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ type: 'inquiry', priority: 'normal', groupId: none, assigneeId: none, tags: [], fields: {} }}
      >
        <Form.Item
          name="subject"
          label={t('tickets.fields.subject')}
          rules={[{ required: true, whitespace: true, message: t('tickets.subjectRequired') }, { max: 200 }]}
        >
          <Input autoComplete="off" data-testid="ticket-subject" />
        </Form.Item>
        <Form.Item name="customerId" label={t('customers.pick')}>
          <CustomerPicker />
        </Form.Item>
        <Form.Item name="description" label={t('tickets.fields.description')} rules={[{ max: 20000 }]}>
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} placeholder={t('tickets.descriptionPlaceholder')} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="type" label={t('tickets.fields.type')}>
              <Select options={lookups.typeOptions()} data-testid="ticket-type" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="priority" label={t('tickets.fields.priority')}>
              <Select
                options={priorities.map((p) => ({ value: p, label: t(`tickets.priority.${p}`) }))}
                data-testid="ticket-priority"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="groupId" label={t('tickets.fields.group')}>
              <Select options={lookups.groupOptions()} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="assigneeId"
              label={t('tickets.fields.assignee')}
              extra={lookups.canListUsers ? undefined : t('tickets.assignMeOnly')}
            >
              <Select
                showSearch={{ optionFilterProp: 'search' }}
                options={lookups.assigneeOptions()}
                data-testid="ticket-assignee"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="orderNo"
              label={t('tickets.fields.orderNo')}
              rules={[{ pattern: orderNoPattern, message: t('tickets.orderNoInvalid') }]}
            >
              <Input autoComplete="off" placeholder="TB2025100900123" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="tags" label={t('tickets.fields.tags')}>
              <Select
                mode="tags"
                tokenSeparators={[',', '，', ' ']}
                open={false}
                suffixIcon={null}
                placeholder={t('tickets.tagsPlaceholder')}
              />
            </Form.Item>
          </Col>
        </Row>
        {lookups.fields.length > 0 && (
          <>
            <Divider titlePlacement="start" plain>
              {t('tickets.customFields')}
            </Divider>
            <Row gutter={16}>
              {lookups.fields.map((def) => (
                <Col span={12} key={def.id}>
                  <Form.Item
                    name={['fields', def.key]}
                    label={def.label}
                    rules={fieldRules(def, t('tickets.orderNoInvalid'))}
                    extra={def.requiredOnSolve ? t('tickets.requiredOnSolve') : undefined}
                  >
                    <FieldInput def={def} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
          </>
        )}
      </Form>
      {create.error && <Alert type="error" showIcon title={errorText(create.error)} />}
    </Drawer>
  );
}
