import { Button, Flex, Form, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { endSlots, startSlots, type Interval } from './calendar-form.ts';

const startOptions = startSlots.map((s) => ({ value: s, label: s }));
const endOptions = endSlots.map((s) => ({ value: s, label: s }));

/**
 * Several working intervals of one day (e.g. 09:00–12:00 and 13:30–18:00 around lunch). No
 * checks here: the server reports every overlap or reversed interval at once, shown above the form.
 */
export function IntervalsField({
  name,
  emptyText,
  testId,
}: {
  name: (string | number)[];
  emptyText: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Form.List name={name}>
      {(intervals, { add, remove }) => (
        <Flex vertical gap={6} style={{ flex: 1 }} data-testid={testId}>
          {intervals.length === 0 && (
            <Typography.Text type="secondary" style={{ lineHeight: '32px' }}>
              {emptyText}
            </Typography.Text>
          )}
          {intervals.map((field) => (
            <Flex key={field.key} gap={6} align="center">
              <Form.Item name={[field.name, 0]} noStyle rules={[{ required: true }]}>
                <Select options={startOptions} style={{ width: 96 }} showSearch aria-label={t('sla.calendar.start')} />
              </Form.Item>
              <span>—</span>
              <Form.Item name={[field.name, 1]} noStyle rules={[{ required: true }]}>
                <Select options={endOptions} style={{ width: 96 }} showSearch aria-label={t('sla.calendar.end')} />
              </Form.Item>
              <Button
                type="text"
                icon={<DeleteOutlined />}
                onClick={() => remove(field.name)}
                aria-label={t('sla.calendar.removeInterval')}
              />
            </Flex>
          ))}
          <div>
            <Button
              type="dashed"
              size="small"
              icon={<PlusOutlined />}
              onClick={() => add(['09:00', '18:00'] satisfies Interval)}
            >
              {t('sla.calendar.addInterval')}
            </Button>
          </div>
        </Flex>
      )}
    </Form.List>
  );
}
