import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Row, Spin } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { regionKeys, regionsApi } from '../api';
import { useRegionTree } from '../hooks/useRegionTree';
import { RegionDetailPanel } from './RegionDetailPanel';
import { RegionLevelsModal } from './RegionLevelsModal';
import { RegionSearch } from './RegionSearch';
import { RegionTree } from './RegionTree';

/** 区划与机构: the tree on the left, the selected division and its org units on the right. */
export default function RegionsPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const tree = useRegionTree();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('id');
  const [expanded, setExpanded] = useState<string[]>([]);
  const [levelsOpen, setLevelsOpen] = useState(false);
  const { can } = useAuth();

  const select = (id: string | null) => setParams(id ? { id } : {}, { replace: true });

  /** Opens every ancestor of `id` the caller may see, then selects it. */
  const reveal = async (id: string) => {
    const d = await qc.fetchQuery({ queryKey: regionKeys.detail(id), queryFn: () => regionsApi.detail(id) });
    const ids = d.ancestors.map((a) => a.id).filter((x): x is string => !!x);
    for (const a of ids) if (!tree.children[a]) await tree.loadChildren(a).catch(() => undefined);
    setExpanded((e) => [...new Set([...e, ...ids])]);
    select(id);
  };

  /** After a change under `parentId`: re-read that level and the level holding the parent (its child count). */
  const changed = async (parentId: string | null, grandParentId: string | null | undefined) => {
    await tree.reload(parentId);
    if (parentId) {
      await tree.reload(grandParentId ?? null);
      setExpanded((e) => (e.includes(parentId) ? e : [...e, parentId]));
    }
    void qc.invalidateQueries({ queryKey: ['regions', 'detail'] });
  };

  return (
    <Row gutter={12} wrap={false} style={{ alignItems: 'flex-start' }}>
      <Col flex="340px" style={{ minWidth: 280 }}>
        <Card
          title={t('region.tree')}
          extra={
            can('system.configure') && (
              <Button size="small" onClick={() => setLevelsOpen(true)}>
                {t('region.levels')}
              </Button>
            )
          }
          styles={{ body: { padding: 8 } }}
        >
          <div style={{ marginBottom: 8 }}>
            <RegionSearch onPick={(id) => void reveal(id)} />
          </div>
          {tree.roots.isLoading ? (
            <Spin />
          ) : tree.roots.error ? (
            <QueryError error={tree.roots.error} retry={() => void tree.roots.refetch()} />
          ) : (
            <div style={{ maxHeight: 'calc(100vh - 190px)', overflow: 'auto' }}>
              <RegionTree
                roots={tree.roots.data ?? []}
                loaded={tree.children}
                expandedKeys={expanded}
                onExpand={setExpanded}
                selectedId={selectedId}
                onSelect={select}
                loadChildren={tree.loadChildren}
              />
            </div>
          )}
        </Card>
      </Col>
      <Col flex="auto" style={{ minWidth: 0 }}>
        {selectedId ? (
          <RegionDetailPanel
            id={selectedId}
            onChanged={changed}
            onDeleted={async (parentId, grandParentId) => {
              select(parentId);
              tree.forget(selectedId);
              await changed(parentId, grandParentId);
            }}
          />
        ) : (
          <Card>
            <Empty description={t('region.selectHint')} />
          </Card>
        )}
      </Col>
      {levelsOpen && <RegionLevelsModal onClose={() => setLevelsOpen(false)} />}
    </Row>
  );
}
