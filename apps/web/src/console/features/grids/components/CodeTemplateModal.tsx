import type { GridCodeTemplateInfo } from '@gridgov/contracts/grids';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Modal, Radio, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { gridsApi } from '../api';
import { describeError } from '../serverText';

type Template = z.infer<typeof GridCodeTemplateInfo>['template'];

/**
 * 网格编码规则: the deployment's grid code layout (Shandong 19 digits by default; Beijing 15 or a 12-digit
 * layout). Changing it applies to grids created afterwards; existing codes stay as they are.
 */
export function CodeTemplateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['grid-code-template'], queryFn: () => gridsApi.codeTemplate(), enabled: open });
  const [choice, setChoice] = useState<Template | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (q.data) setChoice(q.data.template);
  }, [q.data]);
  const editable = can('system.configure');
  const name = (x: { nameZh: string; nameEn: string }) => (locale === 'en' ? x.nameEn : x.nameZh);

  const save = async () => {
    if (!choice || choice === q.data?.template) return onClose();
    setBusy(true);
    setError(null);
    try {
      const info = await gridsApi.setCodeTemplate(choice);
      qc.setQueryData(['grid-code-template'], info);
      message.success(t('codeTpl.saved'));
      onClose();
    } catch (e) {
      setError(describeError(e, locale));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('codeTpl.title')}
      onCancel={onClose}
      onOk={() => void (editable ? save() : onClose())}
      okText={editable ? t('common.save') : t('common.close')}
      confirmLoading={busy}
      destroyOnHidden
      width={620}
    >
      {q.data && (
        <Space orientation="vertical" style={{ width: '100%' }} size={10}>
          <Radio.Group value={choice} onChange={(e) => setChoice(e.target.value)} disabled={!editable} data-testid="code-template">
            <Space orientation="vertical">
              {q.data.available.map((a) => (
                <Radio key={a.template} value={a.template}>
                  {name(a)}（{t('codeTpl.digits', { n: a.length })}）
                </Radio>
              ))}
            </Space>
          </Radio.Group>
          <Typography.Text strong>{t('codeTpl.segments', { name: name(q.data) })}</Typography.Text>
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={q.data.segments}
            columns={[
              { title: t('codeTpl.position'), render: (_, s) => `${s.start}–${s.start + s.length - 1}`, width: 100 },
              { title: t('codeTpl.length'), dataIndex: 'length', width: 80 },
              { title: t('codeTpl.meaning'), render: (_, s) => (locale === 'en' ? s.en : s.zh) },
            ]}
          />
          <Alert type="info" showIcon title={t('codeTpl.note')} />
          {error && <Alert type="error" showIcon title={error} />}
        </Space>
      )}
    </Modal>
  );
}
