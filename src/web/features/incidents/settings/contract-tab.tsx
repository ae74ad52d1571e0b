/** The workspace's contract: total and term, the severity table, promotion windows, penalty rules, the people. */
import {
  App,
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Switch,
  Typography,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { supportPhonePattern, type ContractBodyInput } from '../../../../shared/incidents-api.ts';
import { usePhone } from '../../../layout/use-phone.ts';
import { LoadError } from '../../../shared/load-error.tsx';
import { useErrorText } from '../../../shared/use-error-text.ts';
import { contractQuery, saveContract, type ContractView, type Person, type Severity } from './api.ts';
import { defaultPromotions, fromPicker, timeZones, toPicker } from './zoned.ts';

const severities: Severity[] = ['P1', 'P2', 'P3'];
type Targets = { respond: number; resolve: number };
type PersonValues = { name?: string; phone?: string; email?: string };
type Values = {
  total: number;
  currency: string;
  timezone: string;
  term: [Dayjs, Dayjs];
  severities: Record<Severity, Targets>;
  promotionP1: Targets;
  promotions: { name: string; window: [Dayjs, Dayjs] }[];
  rounding: string;
  ratePercentPerHour: number;
  capPercent: number;
  capScope: string;
  responseDeducts: boolean;
  technicalDirector: PersonValues;
  contacts: PersonValues[];
  supportLine: PersonValues;
};

const fromView = (c: ContractView): Values => {
  const zone = c.timezone;
  return {
    total: c.configured ? c.total : (undefined as unknown as number),
    currency: c.currency,
    timezone: zone,
    term: [toPicker(c.term.start, zone), toPicker(c.term.end, zone)],
    severities: c.effective.severities,
    promotionP1: c.effective.promotionSeverities.P1 ?? c.effective.severities.P1,
    promotions: c.effective.promotions.map((p) => ({
      name: p.name,
      window: [toPicker(p.start, zone), toPicker(p.end, zone)],
    })),
    rounding: c.rounding ?? 'per_started_hour',
    ratePercentPerHour: c.ratePercentPerHour ?? 0.5,
    capPercent: c.capPercent ?? 5,
    capScope: c.capScope ?? 'term',
    responseDeducts: c.responseDeducts ?? false,
    technicalDirector: c.technicalDirector ?? {},
    contacts: c.contacts,
    supportLine: c.supportLine ?? {},
  };
};

/** A person as the API takes it: empty fields left out; no name, no person. */
const person = (p: PersonValues | undefined): Person | null => {
  const v = (s?: string) => (s?.trim() ? s.trim() : undefined);
  return v(p?.name) ? { name: v(p?.name)!, phone: v(p?.phone), email: v(p?.email) } : null;
};

const toBody = (v: Values, loaded: ContractView): ContractBodyInput => ({
  total: v.total,
  currency: v.currency,
  timezone: v.timezone,
  term: { start: fromPicker(v.term[0], v.timezone), end: fromPicker(v.term[1], v.timezone) },
  severities: v.severities,
  promotionSeverities: { ...loaded.effective.promotionSeverities, P1: v.promotionP1 },
  promotions: (v.promotions ?? []).map((p) => ({
    name: p.name,
    start: fromPicker(p.window[0], v.timezone),
    end: fromPicker(p.window[1], v.timezone),
  })),
  rounding: v.rounding as ContractBodyInput['rounding'],
  ratePercentPerHour: v.ratePercentPerHour,
  capPercent: v.capPercent,
  capScope: v.capScope as ContractBodyInput['capScope'],
  responseDeducts: v.responseDeducts,
  technicalDirector: person(v.technicalDirector),
  contacts: (v.contacts ?? []).map(person).filter((p): p is Person => !!p),
  supportLine: { phone: v.supportLine?.phone?.trim() || undefined, email: v.supportLine?.email?.trim() || undefined },
});

/** A person's name, phone and e-mail; the support line (`line`) has a checked hotline number and no name. */
function PersonFields({ prefix, line }: { prefix: (string | number)[]; line?: boolean }) {
  const { t } = useTranslation();
  const phoneRule = { pattern: supportPhonePattern, message: t('incidentSettings.contract.supportPhoneInvalid') };
  return (
    <Row gutter={8}>
      {!line && (
        <Col xs={24} md={8}>
          <Form.Item name={[...prefix, 'name']} label={t('incidentSettings.contract.name')}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
      )}
      <Col xs={12} md={8}>
        <Form.Item
          name={[...prefix, 'phone']}
          label={t(`incidentSettings.contract.${line ? 'supportPhone' : 'phone'}`)}
          rules={line ? [phoneRule] : []}
        >
          <Input maxLength={40} inputMode="tel" />
        </Form.Item>
      </Col>
      <Col xs={12} md={8}>
        <Form.Item name={[...prefix, 'email']} label={t('incidentSettings.contract.email')} rules={[{ type: 'email' }]}>
          <Input maxLength={200} inputMode="email" />
        </Form.Item>
      </Col>
    </Row>
  );
}

export function ContractTab({ editable }: { editable: boolean }) {
  const contract = useQuery(contractQuery());
  if (contract.isError) return <LoadError error={contract.error} onRetry={() => void contract.refetch()} />;
  if (!contract.data) return <Card loading />;
  return <ContractForm loaded={contract.data} editable={editable} key={String(contract.dataUpdatedAt)} />;
}

function ContractForm({ loaded, editable }: { loaded: ContractView; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const phone = usePhone();
  const save = useMutation({
    mutationFn: (v: Values) => saveContract(toBody(v, loaded)),
    onSuccess: (c) => {
      client.setQueryData(contractQuery().queryKey, c);
      void client.invalidateQueries({ queryKey: ['oncall'] });
      void message.success(t('incidentSettings.saved'));
    },
    onError: (err) => void message.error(errorText(err)),
  });
  const k = (key: string) => t(`incidentSettings.contract.${key}` as 'incidentSettings.contract.total');
  const restoreDefaults = () => {
    const [start, end] = form.getFieldValue('term') as [Dayjs, Dayjs];
    const zone = form.getFieldValue('timezone') as string;
    form.setFieldValue(
      'promotions',
      defaultPromotions(fromPicker(start, zone), fromPicker(end, zone)).map((p) => ({
        name: p.name,
        window: [toPicker(p.start, zone), toPicker(p.end, zone)],
      })),
    );
  };
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={fromView(loaded)}
      disabled={!editable}
      onFinish={(v) => save.mutate(v)}
      data-testid="contract-form"
    >
      {!loaded.configured && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={k('notConfigured')} />}
      <Card size="small" title={k('basics')} style={{ marginBottom: 16 }}>
        <Row gutter={12}>
          <Col xs={16} md={6}>
            <Form.Item
              name="total"
              label={k('total')}
              rules={[{ required: true, message: t('incidentSettings.notifiers.required') }]}
            >
              <InputNumber min={0.01} max={1e12} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={8} md={3}>
            <Form.Item name="currency" label={k('currency')} rules={[{ pattern: /^[A-Z]{3}$/, required: true }]}>
              <Input maxLength={3} />
            </Form.Item>
          </Col>
          <Col xs={24} md={9}>
            <Form.Item name="term" label={k('term')} rules={[{ required: true }]}>
              <DatePicker.RangePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="timezone" label={k('timezone')}>
              <Select showSearch options={timeZones().map((z) => ({ value: z, label: z }))} />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card size="small" title={k('severities')} style={{ marginBottom: 16 }}>
            <Row gutter={8} style={{ fontSize: 12, color: 'rgba(0,0,0,.55)', marginBottom: 4 }}>
              <Col span={6}>{k('severity')}</Col>
              <Col span={9}>{k('respond')}</Col>
              <Col span={9}>{k('resolve')}</Col>
            </Row>
            {[
              ...severities.map((s) => [s, ['severities', s]] as const),
              [k('promotionP1'), ['promotionP1']] as const,
            ].map(([label, path]) => (
              <Row gutter={8} key={label} align="middle">
                <Col span={6}>{label}</Col>
                {(['respond', 'resolve'] as const).map((f) => (
                  <Col span={9} key={f}>
                    <Form.Item name={[...path, f]} rules={[{ required: true }]} style={{ marginBottom: 8 }}>
                      <InputNumber min={1} max={100000} style={{ width: '100%' }} aria-label={`${label} ${k(f)}`} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
            ))}
          </Card>
          <Card size="small" title={k('penalty')} style={{ marginBottom: 16 }}>
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item name="rounding" label={k('rounding')}>
                  <Select
                    options={(['per_started_hour', 'whole_hours', 'pro_rata'] as const).map((r) => ({
                      value: r,
                      label: t(`incidentSettings.contract.roundings.${r}`),
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="capScope" label={k('capScope')}>
                  <Select
                    options={(['term', 'month', 'incident'] as const).map((r) => ({
                      value: r,
                      label: t(`incidentSettings.contract.capScopes.${r}`),
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={12}>
                <Form.Item name="ratePercentPerHour" label={k('rate')}>
                  <InputNumber min={0} max={100} step={0.1} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12}>
                <Form.Item name="capPercent" label={k('cap')}>
                  <InputNumber min={0} max={100} step={0.5} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item
              name="responseDeducts"
              label={k('responseDeducts')}
              valuePropName="checked"
              style={{ marginBottom: 0 }}
            >
              <Switch />
            </Form.Item>
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card
            size="small"
            title={k('promotions')}
            style={{ marginBottom: 16 }}
            extra={
              <Button size="small" onClick={restoreDefaults}>
                {k('defaults')}
              </Button>
            }
          >
            <Alert type="info" message={k('promotionsHelp')} style={{ marginBottom: 12, fontSize: 12 }} />
            <Form.List name="promotions">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => {
                    const name = (
                      <Form.Item
                        name={[f.name, 'name']}
                        rules={[{ required: true }]}
                        style={{
                          flex: phone ? 1 : 'none',
                          width: phone ? undefined : 96,
                          marginBottom: phone ? 4 : undefined,
                        }}
                      >
                        <Input maxLength={100} placeholder={k('promotionName')} />
                      </Form.Item>
                    );
                    const range = (
                      <Form.Item
                        name={[f.name, 'window']}
                        rules={[{ required: true }]}
                        style={{ flex: 1, minWidth: 0 }}
                      >
                        <DatePicker.RangePicker
                          showTime={{ format: 'HH:mm' }}
                          format="YYYY-MM-DD HH:mm"
                          style={{ width: '100%' }}
                        />
                      </Form.Item>
                    );
                    const drop = (
                      <Button
                        icon={<DeleteOutlined />}
                        aria-label={t('incidentSettings.remove')}
                        onClick={() => remove(f.name)}
                      />
                    );
                    // A phone has no room for the name, both date-times and the button on one line.
                    return phone ? (
                      <div key={f.key}>
                        <Flex gap={8} align="start">
                          {name}
                          {drop}
                        </Flex>
                        {range}
                      </div>
                    ) : (
                      <Flex key={f.key} gap={8} align="start">
                        {name}
                        {range}
                        {drop}
                      </Flex>
                    );
                  })}
                  <Button icon={<PlusOutlined />} onClick={() => add({ name: '' })}>
                    {k('addPromotion')}
                  </Button>
                </>
              )}
            </Form.List>
          </Card>
          <Card size="small" title={k('supportLine')} style={{ marginBottom: 16 }}>
            <PersonFields prefix={['supportLine']} line />
          </Card>
          <Card size="small" title={k('director')} style={{ marginBottom: 16 }}>
            <PersonFields prefix={['technicalDirector']} />
          </Card>
          <Card size="small" title={k('contacts')} style={{ marginBottom: 16 }}>
            <Form.List name="contacts">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Flex key={f.key} gap={8} align="center">
                      <div style={{ flex: 1, minWidth: 0 }}>
                        <PersonFields prefix={[f.name]} />
                      </div>
                      <Button
                        icon={<DeleteOutlined />}
                        aria-label={t('incidentSettings.remove')}
                        onClick={() => remove(f.name)}
                      />
                    </Flex>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({})}>
                    {k('addContact')}
                  </Button>
                </>
              )}
            </Form.List>
          </Card>
        </Col>
      </Row>
      {editable ? (
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('incidentSettings.save')}
        </Button>
      ) : (
        <Typography.Text type="secondary">{t('incidentSettings.readOnly')}</Typography.Text>
      )}
    </Form>
  );
}
