import { UploadOutlined } from '@ant-design/icons';
import type { CoordSystem } from '@gridgov/contracts/geojson';
import type { ImportProblem, ImportReport } from '@gridgov/contracts/gridio';
import { gridTypeLabels } from '@gridgov/contracts/grids';
import { Alert, App, Button, Form, Modal, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../../../common/api/client';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { gridsApi } from '../api';
import { localPart } from '../serverText';
import { formatM2 } from './format';

type FC = { type: 'FeatureCollection'; features: unknown[]; crs?: unknown };

/** The report from a 2xx answer, or from a refusal that carries one in its details. */
function reportOf(e: unknown): ImportReport | null {
  if (!(e instanceof ApiError)) return null;
  const d = e.details as { report?: ImportReport; problems?: ImportProblem[] };
  if (d.report) return d.report;
  if (Array.isArray(d.problems))
    return { mode: 'commit', ok: false, committed: false, coordSystem: 'WGS84', crsSource: 'request', features: 0, problems: d.problems, grids: [] };
  return null;
}

/**
 * 导入网格: a GeoJSON file into one community — validated whole first (every problem with its feature
 * index), then committed in one go; nothing is half-imported.
 */
export function ImportModal({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: () => void }) {
  const { t, label, locale } = useI18n();
  const { message } = App.useApp();
  const [communityId, setCommunityId] = useState<string | undefined>();
  const [crs, setCrs] = useState<CoordSystem | 'file'>('file');
  const [file, setFile] = useState<{ name: string; data: FC } | { name: string; zip: File } | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'validate' | 'commit' | null>(null);

  const reset = () => {
    setReport(null);
    setError(null);
  };

  const read = async (f: File) => {
    reset();
    setFile(null);
    setFileError(null);
    if (/\.zip$/i.test(f.name)) {
      setFile({ name: f.name, zip: f });
      return false;
    }
    try {
      const data = JSON.parse(await f.text()) as FC;
      if (data?.type !== 'FeatureCollection' || !Array.isArray(data.features)) throw new Error('type ≠ FeatureCollection');
      setFile({ name: f.name, data });
    } catch (e) {
      setFileError(t('gridList.importBadJson', { message: (e as Error).message }));
    }
    return false;
  };

  const run = async (mode: 'validate' | 'commit') => {
    if (!communityId || !file) return;
    setBusy(mode);
    setError(null);
    try {
      const r =
        'zip' in file
          ? await gridsApi.importShapefile({ communityId, mode, ...(crs === 'file' ? {} : { coordSystem: crs }) }, file.zip)
          : await gridsApi.importGrids({
              communityId,
              format: 'geojson',
              mode,
              ...(crs === 'file' ? {} : { coordSystem: crs }),
              data: file.data as { type: 'FeatureCollection'; features: unknown[] },
            });
      setReport(r);
      if (mode === 'commit' && r.committed) {
        message.success(t('gridList.importDone', { n: r.grids.length }));
        onImported();
      }
    } catch (e) {
      const r = reportOf(e);
      if (r) setReport(r);
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const problems = report?.problems ?? [];
  return (
    <Modal
      open={open}
      width={860}
      title={t('gridList.importTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.close')}</Button>
          <Button disabled={!communityId || !file} loading={busy === 'validate'} onClick={() => void run('validate')} data-testid="import-validate">
            {t('gridList.importValidate')}
          </Button>
          <Button
            type="primary"
            disabled={!communityId || !file || !report?.ok || report.committed}
            loading={busy === 'commit'}
            onClick={() => void run('commit')}
            data-testid="import-commit"
          >
            {t('gridList.importCommit')}
          </Button>
        </Space>
      }
    >
      <Form layout="horizontal" labelCol={{ span: 5 }}>
        <Form.Item label={t('gridList.importCommunity')} required>
          <RegionTreeSelect
            value={communityId}
            onChange={(v) => {
              setCommunityId(v);
              reset();
            }}
            aria-label={t('gridList.importCommunity')}
          />
        </Form.Item>
        <Form.Item label={t('gridList.importCrs')}>
          <Select
            value={crs}
            style={{ width: 200 }}
            onChange={(v) => {
              setCrs(v);
              reset();
            }}
            options={[
              { value: 'file', label: t('gridList.importCrsFromFile') },
              { value: 'WGS84', label: 'WGS84' },
              { value: 'CGCS2000', label: 'CGCS2000' },
              { value: 'GCJ02', label: 'GCJ-02' },
              { value: 'BD09', label: 'BD-09' },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('gridList.importFile')} required>
          <Upload
            accept=".geojson,.json,.zip,application/geo+json,application/json,application/zip"
            maxCount={1}
            showUploadList={false}
            beforeUpload={(f) => read(f)}
          >
            <Button icon={<UploadOutlined />}>{t('gridList.importPick')}</Button>
          </Upload>
          {file && (
            <Typography.Text style={{ marginLeft: 8 }} data-testid="import-file">
              {'data' in file ? `${file.name}（${file.data.features.length}）` : file.name}
            </Typography.Text>
          )}
        </Form.Item>
      </Form>
      {fileError && <Alert type="error" showIcon title={fileError} style={{ marginBottom: 8 }} />}
      {error && !report && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      {report && (
        <>
          {report.ok ? (
            <Alert
              type="success"
              showIcon
              style={{ marginBottom: 8 }}
              title={report.committed ? t('gridList.importDone', { n: report.grids.length }) : t('gridList.importOk', { n: report.grids.length })}
              data-testid="import-ok"
            />
          ) : (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 8 }}
              title={t('gridList.importProblems', { n: problems.length })}
              data-testid="import-problems"
            />
          )}
          {problems.length > 0 && (
            <Table<ImportProblem>
              rowKey={(_, i) => String(i)}
              size="small"
              pagination={{ pageSize: 10, size: 'small' }}
              dataSource={problems}
              columns={[
                {
                  title: t('gridList.importIndex'),
                  dataIndex: 'index',
                  width: 90,
                  render: (v: number | null) => (v === null ? t('gridList.importWholeFile') : `#${v}`),
                },
                { title: t('gridList.importField'), dataIndex: 'field', width: 150 },
                { title: t('gridList.importProblem'), dataIndex: 'message', render: (m: string) => localPart(m, locale) },
                {
                  title: t('gridList.importOther'),
                  width: 130,
                  render: (_, p) =>
                    [p.other !== undefined ? (typeof p.other === 'number' ? `#${p.other}` : p.other) : '', p.areaM2 !== undefined ? formatM2(p.areaM2) : '']
                      .filter(Boolean)
                      .join(' · '),
                },
              ]}
            />
          )}
          {report.ok && report.grids.length > 0 && (
            <Table
              rowKey="index"
              size="small"
              pagination={{ pageSize: 10, size: 'small' }}
              dataSource={report.grids}
              columns={[
                { title: t('gridList.importIndex'), dataIndex: 'index', width: 90, render: (v: number) => `#${v}` },
                {
                  title: t('gridList.importAction'),
                  dataIndex: 'action',
                  width: 80,
                  render: (v: 'create' | 'replace') => <Tag color={v === 'create' ? 'green' : 'blue'}>{t(`gridList.importAction.${v}`)}</Tag>,
                },
                { title: t('grid.code'), dataIndex: 'code', render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
                { title: t('grid.name'), dataIndex: 'name' },
                { title: t('grid.type'), dataIndex: 'gridType', render: (v: keyof typeof gridTypeLabels) => label(gridTypeLabels[v]) },
                { title: t('grid.area'), dataIndex: 'areaM2', align: 'right', render: (v: number) => formatM2(v) },
              ]}
            />
          )}
        </>
      )}
    </Modal>
  );
}
