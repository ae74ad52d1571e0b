import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const severityColor: Record<string, string> = { P1: 'red', P2: 'orange', P3: 'gold' };
const stateColor: Record<string, string> = {
  triggered: 'red',
  acknowledged: 'blue',
  mitigated: 'cyan',
  resolved: 'green',
  closed: 'default',
  cancelled: 'default',
};

export function SeverityTag({ severity }: { severity: string }) {
  return <Tag color={severityColor[severity]}>{severity}</Tag>;
}

export function StateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return <Tag color={stateColor[state]}>{t(`incidents.states.${state}` as 'incidents.states.triggered')}</Tag>;
}
