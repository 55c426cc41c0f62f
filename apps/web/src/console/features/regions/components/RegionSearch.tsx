import { useQuery } from '@tanstack/react-query';
import { AutoComplete, Input } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { regionKeys, regionsApi } from '../api';

/** Name or code search; picking a hit reveals it in the tree. */
export function RegionSearch({ onPick }: { onPick(id: string): void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(h);
  }, [text]);
  const hits = useQuery({ queryKey: regionKeys.search(q), queryFn: () => regionsApi.search(q), enabled: q.length > 0 });
  const options = (hits.data ?? []).map((h) => ({
    value: h.id,
    label: (
      <div>
        <div>
          {h.name} <span style={{ color: '#8c8c8c', fontSize: 12 }}>{h.code}</span>
        </div>
        <div style={{ color: '#8c8c8c', fontSize: 12 }}>{h.pathName.split(' / ').slice(0, -1).join(' / ')}</div>
      </div>
    ),
  }));
  return (
    <AutoComplete
      style={{ width: '100%' }}
      value={text}
      options={options}
      onChange={setText}
      onSelect={(id: string) => {
        setText('');
        onPick(id);
      }}
      notFoundContent={q && hits.isFetched ? t('region.searchEmpty') : undefined}
    >
      <Input.Search placeholder={t('region.searchPlaceholder')} allowClear loading={hits.isFetching} />
    </AutoComplete>
  );
}
