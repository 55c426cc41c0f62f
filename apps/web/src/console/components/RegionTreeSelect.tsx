import type { RegionNode } from '@gridgov/contracts/regions';
import { useQuery } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../../common/i18n/I18nProvider';
import { regionKeys, regionsApi } from '../features/regions/api';

type Single = { multiple?: false; value?: string | null; onChange?: (v: string | undefined) => void };
type Multi = { multiple: true; value?: string[]; onChange?: (v: string[]) => void };

export type RegionTreeSelectProps = (Single | Multi) & {
  /** Names for ids that may not be loaded yet (a user's current scopes). */
  known?: { regionId: string; name: string }[];
  placeholder?: string;
  style?: React.CSSProperties;
  allowClear?: boolean;
  id?: string;
  'aria-label'?: string;
};

interface Flat {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
}

const toFlat = (n: RegionNode): Flat => ({ id: n.id, pId: n.parentId, value: n.id, title: n.name, isLeaf: n.childCount === 0 });

/**
 * A region picker over the caller's view scope: loads one level at a time, and while the person types
 * shows the server's search hits instead of the tree (so deep divisions are found without opening it).
 */
export function RegionTreeSelect(props: RegionTreeSelectProps) {
  const { t } = useI18n();
  const roots = useQuery({ queryKey: regionKeys.children(null), queryFn: () => regionsApi.children() });
  const [loaded, setLoaded] = useState<Flat[]>([]);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const names = useRef(new Map<string, string>());
  for (const k of props.known ?? []) names.current.set(k.regionId, k.name);

  useEffect(() => {
    const h = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(h);
  }, [search]);
  const hits = useQuery({ queryKey: regionKeys.search(q), queryFn: () => regionsApi.search(q), enabled: q.length > 0 });

  const treeData = useMemo(() => {
    if (q && hits.data) {
      return hits.data.map((h) => {
        const above = h.pathName.split(' / ').slice(0, -1).join(' / ');
        return { id: h.id, pId: null, value: h.id, title: above ? `${h.name}（${above}）` : h.name, isLeaf: true };
      });
    }
    const seen = new Set<string>();
    const out: Flat[] = [];
    for (const n of [...(roots.data ?? []).map(toFlat), ...loaded]) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      // Roots of the caller's scope have parents the picker never shows.
      out.push(roots.data?.some((r) => r.id === n.id) ? { ...n, pId: null } : n);
    }
    return out;
  }, [roots.data, loaded, q, hits.data]);

  for (const n of treeData) if (!q) names.current.set(n.value, n.title);

  const asLabeled = (id: string) => ({ value: id, label: names.current.get(id) ?? id });
  const value = props.multiple ? (props.value ?? []).map(asLabeled) : props.value ? asLabeled(props.value) : undefined;

  return (
    <TreeSelect
      id={props.id}
      aria-label={props['aria-label']}
      style={props.style ?? { width: '100%' }}
      treeDataSimpleMode
      treeData={treeData}
      labelInValue
      multiple={props.multiple}
      value={value}
      allowClear={props.allowClear ?? true}
      placeholder={props.placeholder}
      showSearch={{ searchValue: search, onSearch: setSearch, filterTreeNode: false }}
      loading={roots.isLoading || hits.isFetching}
      notFoundContent={q && hits.isFetched ? t('region.searchEmpty') : undefined}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { minWidth: 280, maxHeight: 400, overflow: 'auto' } } }}
      loadData={async (node) => {
        const id = String(node.value);
        if (loaded.some((n) => n.pId === id)) return;
        const kids = await regionsApi.children(id);
        setLoaded((l) => [...l, ...kids.map(toFlat)]);
      }}
      onChange={(v: { value: string; label: React.ReactNode } | { value: string; label: React.ReactNode }[] | undefined) => {
        const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
        for (const x of list) if (typeof x.label === 'string') names.current.set(x.value, x.label.replace(/（.*）$/, ''));
        setSearch('');
        if (props.multiple) props.onChange?.(list.map((x) => x.value));
        else props.onChange?.(list[0]?.value);
      }}
    />
  );
}
