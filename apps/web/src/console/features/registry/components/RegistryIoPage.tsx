import { DownloadOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { type ImportKind, type ImportMode, importColumns, importKindLabels, importModeLabels, importStatusLabels } from '@gridgov/contracts/imports';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Drawer,
  Form,
  Input,
  Radio,
  Result,
  Select,
  Space,
  Spin,
  Statistic,
  Steps,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { download, ioApi, regKeys, type TImportJob } from '../api';
import { localText } from '../helpers';
import { GridSelect, pagination } from './common';

const KINDS: ImportKind[] = ['persons', 'houses', 'organisations', 'facilities'];
const running = (j: TImportJob | undefined) => !j || j.status === 'queued' || j.status === 'running';

/** 导入导出: the import wizard, the job history and masked (or, with a reason, unmasked) exports. */
export default function RegistryIoPage() {
  const { t } = useI18n();
  return (
    <Card title={t('nav.registryIo')} styles={{ body: { paddingTop: 0 } }}>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'import', label: t('imp.tabImport'), children: <ImportWizard /> },
          { key: 'jobs', label: t('imp.tabJobs'), children: <JobHistory /> },
          { key: 'export', label: t('imp.tabExport'), children: <ExportPanel /> },
        ]}
      />
    </Card>
  );
}

function StatusTag({ job }: { job: TImportJob }) {
  const { label } = useI18n();
  const color = { queued: 'default', running: 'processing', succeeded: 'green', failed: 'red', rejected: 'orange' }[job.status];
  return (
    <Tag color={color} data-testid="import-status">
      {label(importStatusLabels[job.status])}
    </Tag>
  );
}

function ImportWizard() {
  const { t, label, locale } = useI18n();
  const qc = useQueryClient();
  const [step, setStep] = useState(0);
  const [kind, setKind] = useState<ImportKind>('persons');
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('keep_valid');
  const [jobId, setJobId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const job = await ioApi.start(kind, file, mode);
      setJobId(job.id);
      setStep(2);
      void qc.invalidateQueries({ queryKey: ['imports'] });
    } catch (e) {
      setError(
        e instanceof Error
          ? [e.message, ...((e as { fields?: { message: string }[] }).fields ?? []).map((f) => localText(f.message, locale))].join('；')
          : String(e),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ maxWidth: 980 }}>
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: 16 }}
        items={[{ title: t('imp.stepKind') }, { title: t('imp.stepFile') }, { title: t('imp.stepResult') }]}
      />
      {step === 0 && (
        <>
          <Radio.Group
            value={kind}
            onChange={(e) => setKind(e.target.value)}
            optionType="button"
            buttonStyle="solid"
            options={KINDS.map((k) => ({ value: k, label: label(importKindLabels[k]) }))}
            style={{ marginBottom: 12 }}
          />
          <Typography.Paragraph>
            {t('imp.templateIntro')}{' '}
            <Button icon={<DownloadOutlined />} onClick={() => download(ioApi.templateUrl(kind))} data-testid="import-template">
              {t('imp.template', { kind: label(importKindLabels[kind]) })}
            </Button>
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={[...importColumns[kind]]}
            columns={[
              { title: t('imp.column'), dataIndex: 'zh', width: 180, render: (v: string, c) => (c.required ? <strong>{v} *</strong> : v) },
              { title: t('imp.columnEn'), dataIndex: 'en', width: 180 },
              {
                title: t('imp.hint'),
                dataIndex: 'hint',
                render: (v: string | undefined, c) => [v, c.aliases?.length ? `${t('imp.aliases')}：${c.aliases.join('、')}` : ''].filter(Boolean).join('；'),
              },
            ]}
          />
          <Button type="primary" style={{ marginTop: 12 }} onClick={() => setStep(1)} data-testid="import-next">
            {t('imp.next')}
          </Button>
        </>
      )}
      {step === 1 && (
        <>
          <Upload.Dragger
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            maxCount={1}
            showUploadList={false}
            beforeUpload={(f) => {
              setFile(f);
              return false;
            }}
            style={{ marginBottom: 12 }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p>{file ? <strong data-testid="import-file">{file.name}</strong> : t('imp.drop')}</p>
            <p style={{ color: '#8c8c8c', fontSize: 12 }}>{t('imp.dropHint')}</p>
          </Upload.Dragger>
          <Form layout="vertical">
            <Form.Item label={t('imp.mode')}>
              <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)}>
                <Space orientation="vertical">
                  {(['keep_valid', 'all_or_nothing'] as const).map((m) => (
                    <Radio key={m} value={m}>
                      {label(importModeLabels[m])}
                      <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>
                        {t(`imp.mode.${m}`)}
                      </Typography.Text>
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
            </Form.Item>
          </Form>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <Space>
            <Button onClick={() => setStep(0)}>{t('imp.back')}</Button>
            <Button type="primary" disabled={!file} loading={busy} onClick={() => void start()} data-testid="import-start">
              {t('imp.start')}
            </Button>
          </Space>
        </>
      )}
      {step === 2 && jobId && (
        <>
          <JobView id={jobId} />
          <Button
            style={{ marginTop: 12 }}
            onClick={() => {
              setStep(0);
              setFile(null);
              setJobId(null);
            }}
          >
            {t('imp.again')}
          </Button>
        </>
      )}
    </div>
  );
}

