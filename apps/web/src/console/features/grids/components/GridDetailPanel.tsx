import { EditOutlined, FormOutlined, MergeCellsOutlined, ScissorOutlined, TeamOutlined } from '@ant-design/icons';
import type { GridDetail } from '@gridgov/contracts/grids';
import { dedicatedKindLabels, gridTypeLabels, staffDutyLabels } from '@gridgov/contracts/grids';
import { Alert, Button, Card, Descriptions, Empty, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { typeColors } from '../map/gridLayers';
import { localPart } from '../serverText';
import { formatM2, formatNumber } from './format';

export type GridAction = 'editBoundary' | 'split' | 'merge' | 'editInfo' | 'editStaff';

export function GridTypeTag({ type, kind }: { type: GridDetail['gridType']; kind?: GridDetail['dedicatedKind'] }) {
  const { label } = useI18n();
  return (
    <Tag color={typeColors[type]} style={{ marginInlineEnd: 0 }}>
      {label(gridTypeLabels[type])}
      {kind ? ` · ${label(dedicatedKindLabels[kind])}` : ''}
    </Tag>
  );
}

const FLAG_KEYS = ['GRID_TOO_MANY_HOUSEHOLDS', 'GRID_TOO_FEW_HOUSEHOLDS', 'GRID_TOO_MANY_PEOPLE', 'GRID_TOO_FEW_PEOPLE', 'GRID_UNDERSTAFFED'] as const;
type FlagKey = (typeof FLAG_KEYS)[number];

/** The numbers of a finding: “当前 680，规范 300–500”. */
function flagNumbers(flag: GridDetail['flags'][number], t: ReturnType<typeof useI18n>['t']): string {
  const range =
    flag.min !== undefined && flag.max !== undefined
      ? `${flag.min}–${flag.max}`
      : flag.max !== undefined
        ? `≤ ${flag.max}`
        : flag.min !== undefined
          ? `≥ ${flag.min}`
          : '';
  return flag.value !== undefined && range ? t('grid.flagNumbers', { value: formatNumber(flag.value), range }) : '';
}

/** One size-norm finding, short: “户数超出上限（当前 680，规范 300–500）”; the server's full text as a tooltip. */
export function FlagLine({ flag }: { flag: GridDetail['flags'][number] }) {
  const { t, locale } = useI18n();
  const known = (FLAG_KEYS as readonly string[]).includes(flag.code);
  const title = known ? t(`grid.flag.${flag.code as FlagKey}`) : localPart(flag.message, locale);
  const nums = flagNumbers(flag, t);
  return (
    <span title={localPart(flag.message, locale)} data-flag={flag.code}>
      {title}
      {nums ? (locale === 'en' ? ` (${nums})` : `（${nums}）`) : ''}
    </span>
  );
}

/** The side panel of the grid map: everything about one grid and what the caller may do with it. */
export function GridDetailPanel({ grid, onAction, extra }: { grid: GridDetail; onAction: (a: GridAction) => void; extra?: ReactNode }) {
  const { t, label, locale } = useI18n();
  const { can } = useAuth();
  const manage = can('grid.manage');
  const apply = can('grid.adjust.apply');
  const dash = <Typography.Text type="secondary">{t('grid.unknown')}</Typography.Text>;
  return (
    <Card
      size="small"
      data-testid="grid-detail"
      title={
        <Space size={6} wrap>
          <span data-testid="grid-detail-name">{grid.name}</span>
          <GridTypeTag type={grid.gridType} kind={grid.dedicatedKind} />
        </Space>
      }
      styles={{ body: { paddingTop: 8 } }}
    >
      {(manage || apply) && (
        <Space size={[6, 6]} wrap style={{ marginBottom: 10 }}>
          {manage && (
            <Button size="small" icon={<EditOutlined />} onClick={() => onAction('editBoundary')}>
              {t('gridMap.action.editBoundary')}
            </Button>
          )}
          {apply && (
            <Button size="small" icon={<ScissorOutlined />} onClick={() => onAction('split')} data-testid="grid-split">
              {t('gridMap.action.split')}
            </Button>
          )}
          {apply && (
            <Button size="small" icon={<MergeCellsOutlined />} onClick={() => onAction('merge')}>
              {t('gridMap.action.merge')}
            </Button>
          )}
          {manage && (
            <Button size="small" icon={<FormOutlined />} onClick={() => onAction('editInfo')}>
              {t('grid.editInfo')}
            </Button>
          )}
          {manage && (
            <Button size="small" icon={<TeamOutlined />} onClick={() => onAction('editStaff')} data-testid="grid-edit-staff">
              {t('staff.edit')}
            </Button>
          )}
        </Space>
      )}
      <Descriptions column={1} size="small" styles={{ label: { width: 86 } }}>
        <Descriptions.Item label={t('grid.code')}>
          <Typography.Text copyable data-testid="grid-detail-code" style={{ fontFamily: 'monospace' }}>
            {grid.code}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('grid.community')}>{grid.communityName}</Descriptions.Item>
        <Descriptions.Item label={t('grid.area')}>{grid.areaM2 === null ? dash : formatM2(grid.areaM2)}</Descriptions.Item>
        <Descriptions.Item label={t('grid.households')}>{grid.households === null ? dash : formatNumber(grid.households)}</Descriptions.Item>
        <Descriptions.Item label={t('grid.population')}>{grid.population === null ? dash : formatNumber(grid.population)}</Descriptions.Item>
        <Descriptions.Item label={t('grid.validFrom')}>{grid.validFrom}</Descriptions.Item>
      </Descriptions>
      <Typography.Text strong style={{ display: 'block', margin: '6px 0 4px' }}>
        {t('grid.flags')}
      </Typography.Text>
      {grid.flags.length === 0 ? (
        <Typography.Text type="success">{t('grid.noFlags')}</Typography.Text>
      ) : (
        <Space orientation="vertical" size={4} style={{ width: '100%' }} data-testid="grid-flags">
          {grid.flags.map((f) => (
            <Alert key={f.code} type="warning" showIcon title={<FlagLine flag={f} />} />
          ))}
        </Space>
      )}
      <Typography.Text strong style={{ display: 'block', margin: '10px 0 4px' }}>
        {t('grid.staff')}
      </Typography.Text>
      {grid.staff.length === 0 ? (
        <Typography.Text type="secondary">{t('grid.noStaff')}</Typography.Text>
      ) : (
        <Space size={[4, 4]} wrap>
          {grid.staff.map((s) => (
            <Tag key={`${s.userId}-${s.duty}`}>
              {label(staffDutyLabels[s.duty])}
              {locale === 'en' ? ': ' : '：'}
              {s.displayName}
            </Tag>
          ))}
        </Space>
      )}
      <Typography.Text strong style={{ display: 'block', margin: '10px 0 4px' }}>
        {t('grid.station')}
      </Typography.Text>
      {grid.station ? (
        <Descriptions column={1} size="small" styles={{ label: { width: 86 } }}>
          {grid.station.address && <Descriptions.Item label={t('grid.stationAddress')}>{grid.station.address}</Descriptions.Item>}
          {grid.station.phone && <Descriptions.Item label={t('grid.stationPhone')}>{grid.station.phone}</Descriptions.Item>}
          {grid.station.hours && <Descriptions.Item label={t('grid.stationHours')}>{grid.station.hours}</Descriptions.Item>}
        </Descriptions>
      ) : (
        dash
      )}
      <Typography.Text strong style={{ display: 'block', margin: '10px 0 4px' }}>
        {t('grid.landmarks')}
      </Typography.Text>
      {grid.landmarks.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} style={{ margin: 0 }} />
      ) : (
        <Space size={[4, 4]} wrap>
          {grid.landmarks.map((l) => (
            <Tag key={l} color="default">
              {l}
            </Tag>
          ))}
        </Space>
      )}
      {extra}
    </Card>
  );
}
