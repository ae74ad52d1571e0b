import { Button, Flex, Form, Radio, Select, Typography, theme } from 'antd';
import { CopyOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { timeZoneOptions } from '../workspace/timezones.ts';
import { timeSlots, weekdays, type Interval, type InboxFormValues, type Weekday } from './inbox-form.ts';

const slotOptions = timeSlots.map((slot) => ({ value: slot, label: slot }));

function DayRow({ day }: { day: Weekday }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Flex gap={12} align="flex-start" style={{ padding: '8px 0', borderBottom: `1px solid ${token.colorSplit}` }}>
      <Typography.Text strong style={{ width: 64, flex: 'none', lineHeight: '32px' }}>
        {t(`inboxes.weekdays.${day}`)}
      </Typography.Text>
      <Form.List name={['hours', day]}>
        {(intervals, { add, remove }) => (
          <Flex vertical gap={6} style={{ flex: 1 }}>
            {intervals.length === 0 && (
              <Typography.Text type="secondary" style={{ lineHeight: '32px' }}>
                {t('inboxes.closed')}
              </Typography.Text>
            )}
            {intervals.map((field) => (
              <Flex key={field.key} gap={6} align="center">
                <Form.Item name={[field.name, 0]} noStyle rules={[{ required: true }]}>
                  <Select options={slotOptions.slice(0, -1)} style={{ width: 100 }} showSearch />
                </Form.Item>
                <span>—</span>
                <Form.Item
                  name={[field.name, 1]}
                  noStyle
                  dependencies={[['hours', day, field.name, 0]]}
                  rules={[
                    ({ getFieldValue }) => ({
                      validator: async (_, end: string | undefined) => {
                        const start = getFieldValue(['hours', day, field.name, 0]) as string | undefined;
                        if (!end || !start || end <= start) throw new Error(t('inboxes.endAfterStart'));
                      },
                    }),
                  ]}
                >
                  <Select options={slotOptions.slice(1)} style={{ width: 100 }} showSearch />
                </Form.Item>
                <Button
                  type="text"
                  icon={<DeleteOutlined />}
                  onClick={() => remove(field.name)}
                  aria-label={t('inboxes.removeInterval')}
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
                {t('inboxes.addInterval')}
              </Button>
            </div>
          </Flex>
        )}
      </Form.List>
    </Flex>
  );
}

/** Always open, or weekly hours in a time zone; outside them the widget shows the offline message. */
export function HoursSection() {
  const { t } = useTranslation();
  const form = Form.useFormInstance<InboxFormValues>();
  const alwaysOpen = Form.useWatch<boolean | undefined>('alwaysOpen');
  const timezone = Form.useWatch<string | undefined>('timezone');

  const copyMonday = () => {
    const monday = (form.getFieldValue(['hours', 'mon']) ?? []) as Interval[];
    for (const day of ['tue', 'wed', 'thu', 'fri'] as const)
      form.setFieldValue(
        ['hours', day],
        monday.map(([a, b]) => [a, b]),
      );
  };

  return (
    <>
      <Form.Item name="alwaysOpen" label={t('inboxes.hoursMode')}>
        <Radio.Group
          options={[
            { value: true, label: t('inboxes.alwaysOpen') },
            { value: false, label: t('inboxes.customHours') },
          ]}
          optionType="button"
          data-testid="hours-mode"
        />
      </Form.Item>
      <Typography.Paragraph type="secondary">{t('inboxes.hoursHelp')}</Typography.Paragraph>
      <div style={{ display: alwaysOpen ? 'none' : undefined }}>
        <Form.Item name="timezone" label={t('inboxes.timezone')} rules={[{ required: !alwaysOpen }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={timeZoneOptions(timezone)}
            style={{ maxWidth: 360 }}
          />
        </Form.Item>
        <Flex justify="space-between" align="center">
          <Typography.Text strong>{t('inboxes.weeklyHours')}</Typography.Text>
          <Button size="small" icon={<CopyOutlined />} onClick={copyMonday}>
            {t('inboxes.copyMonday')}
          </Button>
        </Flex>
        {weekdays.map((day) => (
          <DayRow key={day} day={day} />
        ))}
      </div>
    </>
  );
}
