import { auditActionLabels } from '@gridgov/contracts/audit';
import { Button, DatePicker, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import type { AuditFilters, AuditOutcome } from '../api';

type F = Omit<AuditFilters, 'limit' | 'offset'>;

export function AuditFilterBar({ value, onChange }: { value: F; onChange(f: F): void }) {
  const { t, label } = useI18n();
  const [actor, setActor] = useState(value.actor ?? '');
  const range: [Dayjs, Dayjs] | null = value.from && value.to ? [dayjs(value.from), dayjs(value.to)] : null;
  return (
    <Space wrap size={8} style={{ marginBottom: 10 }}>
      <Input.Search
        aria-label={t('audit.actor')}
        placeholder={`${t('audit.actor')}（${t('audit.actorPlaceholder')}）`}
        allowClear
        value={actor}
        onChange={(e) => setActor(e.target.value)}
        onSearch={(s) => onChange({ ...value, actor: s.trim() || undefined })}
        style={{ width: 200 }}
      />
      <Select<string>
        aria-label={t('audit.action')}
        placeholder={t('audit.action')}
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        value={value.action}
        onChange={(action) => onChange({ ...value, action })}
        options={Object.entries(auditActionLabels).map(([k, l]) => ({ value: k, label: label(l) }))}
        style={{ width: 180 }}
        popupMatchSelectWidth={false}
      />
      <Select<AuditOutcome>
        aria-label={t('audit.outcome')}
        placeholder={t('audit.outcome')}
        allowClear
        value={value.outcome}
        onChange={(outcome) => onChange({ ...value, outcome })}
        options={(['ok', 'denied', 'failed'] as const).map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))}
        style={{ width: 100 }}
      />
      <RegionTreeSelect
        aria-label={t('audit.region')}
        placeholder={t('audit.region')}
        value={value.regionId}
        onChange={(regionId) => onChange({ ...value, regionId })}
        style={{ width: 180 }}
      />
      <DatePicker.RangePicker
        aria-label={t('audit.range')}
        showTime={{ format: 'HH:mm' }}
        format="YYYY-MM-DD HH:mm"
        value={range}
        onChange={(r) => onChange({ ...value, from: r?.[0]?.toISOString(), to: r?.[1]?.toISOString() })}
        presets={[
          { label: '24h', value: [dayjs().subtract(24, 'hour'), dayjs()] },
          { label: '7d', value: [dayjs().subtract(7, 'day'), dayjs()] },
          { label: '30d', value: [dayjs().subtract(30, 'day'), dayjs()] },
        ]}
      />
      <Button
        onClick={() => {
          setActor('');
          onChange({});
        }}
      >
        {t('common.reset')}
      </Button>
    </Space>
  );
}
