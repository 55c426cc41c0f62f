import { ArrowLeftOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { HouseUse, houseUseLabels } from '@gridgov/contracts/registry-codes';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Empty, Space, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { placesApi, regKeys } from '../api';
import { houseUseColor, layoutMatrix } from '../helpers';
import { RecordError } from './common';
import { BuildingFormDrawer, HouseFormDrawer } from './HouseForms';

/** 楼栋: floors × rooms like the building's front, each room coloured by use with its occupant count. */
export default function BuildingPage() {
  const { id = '' } = useParams();
  const { t, label } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [modal, setModal] = useState<'edit' | 'house' | null>(null);
  const q = useQuery({ queryKey: regKeys.layout(id), queryFn: () => placesApi.layout(id) });
  const m = useMemo(() => layoutMatrix(q.data?.cells ?? []), [q.data]);
  if (q.error) return <RecordError error={q.error} retry={() => void q.refetch()} back={{ to: '/houses?tab=buildings', label: t('nav.houses') }} />;
  const b = q.data?.building;
  if (!b) return <Card loading />;
  const cellW = 64;

  return (
    <Card
      title={
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.close')} />
          <span data-testid="building-title">{b.name}</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {b.address}
          </Typography.Text>
        </Space>
      }
      extra={
        can('registry.manage') && (
          <Space>
            <Button icon={<EditOutlined />} onClick={() => setModal('edit')}>
              {t('common.edit')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal('house')}>
              {t('house.create')}
            </Button>
          </Space>
        )
      }
    >
      <Descriptions size="small" column={{ xs: 2, md: 5 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('reg.grid')}>{b.gridName}</Descriptions.Item>
        <Descriptions.Item label={t('building.floors')}>{b.floors ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('building.units')}>{b.units ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('building.houses')}>{b.houses}</Descriptions.Item>
        <Descriptions.Item label={t('house.occupants')}>{b.occupants}</Descriptions.Item>
      </Descriptions>
      <Space wrap size={12} style={{ marginBottom: 8 }}>
        {HouseUse.options.map((u) => (
          <Space key={u} size={4}>
            <span style={{ display: 'inline-block', width: 12, height: 12, background: houseUseColor[u], borderRadius: 2 }} />
            <Typography.Text style={{ fontSize: 12 }}>{label(houseUseLabels[u])}</Typography.Text>
          </Space>
        ))}
      </Space>
      {(q.data?.cells.length ?? 0) === 0 ? (
        <Empty description={t('building.noHouses')} />
      ) : (
        <div style={{ overflow: 'auto', maxHeight: 'calc(100vh - 260px)' }}>
          <table style={{ borderCollapse: 'separate', borderSpacing: 3 }} data-testid="building-layout">
            <thead>
              <tr>
                <th />
                {m.units.map((u) => (
                  <th key={String(u.unit)} colSpan={u.rooms.length} style={{ fontWeight: 500, fontSize: 12, borderBottom: '2px solid #d9d9d9' }}>
                    {u.unit ? t('building.unitN', { n: u.unit }) : '—'}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {m.floors.map((f) => (
                <tr key={String(f)}>
                  <th style={{ fontWeight: 500, fontSize: 12, paddingRight: 6, textAlign: 'right', whiteSpace: 'nowrap' }}>
                    {f === null ? '—' : t('building.floorN', { n: f })}
                  </th>
                  {m.units.flatMap((u) =>
                    u.rooms.map((r) => {
                      const c = m.at(f, u.unit, r);
                      if (!c) return <td key={`${u.unit}-${r}`} style={{ width: cellW }} />;
                      return (
                        <td key={`${u.unit}-${r}`} style={{ width: cellW, padding: 0 }}>
                          <Tooltip title={`${label(houseUseLabels[c.use])} · ${t('house.occupantsN', { n: c.occupants })}`}>
                            <button
                              type="button"
                              onClick={() => navigate(`/houses/${c.houseId}`)}
                              data-testid="layout-cell"
                              style={{
                                width: cellW,
                                height: 40,
                                border: 'none',
                                borderRadius: 3,
                                cursor: 'pointer',
                                background: houseUseColor[c.use],
                                color: c.use === 'vacant' ? '#333' : '#fff',
                                fontSize: 12,
                                lineHeight: 1.2,
                              }}
                            >
                              <div>{c.room ?? '—'}</div>
                              <div style={{ opacity: 0.9, fontSize: 11 }}>{c.occupants > 0 ? t('building.occupantsShort', { n: c.occupants }) : ''}</div>
                            </button>
                          </Tooltip>
                        </td>
                      );
                    }),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {modal === 'edit' && (
        <BuildingFormDrawer
          building={b}
          onClose={() => setModal(null)}
          onSaved={() => {
            setModal(null);
            void qc.invalidateQueries({ queryKey: ['buildings'] });
          }}
        />
      )}
      {modal === 'house' && (
        <HouseFormDrawer
          house={null}
          buildingId={b.id}
          onClose={() => setModal(null)}
          onSaved={() => {
            setModal(null);
            void qc.invalidateQueries({ queryKey: ['buildings'] });
          }}
        />
      )}
    </Card>
  );
}
