import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { levelsOf, specialGroupByCode, specialLevelLabels } from '@gridgov/contracts/special-groups';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Menu, Space, Typography } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { regKeys, type SpecialFilters, specialApi } from '../api';
import { FilterSelect, GridSelect } from './common';
import { SpecialTable } from './PersonPage';
import { useVisibleTypes } from './PersonsPage';
import { SpecialEntryModal } from './SpecialEntryModal';

/** 特殊人群: one register at a time, only the registers the user may see; entries link to the person. */
export default function SpecialGroupsPage() {
  const { t, label } = useI18n();
  const { can } = useAuth();
  const qc = useQueryClient();
  const types = useVisibleTypes();
  const [filters, setFilters] = useState<SpecialFilters>({ typeCode: types[0]?.code, limit: 20, offset: 0 });
  const [adding, setAdding] = useState(false);
  const type = filters.typeCode ? specialGroupByCode.get(filters.typeCode) : undefined;
  const q = useQuery({ queryKey: regKeys.special(filters), queryFn: () => specialApi.list(filters), placeholderData: keepPreviousData });
  const set = (patch: Partial<SpecialFilters>) => setFilters({ ...filters, ...patch, offset: 0 });

  return (
    <Card
      title={t('nav.specialGroups')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} />
          {can('registry.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              {t('special.add')}
            </Button>
          )}
        </Space>
      }
      styles={{ body: { display: 'flex', gap: 12, alignItems: 'flex-start' } }}
    >
      <div style={{ width: 180, flex: 'none' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('special.onlyVisible')}
        </Typography.Text>
        <Menu
          mode="inline"
          style={{ borderInlineEnd: 'none' }}
          selectedKeys={filters.typeCode ? [filters.typeCode] : []}
          onClick={({ key }) => set({ typeCode: key, level: undefined })}
          items={types.map((g) => ({ key: g.code, label: label(g), title: label(g) }))}
        />
      </div>
      <div style={{ flex: 1, minWidth: 0 }}>
        <Space wrap size={8} style={{ marginBottom: 10 }}>
          <FilterSelect
            label={t('special.level')}
            value={filters.level}
            onChange={(level) => set({ level })}
            options={(type ? levelsOf(type) : []).map((l) => ({ value: l, label: label(specialLevelLabels[l]) }))}
            width={120}
          />
          <RegionTreeSelect
            aria-label={t('reg.region')}
            placeholder={t('reg.region')}
            value={filters.regionId}
            onChange={(regionId) => set({ regionId })}
            style={{ width: 180 }}
          />
          <GridSelect value={filters.gridId} onChange={(gridId) => set({ gridId })} style={{ width: 190 }} />
        </Space>
        {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
        <SpecialTable
          entries={q.data?.items ?? []}
          showPerson
          onChanged={can('registry.manage') ? () => void qc.invalidateQueries({ queryKey: ['special'] }) : undefined}
        />
        <div style={{ textAlign: 'right', marginTop: 8 }}>
          <Typography.Text type="secondary">{t('common.total', { n: q.data?.total ?? 0 })}</Typography.Text>
          {(q.data?.total ?? 0) > filters.limit && (
            <Space style={{ marginLeft: 8 }}>
              <Button
                size="small"
                disabled={filters.offset === 0}
                onClick={() => setFilters({ ...filters, offset: Math.max(0, filters.offset - filters.limit) })}
              >
                ‹
              </Button>
              <Button
                size="small"
                disabled={filters.offset + filters.limit >= (q.data?.total ?? 0)}
                onClick={() => setFilters({ ...filters, offset: filters.offset + filters.limit })}
              >
                ›
              </Button>
            </Space>
          )}
        </div>
      </div>
      {adding && (
        <SpecialEntryModal
          typeCode={filters.typeCode}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            void qc.invalidateQueries({ queryKey: ['special'] });
          }}
        />
      )}
    </Card>
  );
}
