import { EnvironmentOutlined, FieldNumberOutlined, FileExcelOutlined, ImportOutlined, ReloadOutlined, SlidersOutlined } from '@ant-design/icons';
import { type GridSummary, GridType, gridTypeLabels } from '@gridgov/contracts/grids';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Input, Select, Space, Table, Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useAuth, useMe } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { type GridFilters, gridKeys, gridsApi } from '../api';
import { CodeTemplateModal } from './CodeTemplateModal';
import { formatM2, formatNumber } from './format';
import { FlagLine, GridTypeTag } from './GridDetailPanel';
import { ImportModal } from './ImportModal';
import { SizeNormsModal } from './SizeNormsModal';

/** 网格列表: every grid in reach with its size findings and staffing; export and import. */
export default function GridListPage() {
  const { t, label } = useI18n();
  const { can } = useAuth();
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<GridFilters>({ limit: 50, offset: 0 });
  const [text, setText] = useState('');
  const [importing, setImporting] = useState(false);
  const [normsOpen, setNormsOpen] = useState(false);
  const [codeTplOpen, setCodeTplOpen] = useState(false);
  const q = useQuery({ queryKey: gridKeys.list(filters), queryFn: () => gridsApi.list(filters), placeholderData: keepPreviousData });
  const staffRegion = filters.regionId ?? me.viewScope[0]?.regionId;
  const staffing = useQuery({
    queryKey: ['grids', 'staffing', staffRegion],
    queryFn: () => gridsApi.staffing(staffRegion as string),
    enabled: !!staffRegion,
    retry: false,
  });
  const staffOf = new Map((staffing.data?.grids ?? []).map((g) => [g.gridId, g]));

  useEffect(() => {
    const h = setTimeout(() => setFilters((f) => (f.q === (text.trim() || undefined) ? f : { ...f, q: text.trim() || undefined, offset: 0 })), 300);
    return () => clearTimeout(h);
  }, [text]);

  const exportTo = (url: string) => {
    const a = document.createElement('a');
    a.href = url;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
  };

  return (
    <Card
      title={t('nav.grids')}
      extra={
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} />
          <Tooltip title={filters.regionId ? undefined : t('gridList.exportHint')}>
            <Button
              icon={<FileExcelOutlined />}
              disabled={!filters.regionId}
              onClick={() => filters.regionId && exportTo(gridsApi.exportXlsxUrl(filters.regionId))}
            >
              {t('gridList.exportXlsx')}
            </Button>
          </Tooltip>
          <Tooltip title={filters.regionId ? undefined : t('gridList.exportHint')}>
            <Button disabled={!filters.regionId} onClick={() => filters.regionId && exportTo(gridsApi.exportGeoJsonUrl(filters.regionId))}>
              {t('gridList.exportGeoJson')}
            </Button>
          </Tooltip>
          <Button icon={<SlidersOutlined />} onClick={() => setNormsOpen(true)} data-testid="norms-open">
            {t('norms.title')}
          </Button>
          <Button icon={<FieldNumberOutlined />} onClick={() => setCodeTplOpen(true)} data-testid="code-template-open">
            {t('codeTpl.title')}
          </Button>
          {can('grid.manage') && (
            <Button type="primary" icon={<ImportOutlined />} onClick={() => setImporting(true)}>
              {t('gridList.import')}
            </Button>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <RegionTreeSelect
          value={filters.regionId}
          onChange={(v) => setFilters({ ...filters, regionId: v, offset: 0 })}
          placeholder={t('adj.region')}
          style={{ width: 240 }}
          allowClear
          aria-label={t('adj.region')}
        />
        <Input.Search value={text} onChange={(e) => setText(e.target.value)} placeholder={t('gridMap.searchPlaceholder')} allowClear style={{ width: 240 }} />
        <Select
          allowClear
          placeholder={t('grid.type')}
          style={{ width: 160 }}
          value={filters.gridType}
          onChange={(v?: GridSummary['gridType']) => setFilters({ ...filters, gridType: v, offset: 0 })}
          options={GridType.options.map((g) => ({ value: g, label: label(gridTypeLabels[g]) }))}
          aria-label={t('grid.type')}
        />
        <Checkbox checked={filters.flagged === 'true'} onChange={(e) => setFilters({ ...filters, flagged: e.target.checked ? 'true' : undefined, offset: 0 })}>
          {t('gridList.flaggedOnly')}
        </Checkbox>
      </Space>
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <Table<GridSummary>
        rowKey="id"
        size="small"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 1250 }}
        onRow={(r) => ({ 'data-grid-code': r.code }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: Math.floor(filters.offset / filters.limit) + 1,
          pageSize: filters.limit,
          total: q.data?.total ?? 0,
          showTotal: (n) => t('common.total', { n }),
          onChange: (page, size) => setFilters({ ...filters, offset: (page - 1) * size, limit: size }),
        }}
        columns={[
          { title: t('grid.code'), dataIndex: 'code', width: 170, render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
          { title: t('grid.name'), dataIndex: 'name', width: 150 },
          {
            title: t('grid.type'),
            dataIndex: 'gridType',
            width: 130,
            render: (v: GridSummary['gridType'], r) => <GridTypeTag type={v} kind={r.dedicatedKind} />,
          },
          { title: t('grid.community'), dataIndex: 'communityName', width: 100 },
          { title: t('grid.area'), dataIndex: 'areaM2', width: 100, align: 'right', render: (v: number | null) => (v === null ? '—' : formatM2(v)) },
          {
            title: t('grid.households'),
            dataIndex: 'households',
            width: 70,
            align: 'right',
            render: (v: number | null) => (v === null ? '—' : formatNumber(v)),
          },
          {
            title: t('grid.population'),
            dataIndex: 'population',
            width: 70,
            align: 'right',
            render: (v: number | null) => (v === null ? '—' : formatNumber(v)),
          },
          {
            title: t('grid.flags'),
            dataIndex: 'flags',
            width: 230,
            render: (flags: GridSummary['flags']) =>
              !flags || flags.length === 0 ? (
                <Tag color="green">{t('grid.noFlags')}</Tag>
              ) : (
                <Space orientation="vertical" size={0}>
                  {flags.map((f) => (
                    <span key={f.code} style={{ color: '#c92a2a', fontSize: 12 }}>
                      <FlagLine flag={f} />
                    </span>
                  ))}
                </Space>
              ),
          },
          {
            title: t('grid.staff'),
            width: 150,
            render: (_, r) => {
              const s = staffOf.get(r.id);
              if (!s) return '—';
              return t('gridList.staffCounts', { leaders: s.leaders, workers: s.workers });
            },
          },
          {
            title: t('common.actions'),
            width: 60,
            fixed: 'right',
            render: (_, r) => (
              <Tooltip title={t('gridList.onMap')}>
                <Button
                  size="small"
                  type="text"
                  icon={<EnvironmentOutlined />}
                  onClick={() => navigate(`/grid-map?grid=${r.id}`)}
                  aria-label={t('gridList.onMap')}
                />
              </Tooltip>
            ),
          },
        ]}
      />
      {normsOpen && <SizeNormsModal open={normsOpen} regionId={filters.regionId ?? me.viewScope[0]?.regionId} onClose={() => setNormsOpen(false)} />}
      {codeTplOpen && <CodeTemplateModal open={codeTplOpen} onClose={() => setCodeTplOpen(false)} />}
      {importing && (
        <ImportModal
          open={importing}
          onClose={() => setImporting(false)}
          onImported={() => {
            void qc.invalidateQueries({ queryKey: gridKeys.all });
          }}
        />
      )}
    </Card>
  );
}
