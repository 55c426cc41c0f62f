import type { RegionLevelInfo } from '@gridgov/contracts/regions';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Modal, Table, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../../../common/api/client';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { regionKeys, regionsApi } from '../api';

type Edit = { nameZh: string; nameEn: string };

/** Deployment-wide names of the levels (街道 → 乡镇, 社区/村 → 村 …), for holders of system.configure. */
export function RegionLevelsModal({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: regionKeys.levels, queryFn: regionsApi.levels });
  const [edits, setEdits] = useState<Record<string, Edit>>({});
  const [saving, setSaving] = useState<string | null>(null);

  const value = (l: RegionLevelInfo): Edit => edits[l.key] ?? { nameZh: l.nameZh, nameEn: l.nameEn };
  const change = (l: RegionLevelInfo, patch: Partial<Edit>) => setEdits((e) => ({ ...e, [l.key]: { ...value(l), ...patch } }));

  const save = async (l: RegionLevelInfo) => {
    setSaving(l.key);
    try {
      const v = value(l);
      await regionsApi.renameLevel(l.key, { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim() });
      message.success(t('common.saved'));
      setEdits(({ [l.key]: _done, ...rest }) => rest);
      await qc.invalidateQueries({ queryKey: regionKeys.levels });
    } catch (e) {
      const fields = e instanceof ApiError ? e.fields.map((f) => f.message) : [];
      message.error([(e as Error).message, ...fields].join(' — '));
    } finally {
      setSaving(null);
    }
  };

  return (
    <Modal open title={t('region.levels')} onCancel={onClose} footer={<Button onClick={onClose}>{t('common.close')}</Button>} width={640}>
      <Typography.Paragraph type="secondary">{t('region.levelsHint')}</Typography.Paragraph>
      <Table<RegionLevelInfo>
        rowKey="key"
        size="small"
        loading={q.isLoading}
        dataSource={q.data ?? []}
        pagination={false}
        columns={[
          { title: '#', dataIndex: 'depth', width: 50 },
          { title: t('region.codeLength'), dataIndex: 'codeLength', width: 80 },
          {
            title: '中文',
            key: 'zh',
            render: (_, l) => <Input value={value(l).nameZh} maxLength={16} onChange={(e) => change(l, { nameZh: e.target.value })} />,
          },
          {
            title: 'English',
            key: 'en',
            render: (_, l) => <Input value={value(l).nameEn} maxLength={32} onChange={(e) => change(l, { nameEn: e.target.value })} />,
          },
          {
            title: t('common.actions'),
            key: 'a',
            width: 80,
            render: (_, l) => (
              <Button type="link" size="small" disabled={!edits[l.key]} loading={saving === l.key} onClick={() => void save(l)}>
                {t('common.save')}
              </Button>
            ),
          },
        ]}
      />
    </Modal>
  );
}