/** One job: polled every second while it runs, then its counts and rejected rows. */
export function JobView({ id }: { id: string }) {
  const { t, label, locale } = useI18n();
  const q = useQuery({
    queryKey: regKeys.job(id),
    queryFn: () => ioApi.job(id),
    refetchInterval: (query) => (running(query.state.data) ? 1000 : false),
    staleTime: 0,
  });
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const j = q.data;
  const rej = useQuery({
    queryKey: regKeys.rejections(id, page),
    queryFn: () => ioApi.rejections(id, page),
    enabled: !!j && !running(j) && j.rejected > 0,
    placeholderData: keepPreviousData,
  });
  if (q.error) return <QueryError error={q.error} retry={() => void q.refetch()} />;
  if (!j) return <Spin />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="import-job">
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('imp.file')}>{j.fileName}</Descriptions.Item>
        <Descriptions.Item label={t('imp.kind')}>{label(importKindLabels[j.kind])}</Descriptions.Item>
        <Descriptions.Item label={t('imp.mode')}>{label(importModeLabels[j.mode])}</Descriptions.Item>
        <Descriptions.Item label={t('imp.format')}>{[j.format, j.encoding].filter(Boolean).join(' · ') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          <StatusTag job={j} />
        </Descriptions.Item>
        <Descriptions.Item label={t('imp.startedAt')}>
          {j.startedBy} {formatDateTime(j.startedAt)}
        </Descriptions.Item>
      </Descriptions>
      {running(j) && (
        <Alert type="info" showIcon icon={<Spin size="small" />} title={t('imp.running', { n: j.rowsRead.toLocaleString() })} data-testid="import-running" />
      )}
      {j.error && <Alert type="error" showIcon title={`${j.error.message}`} description={j.error.code} />}
      {j.status === 'rejected' && <Alert type="warning" showIcon title={t('imp.rejectedAll', { n: j.rejected })} />}
      <Space size={32} wrap>
        <Statistic title={t('imp.rowsRead')} value={j.rowsRead} />
        <Statistic title={t('imp.inserted')} value={j.inserted} styles={{ content: { color: '#389e0d' } }} />
        <Statistic title={t('imp.updated')} value={j.updated} />
        <Statistic title={t('imp.unchanged')} value={j.unchanged} />
        <Statistic title={t('imp.rejected')} value={j.rejected} styles={{ content: { color: j.rejected ? '#cf1322' : undefined } }} />
      </Space>
      {!running(j) && j.rejected > 0 && (
        <>
          <Space>
            <Typography.Text strong>{t('imp.rejectedRows')}</Typography.Text>
            <Button size="small" icon={<DownloadOutlined />} onClick={() => download(ioApi.rejectionsUrl(j.id))} data-testid="import-rejections-xlsx">
              {t('imp.downloadRejected')}
            </Button>
          </Space>
          {rej.error && <QueryError error={rej.error} />}
          <Table
            size="small"
            rowKey={(r) => `${r.row}-${r.column}-${r.reason}`}
            loading={rej.isFetching}
            dataSource={rej.data?.items ?? []}
            pagination={pagination(t, page, rej.data?.total ?? 0, (offset, limit) => setPage({ offset, limit }))}
            columns={[
              { title: t('imp.row'), dataIndex: 'row', width: 70 },
              { title: t('imp.column'), dataIndex: 'column', width: 160, render: (v: string | null) => v ?? '—' },
              { title: t('imp.reason'), dataIndex: 'reason', render: (v: string) => localText(v, locale) },
            ]}
          />
        </>
      )}
      {!running(j) && j.status === 'succeeded' && j.rejected === 0 && <Result status="success" title={t('imp.allGood')} style={{ padding: 12 }} />}
    </Space>
  );
}

