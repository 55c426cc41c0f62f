import type { RegionNode } from '@gridgov/contracts/regions';
import { Empty, Tree, type TreeDataNode } from 'antd';

import { useMemo } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';

interface Props {
  roots: RegionNode[];
  /** Children already fetched, by parent id. */
  loaded: Record<string, RegionNode[]>;
  expandedKeys: string[];
  onExpand(keys: string[]): void;
  selectedId: string | null;
  onSelect(id: string): void;
  loadChildren(id: string): Promise<unknown>;
}

function build(nodes: RegionNode[], children: Record<string, RegionNode[]>): TreeDataNode[] {
  return nodes.map((n) => {
    const kids = children[n.id];
    return {
      key: n.id,
      isLeaf: n.childCount === 0,
      title: (
        <span data-region-code={n.code}>
          {n.name}
          <span style={{ color: '#8c8c8c', fontSize: 12, marginInlineStart: 6 }}>{n.code}</span>
        </span>
      ),
      children: kids ? build(kids, children) : undefined,
    };
  });
}

export function RegionTree({ roots, loaded: children, expandedKeys, onExpand, selectedId, onSelect, loadChildren }: Props) {
  const { t } = useI18n();
  const treeData = useMemo(() => build(roots, children), [roots, children]);
  if (roots.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('region.empty')} />;
  return (
    <Tree
      blockNode
      showLine
      treeData={treeData}
      expandedKeys={expandedKeys}
      onExpand={(keys) => onExpand(keys as string[])}
      selectedKeys={selectedId ? [selectedId] : []}
      onSelect={(keys) => {
        const k = keys[0];
        if (k) onSelect(String(k));
      }}
      loadedKeys={Object.keys(children)}
      loadData={async (node) => {
        if (!children[String(node.key)]) await loadChildren(String(node.key));
      }}
    />
  );
}
