import { InboxOutlined } from '@ant-design/icons';
import { importColumns } from '@gridgov/contracts/imports';
import { Alert, Button, Card, Form, Input, Space, Statistic, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { ioApi, type TCrossCheck } from '../api';
import { localText, splitServerErrors } from '../helpers';

/** 数据比对: a list from another department against the registry — matched, missing on either side, differing. */
export default function CrossCheckPage() {
  const { t, locale } = useI18n();
  const [source, setSource] = useState('');
  const [regionId, setRegionId] = useState<string | undefined>();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<TCrossCheck | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    if (!file || !source.trim()) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      setReport(await ioApi.crossCheck({ source: source.trim(), fileName: file.name, regionId }, file));
    } catch (e) {
      setError(splitServerErrors(e, [], locale).rest);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('nav.crossCheck')}>
      <Typography.Paragraph type="secondary">{t('xc.intro')}</Typography.Paragraph>
      <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item label={t('xc.source')} required>
          <Input
            aria-label={t('xc.source')}
            value={source}
            onChange={(e) => setSource(e.target.value)}
            placeholder={t('xc.sourcePlaceholder')}
            maxLength={64}
            style={{ width: 200 }}
          />
        </Form.Item>
        <Form.Item label={t('reg.region')}>
          <RegionTreeSelect value={regionId} onChange={setRegionId} aria-label={t('reg.region')} style={{ width: 200 }} />
        </Form.Item>
      </Form>
      <Upload.Dragger
        accept=".xlsx,.csv"
        maxCount={1}
        showUploadList={false}
        beforeUpload={(f) => {
          setFile(f);
          setReport(null);
          return false;
        }}
        style={{ marginBottom: 12, maxWidth: 640 }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>{file ? <strong>{file.name}</strong> : t('imp.drop')}</p>
        <p style={{ color: '#8c8c8c', fontSize: 12 }}>{t('xc.fileHint')}</p>
      </Upload.Dragger>
      <Button type="primary" disabled={!file || !source.trim()} loading={busy} onClick={() => void run()} data-testid="xc-run">
        {t('xc.run')}
      </Button>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      {report && <Report r={report} />}
    </Card>
  );
}

/** A person field key as the import template names it (姓名, 联系方式 …). */
const columnName = new Map(importColumns.persons.map((c) => [c.key, c]));

function Report({ r }: { r: TCrossCheck }) {
  const { t, locale, label } = useI18n();
  return (
    <div style={{ marginTop: 16 }} data-testid="xc-report">
      <Space size={32} wrap style={{ marginBottom: 8 }}>
        <Statistic title={t('imp.rowsRead')} value={r.rowsRead} />
        <Statistic title={t('xc.matched')} value={r.matched} styles={{ content: { color: '#389e0d' } }} />
        <Statistic title={t('xc.missingHere')} value={r.missingHere.length} />
        <Statistic title={t('xc.missingThere')} value={r.missingThere.length} />
        <Statistic title={t('xc.differing')} value={r.differing.length} />
        <Statistic title={t('xc.invalid')} value={r.invalid.length} />
      </Space>
      <Tabs
        items={[
          {
            key: 'here',
            label: `${t('xc.missingHere')} (${r.missingHere.length})`,
            children: (
              <Table
                size="small"
                rowKey="row"
                dataSource={r.missingHere}
                pagination={{ pageSize: 20, size: 'small' }}
                columns={[
                  { title: t('imp.row'), dataIndex: 'row', width: 70 },
                  { title: t('person.name'), dataIndex: 'name', render: (v: string | null) => v ?? '—' },
                  {
                    title: t('person.idNumber'),
                    dataIndex: 'idNumberMasked',
                    render: (v: string | null) => <span style={{ fontFamily: 'monospace' }}>{v ?? '—'}</span>,
                  },
                ]}
              />
            ),
          },
          {
            key: 'there',
            label: `${t('xc.missingThere')} (${r.missingThere.length})`,
            children: (
              <Table
                size="small"
                rowKey="personId"
                dataSource={r.missingThere}
                pagination={{ pageSize: 20, size: 'small' }}
                columns={[
                  { title: t('person.name'), dataIndex: 'name', render: (v: string, p) => <Link to={`/persons/${p.personId}`}>{v}</Link> },
                  {
                    title: t('person.idNumber'),
                    dataIndex: 'idNumberMasked',
                    render: (v: string | null) => <span style={{ fontFamily: 'monospace' }}>{v ?? '—'}</span>,
                  },
                  { title: t('reg.grid'), dataIndex: 'gridName' },
                ]}
              />
            ),
          },
          {
            key: 'diff',
            label: `${t('xc.differing')} (${r.differing.length})`,
            children: (
              <Table
                size="small"
                rowKey="row"
                dataSource={r.differing}
                pagination={{ pageSize: 20, size: 'small' }}
                columns={[
                  { title: t('imp.row'), dataIndex: 'row', width: 70 },
                  { title: t('person.name'), dataIndex: 'name', width: 100, render: (v: string, p) => <Link to={`/persons/${p.personId}`}>{v}</Link> },
                  {
                    title: t('xc.diffs'),
                    dataIndex: 'diffs',
                    render: (d: TCrossCheck['differing'][number]['diffs']) => (
                      <Space orientation="vertical" size={0}>
                        {d.map((x) => (
                          <span key={x.field}>
                            <Tag>{label(columnName.get(x.field), x.field)}</Tag>
                            {t('xc.here')}：{x.here ?? '—'} ｜ {t('xc.there')}：{x.there ?? '—'}
                          </span>
                        ))}
                      </Space>
                    ),
                  },
                ]}
              />
            ),
          },
          {
            key: 'invalid',
            label: `${t('xc.invalid')} (${r.invalid.length})`,
            children: (
              <Table
                size="small"
                rowKey={(x) => `${x.row}-${x.column}`}
                dataSource={r.invalid}
                pagination={{ pageSize: 20, size: 'small' }}
                columns={[
                  { title: t('imp.row'), dataIndex: 'row', width: 70 },
                  { title: t('imp.column'), dataIndex: 'column', width: 150, render: (v: string | null) => v ?? '—' },
                  { title: t('imp.reason'), dataIndex: 'reason', render: (v: string) => localText(v, locale) },
                ]}
              />
            ),
          },
        ]}
      />
    </div>
  );
}
