/**
 * One report document in the console: sections of figures (a figure with rows behind it opens
 * them), tables, ECharts charts and notes; a section without a source says so. Texts in the
 * console's language (the document carries both).
 */
import { Alert, Card, Col, Drawer, List, Row, Statistic, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLanguage } from '../../layout/use-language.ts';
import type { Block, Cell, Drill, Figure, ReportDocument, Text } from './api.ts';
import { ReportChart } from './chart.tsx';

export function useText(): (x: Text) => string {
  const [lang] = useLanguage();
  return (x) => (lang === 'en' ? x.en || x.zh : x.zh);
}

/** How many rows behind a figure the drawer lists (the inbox and incident pages take it from there). */
const drillShown = 200;

function DrillDrawer({ figure, onClose }: { figure: (Figure & { drill: Drill }) | null; onClose: () => void }) {
  const { t } = useTranslation();
  const text = useText();
  const ids = figure?.drill.ids ?? [];
  const total = figure?.drill.total ?? ids.length;
  const incidents = figure?.drill.kind === 'incidents';
  return (
    <Drawer
      open={!!figure}
      onClose={onClose}
      width={Math.min(480, window.innerWidth)}
      title={figure && t('reports.drill.title', { label: text(figure.label), n: total })}
      extra={incidents && <Link to="/ops/incidents">{t('reports.drill.openAll')}</Link>}
    >
      {total > Math.min(ids.length, drillShown) && (
        <Typography.Paragraph type="secondary">
          {t('reports.drill.more', { shown: Math.min(ids.length, drillShown), n: total })}
        </Typography.Paragraph>
      )}
      <List
        size="small"
        data-testid="drill-list"
        dataSource={ids.slice(0, drillShown)}
        renderItem={(id) => (
          <List.Item
            actions={[
              incidents ? (
                <Link key="open" to={`/ops/incidents/${encodeURIComponent(id)}`}>
                  {t('reports.drill.openIncident')}
                </Link>
              ) : (
                <Link key="open" to={`/inbox?status=any&c=${encodeURIComponent(id)}`}>
                  {t('reports.drill.openConversation')}
                </Link>
              ),
            ]}
          >
            <Typography.Text code title={id} style={{ whiteSpace: 'nowrap' }}>
              {id.length > 14 ? `…${id.slice(-10)}` : id}
            </Typography.Text>
          </List.Item>
        )}
      />
    </Drawer>
  );
}

function Figures({ items, onDrill }: { items: Figure[]; onDrill: (f: Figure & { drill: Drill }) => void }) {
  const text = useText();
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
      {items.map((f) => {
        const drill = f.drill && f.drill.ids.length ? f.drill : null;
        const value = (
          <Statistic
            title={text(f.label)}
            value={f.value}
            valueStyle={{
              fontSize: 20,
              fontWeight: 600,
              color: f.flag ? '#cf1322' : drill ? '#1677ff' : undefined,
            }}
          />
        );
        return (
          <Col key={f.label.zh} xs={12} md={8} xl={6}>
            <Card
              size="small"
              hoverable={!!drill}
              data-testid="report-figure"
              data-drill={drill ? drill.kind : undefined}
              onClick={drill ? () => onDrill({ ...f, drill }) : undefined}
              style={{ height: '100%' }}
            >
              {value}
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}

/** A chart with its word labels (if any) in the console's language; the option stays the same object between renders. */
function ChartBlock({ block }: { block: Extract<Block, { kind: 'chart' }> }) {
  const [lang] = useLanguage();
  const option = useMemo(
    () =>
      block.labels
        ? {
            ...block.option,
            xAxis: {
              ...(block.option.xAxis as object | undefined),
              data: block.labels.map((x) => (lang === 'en' ? x.en || x.zh : x.zh)),
            },
          }
        : block.option,
    [block, lang],
  );
  return <ReportChart option={option} />;
}

function BlockView({ block, onDrill }: { block: Block; onDrill: (f: Figure & { drill: Drill }) => void }) {
  const text = useText();
  switch (block.kind) {
    case 'figures':
      return <Figures items={block.items} onDrill={onDrill} />;
    case 'table':
      return (
        <div style={{ marginBottom: 12 }}>
          {block.title && <Typography.Title level={5}>{text(block.title)}</Typography.Title>}
          <Table
            size="small"
            rowKey={(_, i) => String(i)}
            pagination={block.rows.length > 20 ? { pageSize: 20, size: 'small' } : false}
            scroll={{ x: 'max-content' }}
            dataSource={block.rows.map((r) => ({ r }))}
            columns={block.columns.map((c, i) => ({
              key: String(i),
              title: text(c),
              render: (_: unknown, row: { r: Cell[] }) => {
                const c = row.r[i];
                return c === undefined || typeof c === 'string' ? c : text(c);
              },
            }))}
          />
        </div>
      );
    case 'chart':
      return (
        <div style={{ marginBottom: 12 }}>
          <Typography.Title level={5}>{text(block.title)}</Typography.Title>
          <ChartBlock block={block} />
        </div>
      );
    case 'note':
      return (
        <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-line' }}>
          {text(block.text)}
        </Typography.Paragraph>
      );
  }
}

export function ReportBody({ doc, compact = false }: { doc: ReportDocument; compact?: boolean }) {
  const { t } = useTranslation();
  const text = useText();
  const [drill, setDrill] = useState<(Figure & { drill: Drill }) | null>(null);
  return (
    <div data-testid="report-body">
      {doc.sections.map((s) => (
        <Card
          key={s.id}
          id={`section-${s.id}`}
          size="small"
          title={text(s.title)}
          style={{ marginBottom: 12 }}
          data-testid="report-section"
          data-section={s.id}
        >
          {s.noSource ? (
            <Alert type="info" showIcon message={t('reports.noSource')} description={text(s.noSource)} />
          ) : (
            s.blocks.map((b, i) => <BlockView key={i} block={b} onDrill={setDrill} />)
          )}
        </Card>
      ))}
      {!compact && (
        <Card size="small" title={t('reports.appendix')}>
          <ol style={{ paddingLeft: 20, margin: 0 }}>
            {doc.appendix.map((a, i) => (
              <li key={i}>
                <Typography.Text type="secondary">{text(a)}</Typography.Text>
              </li>
            ))}
          </ol>
        </Card>
      )}
      <DrillDrawer figure={drill} onClose={() => setDrill(null)} />
    </div>
  );
}
