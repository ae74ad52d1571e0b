import { Card, Flex, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format.ts';

type Person = { userId: string | null; name: string | null; start: string; end: string };
export type PolicyOnCall = {
  promotion: string | null;
  rotations: { id: string; name: string; kind: string; now: Person | null; next: Person | null }[];
};

/** Who the escalation policy calls now, until when, and who takes over (incident page, ops overview). */
export function PolicyOnCallCard({ onCall, zone }: { onCall: PolicyOnCall; zone: string }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('incidents.policyOnCall.title')} data-testid="policy-oncall">
      <Flex vertical gap={8}>
        {onCall.promotion && <Tag color="magenta">{t('incidents.oncall.promotion', { name: onCall.promotion })}</Tag>}
        {onCall.rotations.map((r) => (
          <Space key={r.id} size={4} wrap>
            <Typography.Text strong>{r.name}</Typography.Text>
            <Typography.Text type="secondary">{t('incidents.onCallNow')}:</Typography.Text>
            <span>{r.now?.name ?? t('incidents.nobody')}</span>
            {r.now && (
              <Typography.Text type="secondary">
                {t('incidents.policyOnCall.until', { time: formatDateTime(r.now.end, zone) })}
              </Typography.Text>
            )}
            {r.next && (
              <Typography.Text type="secondary">
                {t('incidents.onCallNext')}: {r.next.name ?? t('incidents.nobody')} (
                {formatDateTime(r.next.start, zone)})
              </Typography.Text>
            )}
          </Space>
        ))}
        {!onCall.rotations.length && <Typography.Text type="secondary">{t('incidents.oncall.empty')}</Typography.Text>}
      </Flex>
    </Card>
  );
}
