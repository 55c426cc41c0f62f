import { DedicatedKind, dedicatedKindLabels, type GridDetail, GridType, gridTypeLabels } from '@gridgov/contracts/grids';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { applyServerErrors } from '../../../forms/serverErrors';
import { gridsApi } from '../api';

interface Values {
  name: string;
  gridType: GridDetail['gridType'];
  dedicatedKind?: NonNullable<GridDetail['dedicatedKind']>;
  landmarks: string[];
  address?: string;
  phone?: string;
  hours?: string;
}

const FIELDS = ['name', 'gridType', 'dedicatedKind', 'landmarks', 'address', 'phone', 'hours'] as const;

/** Name, type, landmarks and service station of a grid (PATCH /api/grids/:id). */
export function GridInfoModal({ grid, open, onClose, onSaved }: { grid: GridDetail; open: boolean; onClose: () => void; onSaved: (g: GridDetail) => void }) {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const type = Form.useWatch('gridType', form);

  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const station =
        v.address || v.phone || v.hours
          ? { ...(grid.station ?? {}), address: v.address || undefined, phone: v.phone || undefined, hours: v.hours || undefined }
          : null;
      const g = await gridsApi.update(grid.id, {
        name: v.name,
        gridType: v.gridType,
        dedicatedKind: v.gridType === '03' ? (v.dedicatedKind ?? null) : null,
        landmarks: v.landmarks,
        station,
      });
      message.success(t('grid.updated'));
      onSaved(g);
    } catch (e) {
      setError(applyServerErrors(form, e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('grid.editInfoTitle', { name: grid.name })}
      onCancel={onClose}
      onOk={() => void save()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          name: grid.name,
          gridType: grid.gridType,
          dedicatedKind: grid.dedicatedKind ?? undefined,
          landmarks: grid.landmarks,
          address: grid.station?.address,
          phone: grid.station?.phone,
          hours: grid.station?.hours,
        }}
      >
        <Form.Item name="name" label={t('grid.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="gridType" label={t('grid.type')}>
          <Select options={GridType.options.map((g) => ({ value: g, label: label(gridTypeLabels[g]) }))} />
        </Form.Item>
        {type === '03' && (
          <Form.Item name="dedicatedKind" label={t('grid.dedicatedKind')} rules={[{ required: true, message: t('common.required') }]}>
            <Select options={DedicatedKind.options.map((k) => ({ value: k, label: label(dedicatedKindLabels[k]) }))} />
          </Form.Item>
        )}
        <Form.Item name="landmarks" label={t('grid.landmarks')} extra={t('grid.landmarksHint')}>
          <Select mode="tags" open={false} tokenSeparators={['，', ',']} />
        </Form.Item>
        <Form.Item name="address" label={`${t('grid.station')} · ${t('grid.stationAddress')}`}>
          <Input maxLength={128} />
        </Form.Item>
        <Form.Item name="phone" label={t('grid.stationPhone')}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="hours" label={t('grid.stationHours')}>
          <Input maxLength={64} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
