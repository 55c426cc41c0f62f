import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { childLevelOf } from '@gridgov/contracts/region-code';
import { useQuery } from '@tanstack/react-query';
import { App, Breadcrumb, Button, Card, Descriptions, Popconfirm, Space, Spin, Tag } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { regionKeys, regionsApi } from '../api';
import { useRegionLevels } from '../hooks/useRegionLevels';
import { OrgUnitsCard } from './OrgUnitsCard';
import { RegionFormModal } from './RegionFormModal';

interface Props {
  id: string;
  /** A child was added or this node changed: re-read `parentId`'s children and the level above. */
  onChanged(parentId: string | null, grandParentId: string | null | undefined): Promise<void>;
  onDeleted(parentId: string | null, grandParentId: string | null | undefined): Promise<void>;
}

export function RegionDetailPanel({ id, onChanged, onDeleted }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { levelName } = useRegionLevels();
  const q = useQuery({ queryKey: regionKeys.detail(id), queryFn: () => regionsApi.detail(id) });
  const [modal, setModal] = useState<'create' | 'edit' | null>(null);
  const [deleting, setDeleting] = useState(false);

  if (q.isLoading) return <Spin style={{ margin: 24 }} />;
  if (q.error || !q.data) return <QueryError error={q.error} retry={() => void q.refetch()} />;
  const { node, ancestors, canManage, orgUnitCount } = q.data;
  const parentId = node.parentId;
  const grandParentId = ancestors.length >= 2 ? ancestors[ancestors.length - 2]?.id : null;
  const manage = canManage;
  const childLevel = childLevelOf(node.level);

  const remove = async () => {
    setDeleting(true);
    try {
      await regionsApi.remove(node.id);
      message.success(t('region.deleted'));
      await onDeleted(parentId, grandParentId);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setDeleting(false);
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        title={
          <Space size={8}>
            <span data-testid="region-title">{node.name}</span>
            <Tag color="blue">{levelName(node.level)}</Tag>
          </Space>
        }
        extra={
          manage && (
            <Space size={6}>
              {childLevel && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal('create')}>
                  {t('region.addChild')}
                </Button>
              )}
              <Button icon={<EditOutlined />} onClick={() => setModal('edit')}>
                {t('common.edit')}
              </Button>
              <Popconfirm
                title={t('region.deleteConfirm', { name: node.name })}
                onConfirm={remove}
                okButtonProps={{ danger: true }}
                disabled={node.childCount > 0}
              >
                <Button
                  danger
                  icon={<DeleteOutlined />}
                  loading={deleting}
                  disabled={node.childCount > 0}
                  title={node.childCount > 0 ? t('region.hasChildren') : undefined}
                >
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            </Space>
          )
        }
      >
        <Breadcrumb style={{ marginBottom: 10 }} items={[...ancestors.map((a) => ({ key: a.code, title: a.name })), { key: node.code, title: node.name }]} />
        <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('region.code')}>
            <span style={{ fontFamily: 'monospace' }}>{node.code}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('region.level')}>{levelName(node.level)}</Descriptions.Item>
          <Descriptions.Item label={t('region.kind')}>{node.kind ? t(`region.kind.${node.kind}`) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('region.childCount')}>{node.childCount}</Descriptions.Item>
          <Descriptions.Item label={t('region.orgUnitCount')}>{orgUnitCount}</Descriptions.Item>
          <Descriptions.Item label={t('region.sortOrder')}>{node.sortOrder}</Descriptions.Item>
        </Descriptions>
      </Card>
      <OrgUnitsCard region={node} />
      {modal && (
        <RegionFormModal
          mode={modal}
          node={node}
          onClose={() => setModal(null)}
          onSaved={async () => {
            setModal(null);
            message.success(t(modal === 'create' ? 'region.created' : 'common.saved'));
            if (modal === 'create') await onChanged(node.id, parentId);
            else await onChanged(parentId, grandParentId);
            await q.refetch();
          }}
        />
      )}
    </Space>
  );
}
