import { Flex, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { incidentSeverities, type IncidentSeverity, type SeverityTargets } from '../../../shared/incidents-api.ts';
import { SeverityTag } from './tags.tsx';

/** "15 分钟", "2 小时" (whole hours as hours). */
export function useMinutes(): (minutes: number) => string {
  const { t } = useTranslation();
  return (m) =>
    m % 60 === 0 ? t('incidentConsole.hours', { count: m / 60 }) : t('incidentConsole.minutes', { count: m });
}

/**
 * The severities P1–P3 to choose from, each with the contract's definition and its respond and
 * resolve targets beside it (and the tightened ones of a promotion window, when the contract has them).
 */
export function SeverityChoice({
  value,
  onChange,
  targets,
  promotion,
  id,
}: {
  value?: IncidentSeverity;
  onChange?: (v: IncidentSeverity) => void;
  /** The targets that apply (omitted: definitions only). */
  targets?: SeverityTargets;
  /** The tightened targets during promotions (shown under the ones that apply when they differ). */
  promotion?: Partial<SeverityTargets>;
  id?: string;
}) {
  const { t } = useTranslation();
  const minutes = useMinutes();
  return (
    <Radio.Group id={id} value={value} onChange={(e) => onChange?.(e.target.value as IncidentSeverity)}>
      <Flex vertical gap={8}>
        {incidentSeverities.map((sev) => {
          const now = targets?.[sev];
          const promo = promotion?.[sev];
          const differs = promo && now && (promo.respond !== now.respond || promo.resolve !== now.resolve);
          return (
            <Radio key={sev} value={sev} style={{ alignItems: 'flex-start' }} data-severity={sev}>
              <Flex vertical gap={2}>
                <span>
                  <SeverityTag severity={sev} />
                  <Typography.Text strong>{t(`incidentConsole.severityNames.${sev}`)}</Typography.Text>
                  {now && (
                    <Typography.Text style={{ marginLeft: 8 }}>
                      {t('incidentConsole.targets', { respond: minutes(now.respond), resolve: minutes(now.resolve) })}
                    </Typography.Text>
                  )}
                </span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`incidentConsole.definitions.${sev}`)}
                </Typography.Text>
                {differs && (
                  <Typography.Text type="warning" style={{ fontSize: 12 }}>
                    {t('incidentConsole.promotionTargets', {
                      respond: minutes(promo.respond),
                      resolve: minutes(promo.resolve),
                    })}
                  </Typography.Text>
                )}
              </Flex>
            </Radio>
          );
        })}
      </Flex>
    </Radio.Group>
  );
}
