import type { AdjustmentDetail } from '@gridgov/contracts/adjustments';
import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { applyServerErrors } from '../../../forms/serverErrors';
import { adjustmentsApi } from '../api';

interface Values {
  decision: 'approve' | 'return';
  noticeDays: number;
  effectiveDate?: Dayjs | null;
  note?: string;
}

/** 中心审核: approve (public notice, then the effective date) or return with reasons. */
export function ReviewModal({ adjustment, onClose, onDone }: { adjustment: AdjustmentDetail; onClose: () => void; onDone: (a: AdjustmentDetail) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const decision = Form.useWatch('decision', form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const a = await adjustmentsApi.review(
        adjustment.id,
        v.decision === 'approve'
          ? {
              decision: 'approve',
              noticeDays: v.noticeDays,
              ...(v.effectiveDate ? { effectiveDate: v.effectiveDate.format('YYYY-MM-DD') } : {}),
              ...(v.note ? { note: v.note } : {}),
            }
          : { decision: 'return', note: v.note ?? '' },
      );
      message.success(t(v.decision === 'approve' ? 'adj.approvedMsg' : 'adj.returnedMsg'));
      onDone(a);
    } catch (e) {
      setError(applyServerErrors(form, e, ['noticeDays', 'effectiveDate', 'note']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t('adj.reviewTitle')} onCancel={onClose} onOk={() => void save()} okText={t('common.ok')} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ decision: 'approve', noticeDays: adjustment.noticeDays }} data-testid="review-form">
        <Form.Item name="decision" label={t('adj.decision')}>
          <Radio.Group
            options={[
              { value: 'approve', label: t('adj.approve') },
              { value: 'return', label: t('adj.return') },
            ]}
          />
        </Form.Item>
        {decision !== 'return' && (
          <>
            <Form.Item name="noticeDays" label={t('adj.noticeDays')}>
              <InputNumber min={0} max={90} style={{ width: 120 }} data-testid="review-notice-days" />
            </Form.Item>
            <Form.Item name="effectiveDate" label={t('adj.effectiveDate')} extra={t('adj.effectiveDateHint')}>
              <DatePicker style={{ width: 180 }} data-testid="review-effective-date" />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="note"
          label={decision === 'return' ? t('adj.returnNote') : t('adj.reviewNote')}
          rules={decision === 'return' ? [{ required: true, min: 2, whitespace: true, message: t('adj.returnNoteRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
