import { shownName } from '../../shared/format.ts';
import { Button, Form, Input, Select, Space } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/session.ts';
import { usersQuery } from '../users/api.ts';
import type { AuditFilters } from './api.ts';

/** Action, actor and object type; the actor is picked by name when the role may list users. */
export function AuditFilterBar({
  value,
  onChange,
}: {
  value: AuditFilters;
  onChange: (filters: AuditFilters) => void;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const [form] = Form.useForm<AuditFilters>();
  const users = useQuery({ ...usersQuery(), enabled: can('users.read') });

  const apply = (values: AuditFilters) => {
    const clean: AuditFilters = {};
    for (const [key, v] of Object.entries(values) as [keyof AuditFilters, string | undefined][]) {
      if (v && v.trim()) clean[key] = v.trim();
    }
    onChange(clean);
  };

  return (
    <Form form={form} layout="inline" initialValues={value} onFinish={apply} style={{ rowGap: 12 }}>
      <Form.Item name="action">
        <Input allowClear placeholder={t('audit.filterAction')} style={{ width: 220 }} />
      </Form.Item>
      <Form.Item name="actorId">
        {users.data ? (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('audit.filterActor')}
            style={{ width: 220 }}
            options={users.data.items.map((u) => ({ value: u.id, label: `${shownName(u)} (${u.email})` }))}
          />
        ) : (
          <Input allowClear placeholder={`${t('audit.filterActor')} ID`} style={{ width: 220 }} />
        )}
      </Form.Item>
      <Form.Item name="objectType">
        <Input allowClear placeholder={t('audit.filterObjectType')} style={{ width: 200 }} />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
          {t('common.search')}
        </Button>
        <Button
          onClick={() => {
            form.resetFields();
            form.setFieldsValue({ action: undefined, actorId: undefined, objectType: undefined });
            onChange({});
          }}
        >
          {t('common.reset')}
        </Button>
      </Space>
    </Form>
  );
}
