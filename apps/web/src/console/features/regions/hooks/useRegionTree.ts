import type { RegionNode } from '@gridgov/contracts/regions';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { regionKeys, regionsApi } from '../api';

/**
 * The lazily loaded region tree: roots come from the caller's view scope, children are fetched when a
 * node is opened. `reload` refreshes one level after a create / rename / delete.
 */
export function useRegionTree() {
  const qc = useQueryClient();
  const roots = useQuery({ queryKey: regionKeys.children(null), queryFn: () => regionsApi.children() });
  const [children, setChildren] = useState<Record<string, RegionNode[]>>({});

  const fetchChildren = useCallback(
    (id: string) => qc.fetchQuery({ queryKey: regionKeys.children(id), queryFn: () => regionsApi.children(id), staleTime: 0 }),
    [qc],
  );

  const loadChildren = useCallback(
    async (id: string) => {
      const list = await fetchChildren(id);
      setChildren((m) => ({ ...m, [id]: list }));
      return list;
    },
    [fetchChildren],
  );

  /** Re-reads the list a node lives in (parentId null: the roots). */
  const reload = useCallback(
    async (parentId: string | null) => {
      if (parentId === null) await roots.refetch();
      else await loadChildren(parentId);
    },
    [roots, loadChildren],
  );

  const byId = useMemo(() => {
    const m = new Map<string, RegionNode>();
    for (const n of roots.data ?? []) m.set(n.id, n);
    for (const list of Object.values(children)) for (const n of list) m.set(n.id, n);
    return m;
  }, [roots.data, children]);

  const forget = useCallback((id: string) => {
    setChildren((m) => {
      const { [id]: _gone, ...rest } = m;
      return rest;
    });
  }, []);

  return { roots, children, byId, loadChildren, reload, forget };
}
