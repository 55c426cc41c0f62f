import { type Role, roleLabels, roles } from '@gridgov/contracts/roles';
import { Button, Input, Select, Space } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import type { UserFilters } from '../api';

type F = Omit<UserFilters, 'limit' | 'offset'>;

export function UserFilterBar({ value, onChange }: { value: F; onChange(f: F): void }) {
  const { t, label } = useI18n();
  const [q, setQ] = useState(value.q ?? '');
  return (
    <Space wrap size={8} style={{ marginBottom: 10 }}>
      <Input.Search
        aria-label={t('user.searchPlaceholder')}
        placeholder={t('user.searchPlaceholder')}
        allowClear
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onSearch={(s) => onChange({ ...value, q: s.trim() || undefined })}
        style={{ width: 220 }}
      />
      <Select<Role>
        aria-label={t('user.role')}
        placeholder={t('user.role')}
        allowClear
        value={value.role}
        onChange={(role) => onChange({ ...value, role })}
        options={roles.map((r) => ({ value: r, label: label(roleLabels[r]) }))}
        style={{ width: 160 }}
      />
      <RegionTreeSelect
        aria-label={t('user.region')}
        placeholder={t('user.region')}
        value={value.regionId}
        onChange={(regionId) => onChange({ ...value, regionId })}
        style={{ width: 200 }}
      />
      <Select<'true' | 'false'>
        aria-label={t('user.status')}
        placeholder={t('user.status')}
        allowClear
        value={value.disabled}
        onChange={(disabled) => onChange({ ...value, disabled })}
        options={[
          { value: 'false', label: t('user.status.enabled') },
          { value: 'true', label: t('user.status.disabled') },
        ]}
        style={{ width: 110 }}
      />
      <Button
        onClick={() => {
          setQ('');
          onChange({});
        }}
      >
        {t('common.reset')}
      </Button>
    </Space>
  );
}
