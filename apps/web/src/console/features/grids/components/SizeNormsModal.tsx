import { defaultSizeNorm, type SizeNormValues } from '@gridgov/contracts/grids';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, Form, InputNumber, Modal, Row, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { applyServerErrors } from '../../../forms/serverErrors';
import { gridKeys, gridsApi } from '../api';

const FIELDS = [
  'urbanMinHouseholds',
  'urbanMaxHouseholds',
  'urbanMinPeople',
  'urbanMaxPeople',
  'ruralMinHouseholds',
  'ruralMaxHouseholds',
  'minWorkersPerGrid',
] as const;

/**
 * 网格规模标准 of a jurisdiction (GB/T 34300 defaults; the nearest region up the tree with its own setting
 * applies). Read with grid.read; saved for the chosen region with grid.manage. Grids outside the range are
 * flagged with the numbers on the map and in the list.
 */
export function SizeNormsModal({ open, regionId: initial, onClose }: { open: boolean; regionId: string | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<SizeNormValues>();
  const [regionId, setRegionId] = useState<string | undefined>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const q = useQuery({ queryKey: ['size-norms', regionId], queryFn: () => gridsApi.sizeNorm(regionId as string), enabled: open && !!regionId });
  useEffect(() => {
    if (q.data) form.setFieldsValue(q.data.values);
  }, [q.data, form]);
  const editable = can('grid.manage');

  const save = async () => {
    if (!regionId) return;
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await gridsApi.setSizeNorm(regionId, v);
      message.success(t('norms.saved'));
      void qc.invalidateQueries({ queryKey: ['size-norms'] });
      void qc.invalidateQueries({ queryKey: gridKeys.all });
      onClose();
    } catch (e) {
      setError(applyServerErrors(form, e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  const num = (name: (typeof FIELDS)[number], max: number) => (
    <Form.Item name={name} label={t(`norms.${name}`)} rules={[{ required: true, message: t('common.required') }]}>
      <InputNumber min={0} max={max} precision={0} style={{ width: '100%' }} disabled={!editable} />
    </Form.Item>
  );

  return (
    <Modal
      open={open}
      width={640}
      title={t('norms.title')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.close')}</Button>
          {editable && (
            <Button onClick={() => form.setFieldsValue(defaultSizeNorm)} disabled={!regionId}>
              {t('norms.defaults')}
            </Button>
          )}
          {editable && (
            <Button type="primary" loading={busy} disabled={!regionId} onClick={() => void save()} data-testid="norms-save">
              {t('common.save')}
            </Button>
          )}
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={8}>
        <RegionTreeSelect
          value={regionId}
          onChange={(v) => setRegionId(v)}
          placeholder={t('norms.region')}
          style={{ width: '100%' }}
          aria-label={t('norms.region')}
        />
        {q.data && (
          <Typography.Text type="secondary" data-testid="norms-source">
            {q.data.source ? (q.data.source.own ? t('norms.sourceOwn') : t('norms.sourceInherited', { name: q.data.source.name })) : t('norms.sourceDefault')}
          </Typography.Text>
        )}
        <Form form={form} layout="vertical" initialValues={defaultSizeNorm} disabled={!regionId}>
          <Typography.Text strong>{t('norms.urban')}</Typography.Text>
          <Row gutter={12}>
            <Col span={6}>{num('urbanMinHouseholds', 100_000)}</Col>
            <Col span={6}>{num('urbanMaxHouseholds', 100_000)}</Col>
            <Col span={6}>{num('urbanMinPeople', 1_000_000)}</Col>
            <Col span={6}>{num('urbanMaxPeople', 1_000_000)}</Col>
          </Row>
          <Typography.Text strong>{t('norms.rural')}</Typography.Text>
          <Row gutter={12}>
            <Col span={6}>{num('ruralMinHouseholds', 100_000)}</Col>
            <Col span={6}>{num('ruralMaxHouseholds', 100_000)}</Col>
            <Col span={12}>{num('minWorkersPerGrid', 100)}</Col>
          </Row>
        </Form>
        {error && <Alert type="error" showIcon title={error} />}
      </Space>
    </Modal>
  );
}
