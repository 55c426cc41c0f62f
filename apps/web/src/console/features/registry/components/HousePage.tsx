import { ArrowLeftOutlined, CheckCircleOutlined, EditOutlined } from '@ant-design/icons';
import { houseRelationLabels, populationTypeLabels } from '@gridgov/contracts/registry-codes';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { formatDate, formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { placesApi, regKeys, type THouseDetail } from '../api';
import { FreshTag, RecordError } from './common';
import { HouseFormDrawer } from './HouseForms';
import { UseTag } from './HousesPage';

/** 房屋: the house, its building and grid, and who lives there now and before. */
export default function HousePage() {
  const { id = '' } = useParams();
  const { t, label } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const q = useQuery({ queryKey: regKeys.house(id), queryFn: () => placesApi.house(id) });
  if (q.error) return <RecordError error={q.error} retry={() => void q.refetch()} back={{ to: '/houses', label: t('nav.houses') }} />;
  const h = q.data;
  if (!h) return <Card loading />;
  const refresh = () => qc.invalidateQueries({ queryKey: ['houses'] });
  return (
    <Card
      title={
        <Space wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.close')} />
          <span data-testid="house-title">{h.address}</span>
          <UseTag use={h.use} />
          <FreshTag stale={h.stale} verifiedAt={h.verifiedAt} />
        </Space>
      }
      extra={
        can('registry.manage') && (
          <Space>
            <Button
              icon={<CheckCircleOutlined />}
              loading={verifying}
              onClick={async () => {
                setVerifying(true);
                try {
                  await placesApi.verify('house', h.id);
                  message.success(t('reg.verified'));
                  void refresh();
                } catch (e) {
                  message.error((e as Error).message);
                } finally {
                  setVerifying(false);
                }
              }}
            >
              {t('reg.verify')}
            </Button>
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              {t('common.edit')}
            </Button>
          </Space>
        )
      }
    >
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('house.building')}>
          {h.buildingId ? <Link to={`/buildings/${h.buildingId}`}>{h.buildingName}</Link> : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('house.unitFloorRoom')}>{[h.unit, h.floor, h.room].map((x) => x ?? '—').join(' / ')}</Descriptions.Item>
        <Descriptions.Item label={t('house.area')}>{h.areaM2 ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('reg.grid')}>
          {h.gridName}
          <Typography.Text type="secondary"> · {h.communityName}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('reg.verifiedBy')}>
          {h.verifiedAt ? `${h.verifiedBy ?? ''} ${formatDateTime(h.verifiedAt)}` : t('reg.neverVerified')}
        </Descriptions.Item>
        <Descriptions.Item label={t('reg.note')}>{h.note ?? '—'}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5}>{t('house.occupantList', { n: h.occupantCount })}</Typography.Title>
      <Table<THouseDetail['occupants'][number]>
        rowKey={(o) => `${o.personId}-${o.since}`}
        size="small"
        pagination={false}
        dataSource={h.occupants}
        locale={{ emptyText: t('house.noOccupants') }}
        columns={[
          { title: t('person.name'), dataIndex: 'name', render: (v: string, o) => <Link to={`/persons/${o.personId}`}>{v}</Link> },
          { title: t('person.houseRelation'), dataIndex: 'relation', render: (v: keyof typeof houseRelationLabels) => label(houseRelationLabels[v]) },
          { title: t('person.populationType'), dataIndex: 'populationType', render: (v: keyof typeof populationTypeLabels) => label(populationTypeLabels[v]) },
          { title: t('person.since'), dataIndex: 'since', render: (v: string | null) => formatDate(v) || '—' },
          {
            title: t('person.until'),
            dataIndex: 'until',
            render: (v: string | null) => (v ? formatDate(v) : <Tag color="green">{t('person.current')}</Tag>),
          },
        ]}
      />
      {editing && (
        <HouseFormDrawer
          house={h}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            void refresh();
          }}
        />
      )}
    </Card>
  );
}
