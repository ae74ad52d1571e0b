/** The post-incident review on the incident's page: impact, the timeline from its events, root cause, action items. */
import { useEffect } from 'react';
import {
  App,
  Button,
  Card,
  Checkbox,
  Collapse,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  Select,
  Timeline,
  Typography,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../shared/use-error-text.ts';
import { duration } from './countdown.tsx';
import { rootCauseCategories } from '../../../shared/incidents-api.ts';
import { directoryQuery, reviewQuery, saveReview, type Review } from './console-api.ts';
import { EntryItem } from './entry-text.tsx';

type Values = Omit<Review, 'actionItems'> & {
  actionItems: { title: string; ownerId: string; due: Dayjs; done: boolean }[];
};

export function ReviewCard({ id, zone, editable }: { id: string; zone: string; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const review = useQuery(reviewQuery(id));
  const people = useQuery({ ...directoryQuery(), enabled: editable });
  const [form] = Form.useForm<Values>();
  const saved = review.data?.review;
  useEffect(() => {
    if (!review.data) return;
    const r = review.data.review;
    form.setFieldsValue({
      impact: r?.impact ?? '',
      rootCauseCategory: r?.rootCauseCategory ?? 'unknown',
      rootCause: r?.rootCause ?? '',
      actionItems: (r?.actionItems ?? []).map((a) => ({ ...a, due: dayjs(a.due) })),
    });
  }, [review.data, form]);
  const save = useMutation({
    mutationFn: (v: Values) =>
      saveReview(id, {
        ...v,
        actionItems: (v.actionItems ?? []).map((a) => ({ ...a, done: !!a.done, due: a.due.format('YYYY-MM-DD') })),
      }),
    onSuccess: (data) => {
      client.setQueryData(['incident', id, 'review'], data);
      void message.success(t('incidentConsole.review.saved'));
    },
    onError: (err) => void message.error(errorText(err)),
  });
  const d = review.data;
  const took = (m: number | null) => (m === null ? t('incidentConsole.review.notYet') : duration(m * 60_000));
  return (
    <Card title={t('incidentConsole.review.title')} size="small" style={{ marginTop: 16 }} loading={review.isLoading}>
      {d && (
        <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('incidentConsole.review.tta')}>{took(d.minutesToAcknowledge)}</Descriptions.Item>
          <Descriptions.Item label={t('incidentConsole.review.ttr')}>{took(d.minutesToResolve)}</Descriptions.Item>
        </Descriptions>
      )}
      <Form<Values> form={form} layout="vertical" disabled={!editable} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="impact" label={t('incidentConsole.review.impact')}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 6 }}
            placeholder={t('incidentConsole.review.impactPlaceholder')}
            maxLength={10_000}
          />
        </Form.Item>
        {/* The incident's own timeline, in the review (folded: the page shows it beside). */}
        <Collapse
          size="small"
          style={{ marginBottom: 16 }}
          items={[
            {
              key: 'timeline',
              label: t('incidentConsole.review.timeline', { count: d?.timeline.length ?? 0 }),
              children: (
                <div style={{ maxHeight: 320, overflowY: 'auto', paddingTop: 6 }}>
                  <Timeline
                    items={(d?.timeline ?? []).map((e) => ({
                      children: <EntryItem e={e} zone={zone} />,
                    }))}
                  />
                </div>
              ),
            },
          ]}
        />
        <Form.Item name="rootCauseCategory" label={t('incidentConsole.review.rootCauseCategory')}>
          <Select
            options={rootCauseCategories.map((c) => ({ value: c, label: t(`incidentConsole.review.categories.${c}`) }))}
          />
        </Form.Item>
        <Form.Item name="rootCause" label={t('incidentConsole.review.rootCause')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={10_000} />
        </Form.Item>
        <Typography.Text strong>{t('incidentConsole.review.actionItems')}</Typography.Text>
        <Form.List name="actionItems">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8} style={{ marginTop: 8, marginBottom: 16 }}>
              {fields.map((f) => (
                <Flex key={f.key} gap={8} wrap align="flex-start" className="review-action-item">
                  <Form.Item
                    name={[f.name, 'title']}
                    rules={[{ required: true, max: 300 }]}
                    style={{ flex: '2 1 220px', margin: 0 }}
                  >
                    <Input
                      placeholder={t('incidentConsole.review.actionTitle')}
                      aria-label={t('incidentConsole.review.actionTitle')}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'ownerId']}
                    rules={[{ required: true }]}
                    style={{ flex: '1 1 140px', margin: 0 }}
                  >
                    <Select
                      placeholder={t('incidentConsole.review.owner')}
                      aria-label={t('incidentConsole.review.owner')}
                      showSearch={{ optionFilterProp: 'label' }}
                      options={(people.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'due']}
                    rules={[{ required: true }]}
                    style={{ flex: '1 1 130px', margin: 0 }}
                  >
                    <DatePicker placeholder={t('incidentConsole.review.due')} style={{ width: '100%' }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'done']} valuePropName="checked" style={{ margin: 0 }}>
                    <Checkbox>{t('incidentConsole.review.done')}</Checkbox>
                  </Form.Item>
                  {editable && (
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label={t('incidentConsole.review.remove')}
                      onClick={() => remove(f.name)}
                    />
                  )}
                </Flex>
              ))}
              {editable && (
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ title: '', done: false, due: dayjs().add(7, 'day') })}
                >
                  {t('incidentConsole.review.add')}
                </Button>
              )}
            </Flex>
          )}
        </Form.List>
        {editable && (
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('incidentConsole.review.save')}
          </Button>
        )}
        {!editable && !saved && <Typography.Text type="secondary">—</Typography.Text>}
      </Form>
    </Card>
  );
}
