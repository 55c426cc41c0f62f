import { SearchOutlined } from '@ant-design/icons';
import type { GridSummary } from '@gridgov/contracts/grids';
import { useQuery } from '@tanstack/react-query';
import { AutoComplete, Input } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { gridKeys, gridsApi } from '../api';

/** Find a grid by code prefix or name; picking one hands it to `onPick` (the map flies there). */
export function GridSearch({ onPick, style }: { onPick: (g: GridSummary) => void; style?: React.CSSProperties }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(h);
  }, [text]);
  const hits = useQuery({ queryKey: gridKeys.search(q), queryFn: () => gridsApi.list({ q, limit: 12, offset: 0 }), enabled: q.length > 0 });
  const items = hits.data?.items ?? [];
  return (
    <AutoComplete
      style={style ?? { width: 300 }}
      value={text}
      onChange={setText}
      onSelect={(id: string) => {
        const g = items.find((i) => i.id === id);
        if (g) {
          setText(g.name);
          onPick(g);
        }
      }}
      options={items.map((g) => ({
        value: g.id,
        label: (
          <div data-testid="grid-search-option" style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
            <span>{g.name}</span>
            <span style={{ color: '#8c8c8c', fontFamily: 'monospace', fontSize: 12 }}>{g.code}</span>
          </div>
        ),
      }))}
      notFoundContent={q && hits.isSuccess ? t('gridMap.searchEmpty') : undefined}
    >
      <Input prefix={<SearchOutlined />} placeholder={t('gridMap.searchPlaceholder')} allowClear aria-label={t('gridMap.searchPlaceholder')} />
    </AutoComplete>
  );
}
