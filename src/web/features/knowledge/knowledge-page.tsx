import { useRef, useState } from 'react';
import { App, Button, Card, Col, Dropdown, Flex, Input, Row, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/http.ts';
import { Page } from '../../shared/page.tsx';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCan } from '../auth/session.ts';
import { downloadExport, entriesQuery, readImportFile, useBulk, useImport, type Entry } from './api.ts';
import { BotSettingsCard } from './bot-settings-card.tsx';
import { LlmSettingsCard } from './llm-settings-card.tsx';
import { EntryDrawer } from './entry-drawer.tsx';
import { TryCard } from './try-card.tsx';
import { UnansweredCard } from './unanswered-card.tsx';

/** 知识库: the entries the bot answers from, the "try it" box, unanswered questions, the bot's settings. */
export function KnowledgePage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const can = useCan();
  const manage = can('knowledge.manage');
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [editing, setEditing] = useState<{
    entry: Entry | null;
    draft?: { question: string; similar: readonly string[] };
  } | null>(null);
  const { data, isLoading } = useQuery(entriesQuery(q));
  const bulk = useBulk();
  const importer = useImport();
  const file = useRef<HTMLInputElement>(null);

  const runBulk = async (body: { delete?: boolean; enabled?: boolean }) => {
    try {
      const r = await bulk.mutateAsync({ ids: selected, ...body });
      message.success(t('knowledge.bulkDone', { count: r.count }));
      setSelected([]);
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const onFile = async (f: File | undefined) => {
    if (!f) return;
    const body = await readImportFile(f);
    if (!body) return void message.error(t('knowledge.import.badType'));
    try {
      const r = await importer.mutateAsync(body);
      message.success(t('knowledge.import.done', r));
    } catch (err) {
      const rows =
        err instanceof ApiError
          ? ((err.issues as unknown as { errors?: { row: number; problems: string[] }[] } | undefined)?.errors ?? [])
          : [];
      modal.error({
        title: t('knowledge.import.failed'),
        content: rows.length ? (
          <ul>
            {rows.slice(0, 20).map((r) => (
              <li key={r.row}>{t('knowledge.import.row', { row: r.row, problems: r.problems.join('; ') })}</li>
            ))}
          </ul>
        ) : (
          errorText(err)
        ),
      });
    } finally {
      if (file.current) file.current.value = '';
    }
  };

  const extra = (
    <Space wrap>
      <Dropdown
        menu={{
          items: (['xlsx', 'csv', 'jsonl'] as const).map((f) => ({ key: f, label: f.toUpperCase() })),
          onClick: ({ key }) => void downloadExport(key as 'xlsx').catch((e: unknown) => message.error(errorText(e))),
        }}
      >
        <Button icon={<DownloadOutlined />}>{t('knowledge.export')}</Button>
      </Dropdown>
      {manage && (
        <>
          <input
            ref={file}
            type="file"
            accept=".xlsx,.csv,.jsonl"
            hidden
            onChange={(e) => void onFile(e.target.files?.[0])}
            data-testid="import-file"
          />
          <Button icon={<UploadOutlined />} loading={importer.isPending} onClick={() => file.current?.click()}>
            {t('knowledge.import.button')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ entry: null })}>
            {t('knowledge.create')}
          </Button>
        </>
      )}
    </Space>
  );

  return (
    <Page title={t('knowledge.title')} subtitle={t('knowledge.subtitle')} extra={extra}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card size="small">
            <Flex gap={8} wrap justify="space-between" style={{ marginBottom: 12 }}>
              <Input.Search
                allowClear
                placeholder={t('knowledge.search')}
                onSearch={setQ}
                style={{ maxWidth: 320 }}
                aria-label={t('knowledge.search')}
              />
              {manage && selected.length > 0 && (
                <Space wrap>
                  <Typography.Text>{t('knowledge.selected', { count: selected.length })}</Typography.Text>
                  <Button size="small" onClick={() => void runBulk({ enabled: true })}>
                    {t('knowledge.enable')}
                  </Button>
                  <Button size="small" onClick={() => void runBulk({ enabled: false })}>
                    {t('knowledge.disable')}
                  </Button>
                  <Button size="small" danger onClick={() => void runBulk({ delete: true })}>
                    {t('knowledge.remove')}
                  </Button>
                </Space>
              )}
            </Flex>
            <Table<Entry>
              rowKey="id"
              size="small"
              loading={isLoading}
              dataSource={data?.items ?? []}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              scroll={{ x: 'max-content' }}
              rowSelection={
                manage ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) } : undefined
              }
              onRow={(e) => ({
                onClick: () => manage && setEditing({ entry: e }),
                style: manage ? { cursor: 'pointer' } : undefined,
              })}
              columns={[
                {
                  title: t('knowledge.field.question'),
                  dataIndex: 'question',
                  width: 320,
                  render: (v: string, e) => (
                    <Space direction="vertical" size={0}>
                      <Typography.Text strong>{v}</Typography.Text>
                      <Typography.Text type="secondary" ellipsis style={{ maxWidth: 300 }}>
                        {e.answer}
                      </Typography.Text>
                    </Space>
                  ),
                },
                {
                  title: t('knowledge.field.category'),
                  dataIndex: 'category',
                  width: 90,
                  render: (v: string) => v && <Tag>{v}</Tag>,
                },
                { title: t('knowledge.field.similarCount'), width: 96, render: (_: unknown, e) => e.similar.length },
                {
                  title: t('knowledge.field.status'),
                  width: 130,
                  render: (_: unknown, e) =>
                    !e.enabled ? (
                      <Tag>{t('knowledge.off')}</Tag>
                    ) : e.validFrom || e.validTo ? (
                      <Tag color="blue">{`${e.validFrom ?? '…'} ~ ${e.validTo ?? '…'}`}</Tag>
                    ) : (
                      <Tag color="green">{t('knowledge.on')}</Tag>
                    ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Flex vertical gap={16}>
            <TryCard />
            <UnansweredCard canManage={manage} onCreate={(draft) => setEditing({ entry: null, draft })} />
            {can('settings.manage') && <BotSettingsCard />}
            {can('settings.manage') && <LlmSettingsCard />}
          </Flex>
        </Col>
      </Row>
      <EntryDrawer
        entry={editing?.entry ?? null}
        draft={editing?.draft}
        open={!!editing}
        onClose={() => setEditing(null)}
      />
    </Page>
  );
}