function JobHistory() {
  const { t, label } = useI18n();
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const [open, setOpen] = useState<string | null>(null);
  const q = useQuery({ queryKey: regKeys.jobs(page), queryFn: () => ioApi.jobs(page), placeholderData: keepPreviousData, refetchInterval: 5000 });
  return (
    <>
      <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} style={{ marginBottom: 8 }} />
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <Table<TImportJob>
        rowKey="id"
        size="small"
        dataSource={q.data?.items ?? []}
        loading={q.isLoading}
        scroll={{ x: 900 }}
        pagination={pagination(t, page, q.data?.total ?? 0, (offset, limit) => setPage({ offset, limit }))}
        columns={[
          { title: t('imp.startedAt'), dataIndex: 'startedAt', width: 150, render: (v: string) => formatDateTime(v) },
          { title: t('imp.kind'), dataIndex: 'kind', width: 80, render: (v: ImportKind) => label(importKindLabels[v]) },
          {
            title: t('imp.file'),
            dataIndex: 'fileName',
            ellipsis: true,
            render: (v: string, j) => (
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(j.id)}>
                {v}
              </Button>
            ),
          },
          { title: t('common.status'), key: 's', width: 110, render: (_, j) => <StatusTag job={j} /> },
          { title: t('imp.rowsRead'), dataIndex: 'rowsRead', width: 80, align: 'right' },
          { title: t('imp.inserted'), dataIndex: 'inserted', width: 70, align: 'right' },
          { title: t('imp.updated'), dataIndex: 'updated', width: 70, align: 'right' },
          { title: t('imp.rejected'), dataIndex: 'rejected', width: 70, align: 'right' },
          { title: t('imp.startedBy'), dataIndex: 'startedBy', width: 90 },
        ]}
      />
      <Drawer open={!!open} size={760} onClose={() => setOpen(null)} destroyOnHidden title={t('imp.job')}>
        {open && <JobView id={open} />}
      </Drawer>
    </>
  );
}

function ExportPanel() {
  const { t, label } = useI18n();
  const { can } = useAuth();
  const [kind, setKind] = useState<ImportKind>('persons');
  const [regionId, setRegionId] = useState<string | undefined>();
  const [gridId, setGridId] = useState<string | undefined>();
  const [unmasked, setUnmasked] = useState(false);
  const [reason, setReason] = useState('');
  const pii = importColumns[kind].some((c) => c.pii);
  const ok = !unmasked || reason.trim().length >= 4;
  return (
    <Form layout="vertical" style={{ maxWidth: 520 }}>
      <Form.Item label={t('imp.kind')}>
        <Select value={kind} onChange={setKind} options={KINDS.map((k) => ({ value: k, label: label(importKindLabels[k]) }))} />
      </Form.Item>
      <Form.Item label={t('reg.region')} extra={t('exp.scopeHint')}>
        <RegionTreeSelect value={regionId} onChange={setRegionId} aria-label={t('reg.region')} />
      </Form.Item>
      <Form.Item label={t('reg.grid')}>
        <GridSelect value={gridId} onChange={setGridId} />
      </Form.Item>
      {pii && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('exp.masked')} />}
      {pii && can('pii.export_unmasked') && (
        <>
          <Form.Item>
            <Checkbox checked={unmasked} onChange={(e) => setUnmasked(e.target.checked)} data-testid="export-unmasked">
              {t('exp.unmasked')}
            </Checkbox>
          </Form.Item>
          {unmasked && (
            <Form.Item label={t('reg.reason')} required extra={t('reg.reasonMin', { n: 4 })}>
              <Input.TextArea aria-label={t('reg.reason')} rows={2} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
            </Form.Item>
          )}
        </>
      )}
      <Button
        type="primary"
        icon={<DownloadOutlined />}
        disabled={!ok}
        onClick={() => download(ioApi.exportUrl(kind, { regionId, gridId, ...(unmasked ? { unmasked: 'true' as const, reason: reason.trim() } : {}) }))}
        data-testid="export-download"
      >
        {t('exp.download')}
      </Button>
    </Form>
  );
}
