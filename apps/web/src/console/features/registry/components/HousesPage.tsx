import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { houseUseLabels } from '@gridgov/contracts/registry-codes';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Space, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { type BuildingFilters, type HouseFilters, placesApi, regKeys, type TBuilding, type THouse } from '../api';
import { houseUseColor } from '../helpers';
import { FilterSelect, FreshTag, GridSelect, pagination, useCodeOptions } from './common';
import { BuildingFormDrawer, HouseFormDrawer } from './HouseForms';

export function UseTag({ use }: { use: THouse['use'] }) {
  const { label } = useI18n();
  return (
    <Tag color={houseUseColor[use]} style={{ color: use === 'vacant' ? '#333' : undefined }}>
      {label(houseUseLabels[use])}
    </Tag>
  );
}

/** 房屋: houses (with use and occupants) and buildings (open one for its floor × room layout). */
export default function HousesPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'buildings' ? 'buildings' : 'houses';
  return (
    <Card title={t('nav.houses')} styles={{ body: { paddingTop: 0 } }}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'buildings' ? { tab: k } : {})}
        items={[
          { key: 'houses', label: t('house.tabHouses'), children: <HouseList /> },
          { key: 'buildings', label: t('house.tabBuildings'), children: <BuildingList /> },
        ]}
      />
    </Card>
  );
}

function HouseList() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<HouseFilters>({ limit: 20, offset: 0 });
  const [text, setText] = useState('');
  const [creating, setCreating] = useState(false);
  const uses = useCodeOptions(houseUseLabels);
  const q = useQuery({ queryKey: regKeys.houses(filters), queryFn: () => placesApi.houses(filters), placeholderData: keepPreviousData });
  return (
    <>
      <Space wrap size={8} style={{ marginBottom: 10 }}>
        <Input.Search
          aria-label={t('house.searchAddress')}
          placeholder={t('house.searchAddress')}
          allowClear
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(s) => setFilters({ ...filters, q: s.trim() || undefined, offset: 0 })}
          style={{ width: 220 }}
        />
        <RegionTreeSelect
          aria-label={t('reg.region')}
          placeholder={t('reg.region')}
          value={filters.regionId}
          onChange={(regionId) => setFilters({ ...filters, regionId, offset: 0 })}
          style={{ width: 180 }}
        />
        <GridSelect value={filters.gridId} onChange={(gridId) => setFilters({ ...filters, gridId, offset: 0 })} style={{ width: 190 }} />
        <FilterSelect label={t('reg.use')} value={filters.use} onChange={(use) => setFilters({ ...filters, use, offset: 0 })} options={uses} width={120} />
        <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} />
        {can('registry.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('house.create')}
          </Button>
        )}
      </Space>
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <Table<THouse>
        rowKey="id"
        size="small"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 900 }}
        pagination={pagination(t, filters, q.data?.total ?? 0, (offset, limit) => setFilters({ ...filters, offset, limit }))}
        columns={[
          { title: t('reg.address'), dataIndex: 'address', ellipsis: true, render: (v: string, h) => <Link to={`/houses/${h.id}`}>{v}</Link> },
          {
            title: t('house.building'),
            dataIndex: 'buildingName',
            width: 110,
            render: (v: string | null, h) => (h.buildingId ? <Link to={`/buildings/${h.buildingId}`}>{v}</Link> : '—'),
          },
          { title: t('reg.use'), dataIndex: 'use', width: 100, render: (v: THouse['use']) => <UseTag use={v} /> },
          { title: t('house.occupants'), dataIndex: 'occupantCount', width: 80, align: 'right' },
          { title: t('house.area'), dataIndex: 'areaM2', width: 90, align: 'right', render: (v: number | null) => v ?? '—' },
          { title: t('reg.grid'), dataIndex: 'gridName', width: 150, ellipsis: true },
          { title: t('reg.freshness'), key: 'f', width: 80, render: (_, h) => <FreshTag stale={h.stale} verifiedAt={h.verifiedAt} /> },
        ]}
      />
      {creating && (
        <HouseFormDrawer
          house={null}
          onClose={() => setCreating(false)}
          onSaved={(id) => {
            setCreating(false);
            navigate(`/houses/${id}`);
          }}
        />
      )}
    </>
  );
}

function BuildingList() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<BuildingFilters>({ limit: 20, offset: 0 });
  const [text, setText] = useState('');
  const [creating, setCreating] = useState(false);
  const q = useQuery({ queryKey: regKeys.buildings(filters), queryFn: () => placesApi.buildings(filters), placeholderData: keepPreviousData });
  return (
    <>
      <Space wrap size={8} style={{ marginBottom: 10 }}>
        <Input.Search
          aria-label={t('building.search')}
          placeholder={t('building.search')}
          allowClear
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(s) => setFilters({ ...filters, q: s.trim() || undefined, offset: 0 })}
          style={{ width: 220 }}
        />
        <RegionTreeSelect
          aria-label={t('reg.region')}
          placeholder={t('reg.region')}
          value={filters.regionId}
          onChange={(regionId) => setFilters({ ...filters, regionId, offset: 0 })}
          style={{ width: 180 }}
        />
        <GridSelect value={filters.gridId} onChange={(gridId) => setFilters({ ...filters, gridId, offset: 0 })} style={{ width: 190 }} />
        <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} />
        {can('registry.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('building.create')}
          </Button>
        )}
      </Space>
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <Table<TBuilding>
        rowKey="id"
        size="small"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 800 }}
        pagination={pagination(t, filters, q.data?.total ?? 0, (offset, limit) => setFilters({ ...filters, offset, limit }))}
        columns={[
          { title: t('building.name'), dataIndex: 'name', width: 120, render: (v: string, b) => <Link to={`/buildings/${b.id}`}>{v}</Link> },
          { title: t('reg.address'), dataIndex: 'address', ellipsis: true },
          { title: t('building.floors'), dataIndex: 'floors', width: 70, align: 'right', render: (v: number | null) => v ?? '—' },
          { title: t('building.units'), dataIndex: 'units', width: 70, align: 'right', render: (v: number | null) => v ?? '—' },
          { title: t('building.houses'), dataIndex: 'houses', width: 80, align: 'right' },
          { title: t('house.occupants'), dataIndex: 'occupants', width: 80, align: 'right' },
          { title: t('reg.grid'), dataIndex: 'gridName', width: 150, ellipsis: true },
        ]}
      />
      {creating && (
        <BuildingFormDrawer
          building={null}
          onClose={() => setCreating(false)}
          onSaved={(id) => {
            setCreating(false);
            navigate(`/buildings/${id}`);
          }}
        />
      )}
    </>
  );
}
