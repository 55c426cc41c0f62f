import {
  type CaseStatus,
  caseStatusLabels,
  type SlaLevel,
  type Supervision,
  slaLevelLabels,
  supervisionLabels,
  type Urgency,
  urgencyLabels,
} from '@gridgov/contracts/cases';
import { useQuery } from '@tanstack/react-query';
import { Tag, Tooltip, TreeSelect } from 'antd';
import dayjs from 'dayjs';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { caseKeys, casesApi } from '../api';

const statusColor: Record<CaseStatus, string> = {
  reported: 'blue',
  accepted: 'geekblue',
  filed: 'cyan',
  dispatched: 'purple',
  handling: 'processing',
  returned: 'volcano',
  feedback: 'gold',
  verified: 'lime',
  closed: 'success',
  reviewing: 'magenta',
  rejected: 'default',
  cancelled: 'default',
  merged: 'default',
};

export function StatusTag({ status }: { status: CaseStatus }) {
  const { label } = useI18n();
  return (
    <Tag color={statusColor[status]} data-testid="case-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {label(caseStatusLabels[status], status)}
    </Tag>
  );
}

export const slaColor: Record<SlaLevel, string> = { green: 'green', yellow: 'orange', red: 'red', paused: 'default', none: 'default' };

/** 正常 / 即将超时 / 已超时 / 计时暂停, with the stage's due time on hover (or inline). */
export function SlaTag({ level, dueAt, inline }: { level: SlaLevel; dueAt?: string | null; inline?: boolean }) {
  const { label, t } = useI18n();
  if (level === 'none') return <span style={{ color: '#8c8c8c' }}>—</span>;
  const tag = (
    <Tag color={slaColor[level]} data-testid="case-sla" data-sla={level} style={{ marginInlineEnd: 0 }}>
      {label(slaLevelLabels[level], level)}
      {inline && dueAt ? ` · ${t('case.dueAt', { time: formatDateTime(dueAt) })}` : ''}
    </Tag>
  );
  if (inline || !dueAt) return tag;
  return <Tooltip title={t('case.dueAt', { time: formatDateTime(dueAt) })}>{tag}</Tooltip>;
}

export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  const { label } = useI18n();
  if (urgency === 'normal') return <span>{label(urgencyLabels.normal)}</span>;
  return (
    <Tag color={urgency === 'critical' ? 'red' : 'orange'} style={{ marginInlineEnd: 0 }}>
      {label(urgencyLabels[urgency], urgency)}
    </Tag>
  );
}

export function SupervisionTag({ level }: { level: Supervision }) {
  const { label } = useI18n();
  if (level === 'none') return null;
  const color = level === 'red' ? 'red' : level === 'yellow' ? 'gold' : 'blue';
  return (
    <Tag color={color} data-testid="case-supervision" style={{ marginInlineEnd: 0 }}>
      {label(supervisionLabels[level], level)}
    </Tag>
  );
}

/** "3 小时前" style age for a list column, exact time on hover. */
export function Age({ at }: { at: string }) {
  return <Tooltip title={formatDateTime(at)}>{dayjs(at).format('MM-DD HH:mm')}</Tooltip>;
}

/** The catalogue as a two-level tree (class → item); only items are selectable. */
export function useCatalogue() {
  return useQuery({ queryKey: caseKeys.catalogue, queryFn: casesApi.catalogue, staleTime: 5 * 60_000 });
}

export function CategoryTreeSelect({
  value,
  onChange,
  style,
  id,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  style?: React.CSSProperties;
  id?: string;
}) {
  const { t } = useI18n();
  const cat = useCatalogue();
  const treeData = (cat.data?.classes ?? []).map((c) => ({
    value: `class:${c.id}`,
    title: c.name,
    selectable: false,
    children: c.items.map((i) => ({ value: i.id, title: `${i.code} ${i.name}` })),
  }));
  return (
    <TreeSelect
      id={id}
      aria-label={id ? undefined : t('case.category')}
      placeholder={t('case.category')}
      allowClear
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeData={treeData}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      loading={cat.isLoading}
      style={style ?? { width: '100%' }}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { minWidth: 260, maxHeight: 400, overflow: 'auto' } } }}
    />
  );
}
