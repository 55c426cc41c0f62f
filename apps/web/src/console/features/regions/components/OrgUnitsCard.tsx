import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { type OrgUnit, orgUnitKindLabels, type RegionNode } from '@gridgov/contracts/regions';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Table, Tag } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { regionKeys, regionsApi } from '../api';
import { useRegionLevels } from '../hooks/useRegionLevels';
import { OrgUnitFormModal } from './OrgUnitFormModal';

const kindColor = { center: 'blue', station: 'cyan', department: 'purple' } as const;

/** Org units at the region, plus the departments above it that serve it too (the server decides). */
export function OrgUnitsCard({ region }: { region: RegionNode }) {
  const { t, label } = useI18n();
  const { can } = useAuth();
  const { levelName } = useRegionLevels();
  const q = useQuery({ queryKey: regionKeys.orgUnits(region.id), queryFn: () => regionsApi.orgUnits({ regionId: region.id }) });
  const [editing, setEditing] = useState<OrgUnit | 'new' | null>(null);
  const manage = can('orgunit.manage');

  return (
    <Card
      title={t('org.title')}
      extra={
        manage && (
          <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('org.create')}
          </Button>
        )
      }
      styles={{ body: { padding: 0 } }}
    >
      {q.error ? (
        <div style={{ padding: 12 }}>
          <QueryError error={q.error} retry={() => void q.refetch()} />
        </div>
      ) : (
        <Table<OrgUnit>
          rowKey="id"
          size="small"
          loading={q.isLoading}
          dataSource={q.data ?? []}
          pagination={false}
          locale={{ emptyText: t('org.empty') }}
          columns={[
            { title: t('org.name'), dataIndex: 'name' },
            {
              title: t('org.kind'),
              dataIndex: 'kind',
              width: 150,
              render: (k: OrgUnit['kind']) => <Tag color={kindColor[k]}>{label(orgUnitKindLabels[k], k)}</Tag>,
            },
            { title: t('org.region'), key: 'region', render: (_, u) => `${u.regionName}（${levelName(u.regionLevel)}）` },
            { title: t('org.phone'), dataIndex: 'phone', width: 140, render: (v: string | null) => v ?? '—' },
            { title: t('org.deptCode'), dataIndex: 'deptCode', width: 100, render: (v: string | null) => v ?? '—' },
            ...(manage
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 70,
                    render: (_: unknown, u: OrgUnit) => (
                      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(u)} aria-label={t('common.edit')} />
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {editing && (
        <OrgUnitFormModal
          region={region}
          unit={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await q.refetch();
          }}
        />
      )}
    </Card>
  );
}
