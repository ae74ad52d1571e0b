import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Divider,
  Drawer,
  Flex,
  Form,
  Input,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
  theme,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/http.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useMe } from '../auth/session.ts';
import { timeZoneOptions } from '../workspace/timezones.ts';
import { useSaveCalendar, type Calendar } from './api.ts';
import {
  newCalendarValues,
  parseProblem,
  presets,
  toDefinition,
  toFormValues,
  weekdays,
  type CalendarFormValues,
  type Preset,
} from './calendar-form.ts';
import { IntervalsField } from './intervals-field.tsx';

/** Own holiday dates (when not following China's official arrangement). */
function HolidayDates({
  id,
  value = [],
  onChange,
}: {
  /** Form.Item's id: its label points at the date input (defect 10). */
  id?: string;
  value?: string[];
  onChange?: (dates: string[]) => void;
}) {
  const { t } = useTranslation();
  const [date, setDate] = useState('');
  const add = () => {
    if (date && !value.includes(date)) onChange?.([...value, date].sort());
    setDate('');
  };
  return (
    <Flex vertical gap={8}>
      <Space.Compact style={{ maxWidth: 280 }}>
        <Input
          id={id}
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          aria-label={t('sla.calendar.holidayDate')}
        />
        <Button icon={<PlusOutlined />} onClick={add} disabled={!date}>
          {t('sla.calendar.addHoliday')}
        </Button>
      </Space.Compact>
      <div>
        {value.length === 0 && <Typography.Text type="secondary">{t('sla.calendar.noHolidays')}</Typography.Text>}
        {value.map((d) => (
          <Tag key={d} closable onClose={() => onChange?.(value.filter((x) => x !== d))}>
            {d}
          </Tag>
        ))}
      </div>
    </Flex>
  );
}

/** A working calendar: zone, weekly hours (several intervals a day), holidays, per-date overrides. */
export function CalendarDrawer({
  calendar,
  open,
  onClose,
}: {
  calendar: Calendar | null;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { message } = App.useApp();
  const me = useMe();
  const errorText = useErrorText();
  const save = useSaveCalendar();
  const [form] = Form.useForm<CalendarFormValues>();
  const timezone = Form.useWatch('timezone', form);
  const cnHolidays = Form.useWatch('cnHolidays', form);

  useEffect(() => {
    if (open) form.setFieldsValue(calendar ? toFormValues(calendar) : newCalendarValues(me.workspace.timezone));
  }, [open, calendar, form, me.workspace.timezone]);

  const close = () => {
    save.reset();
    onClose();
  };
  const submit = (values: CalendarFormValues) => {
    save.mutate(
      { calendarId: calendar?.id, name: values.name, definition: toDefinition(values) },
      {
        onSuccess: () => {
          void message.success(t('common.saved'));
          close();
        },
      },
    );
  };
  const applyPreset = (preset: Preset) => form.setFieldValue('hours', presets[preset]());
  const problems =
    save.error instanceof ApiError && save.error.code === 'invalid_calendar'
      ? (save.error.issues ?? []).map(String)
      : [];

  return (
    <Drawer
      open={open}
      title={calendar ? t('sla.calendar.editTitle', { name: calendar.name }) : t('sla.calendar.create')}
      size={680}
      onClose={close}
      forceRender
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="calendar-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {save.error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="calendar-problems"
          title={problems.length ? t('sla.calendar.invalid') : errorText(save.error)}
          description={
            problems.length > 0 && (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {problems.map((text) => {
                  const { where, what } = parseProblem(text);
                  const label = !where
                    ? null
                    : where.part === 'weekday'
                      ? t(`sla.weekdays.${where.day}`)
                      : where.part === 'override'
                        ? t('sla.calendar.overrideN', { n: where.index + 1 })
                        : where.part === 'hours'
                          ? t('sla.calendar.weeklyHours')
                          : t(`sla.calendar.${where.part}`);
                  return (
                    <li key={text}>
                      {label && <Tag style={{ marginInlineEnd: 6 }}>{label}</Tag>}
                      {what}
                    </li>
                  );
                })}
              </ul>
            )
          }
        />
      )}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Form.Item
          name="name"
          label={t('sla.calendar.name')}
          rules={[{ required: true, whitespace: true, message: t('sla.nameRequired') }, { max: 100 }]}
        >
          <Input autoComplete="off" placeholder={t('sla.calendar.namePlaceholder')} data-testid="calendar-name" />
        </Form.Item>
        <Form.Item name="timezone" label={t('sla.calendar.timezone')} rules={[{ required: true }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={timeZoneOptions(timezone)}
            style={{ maxWidth: 360 }}
          />
        </Form.Item>
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Typography.Text strong>{t('sla.calendar.weeklyHours')}</Typography.Text>
          <Space size={4} wrap>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('sla.calendar.presets')}
            </Typography.Text>
            {(['office', 'shop', 'always'] as const).map((p) => (
              <Button key={p} size="small" onClick={() => applyPreset(p)} data-testid={`preset-${p}`}>
                {t(`sla.calendar.preset.${p}`)}
              </Button>
            ))}
          </Space>
        </Flex>
        {weekdays.map((day) => (
          <Flex
            key={day}
            gap={12}
            align="flex-start"
            style={{ padding: '8px 0', borderBottom: `1px solid ${token.colorSplit}` }}
          >
            <Typography.Text strong style={{ width: 56, flex: 'none', lineHeight: '32px' }}>
              {t(`sla.weekdays.${day}`)}
            </Typography.Text>
            <IntervalsField name={['hours', day]} emptyText={t('sla.calendar.closed')} testId={`hours-${day}`} />
          </Flex>
        ))}
        <Divider />
        <Form.Item
          name="cnHolidays"
          label={t('sla.calendar.cnHolidays')}
          extra={t('sla.calendar.cnHolidaysHelp')}
          valuePropName="checked"
        >
          <Switch data-testid="cn-holidays" />
        </Form.Item>
        {!cnHolidays && (
          <Form.Item name="holidays" label={t('sla.calendar.ownHolidays')} extra={t('sla.calendar.ownHolidaysHelp')}>
            <HolidayDates />
          </Form.Item>
        )}
        <Typography.Text strong>{t('sla.calendar.overrides')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('sla.calendar.overridesHelp')}
        </Typography.Paragraph>
        <Form.List name="overrides">
          {(rows, { add, remove }) => (
            <Flex vertical gap={8}>
              {rows.map((row) => (
                <Flex
                  key={row.key}
                  gap={12}
                  align="flex-start"
                  style={{ padding: 8, background: token.colorFillQuaternary, borderRadius: 6 }}
                >
                  <Form.Item
                    name={[row.name, 'date']}
                    noStyle
                    rules={[{ required: true, message: t('sla.calendar.dateRequired') }]}
                  >
                    <Input
                      type="date"
                      style={{ width: 160, flex: 'none' }}
                      aria-label={t('sla.calendar.overrideDate')}
                    />
                  </Form.Item>
                  <IntervalsField name={[row.name, 'hours']} emptyText={t('sla.calendar.dayOff')} />
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => remove(row.name)}
                    aria-label={t('sla.calendar.removeOverride')}
                  />
                </Flex>
              ))}
              <div>
                <Button icon={<PlusOutlined />} onClick={() => add({ date: '', hours: [] })}>
                  {t('sla.calendar.addOverride')}
                </Button>
              </div>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
