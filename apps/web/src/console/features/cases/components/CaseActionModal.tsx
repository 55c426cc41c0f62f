import { UploadOutlined } from '@ant-design/icons';
import { type CaseAction, type CaseActionRequest, caseActionLabels, caseTransitions, ratingLabels, supervisionLabels } from '@gridgov/contracts/cases';
import { routingSourceLabels } from '@gridgov/contracts/catalogue';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography, Upload, type UploadFile } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { describeError } from '../../grids/serverText';
import { useDebounced } from '../../registry/components/common';
import { caseKeys, casesApi } from '../api';
import { OrgUnitSelect } from './OrgUnitSelect';

type V = {
  note?: string;
  leadOrgUnitId?: string;
  coOrgUnitIds?: string[];
  regionId?: string;
  amount?: number;
  unit?: 'working_hours' | 'working_days' | 'natural_hours';
  reviewDate?: Dayjs;
  supervision?: 'normal' | 'yellow' | 'red';
  parentCaseId?: string;
  rating?: 'satisfied' | 'basic' | 'dissatisfied';
};

/** Actions that carry photos (before/after for 处置反馈, the result for 自行处置). */
const withPhotos: CaseAction[] = ['feedback', 'self_dispose'];

/** The label of the note field: a reason where the action refuses or stops something. */
function noteLabelKey(a: CaseAction) {
  if (['reject', 'return', 'cancel', 'suspend', 'verify_fail', 'extension_reject', 'escalate', 'delegate'].includes(a)) return 'case.form.reason' as const;
  if (a === 'feedback' || a === 'self_dispose') return 'case.form.result' as const;
  if (a === 'rate') return 'case.form.comment' as const;
  return 'case.form.note' as const;
}

/** A parent case for 并案, by number or text (open cases of the caller's queue). */
function ParentCaseSelect({ id, value, onChange, exclude }: { id?: string; value?: string; onChange?: (v: string) => void; exclude: string[] }) {
  const { t, label } = useI18n();
  const [text, setText] = useState('');
  const q = useDebounced(text);
  const hits = useQuery({
    queryKey: caseKeys.list({ view: 'queue', q, open: 'true', limit: 20, offset: 0 }),
    queryFn: () => casesApi.list({ view: 'queue', q: q || undefined, open: 'true', limit: 20, offset: 0 }),
  });
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, searchValue: text, onSearch: setText }}
      placeholder={t('case.form.parentSearch')}
      value={value}
      onChange={onChange}
      loading={hits.isFetching}
      options={(hits.data?.items ?? [])
        .filter((c) => !exclude.includes(c.id))
        .map((c) => ({ value: c.id, label: `${c.caseNo} · ${c.title} · ${label(caseActionLabels.report)} ${c.reportedAt.slice(0, 10)}` }))}
      popupMatchSelectWidth={false}
    />
  );
}

/** Photos uploaded one by one through POST /api/attachments; the form keeps their ids. */
function PhotoUpload({ purpose, testId, onIds, onBusy }: { purpose: string; testId: string; onIds(ids: string[]): void; onBusy(busy: boolean): void }) {
  const { t, locale } = useI18n();
  const [files, setFiles] = useState<UploadFile[]>([]);
  useEffect(() => {
    onIds(files.flatMap((f) => (f.status === 'done' && f.response?.id ? [f.response.id as string] : [])));
    onBusy(files.some((f) => f.status === 'uploading'));
  }, [files, onIds, onBusy]);
  return (
    <Upload
      accept="image/jpeg,image/png,image/webp"
      listType="picture"
      multiple
      fileList={files}
      onChange={({ fileList }) => setFiles(fileList)}
      customRequest={async ({ file, onSuccess, onError }) => {
        try {
          const res = await casesApi.upload(file as File, purpose);
          onSuccess?.(res);
        } catch (e) {
          onError?.(new Error(describeError(e, locale)));
        }
      }}
    >
      <Button icon={<UploadOutlined />} data-testid={testId}>
        {t('case.form.addPhoto')}
      </Button>
    </Upload>
  );
}

/**
 * One action on one case or on several (bulk): a small form with exactly the fields the action needs.
 * The server checks everything again; its refusal is shown in the form.
 */
export function CaseActionModal({
  action,
  caseIds,
  version,
  caseTitle,
  routing,
  onClose,
  submit,
}: {
  action: CaseAction;
  caseIds: string[];
  version?: number;
  caseTitle?: string;
  /** One case's category and region: the dispatch form proposes the routing rule's units. */
  routing?: { categoryId: string; regionId: string };
  onClose(): void;
  /** Sends the request (one case or bulk); resolves when done. */
  submit(body: CaseActionRequest): Promise<void>;
}) {
  const { t, label, locale } = useI18n();
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [before, setBefore] = useState<string[]>([]);
  const [after, setAfter] = useState<string[]>([]);
  const [beforeBusy, setBeforeBusy] = useState(false);
  const [afterBusy, setAfterBusy] = useState(false);
  const uploading = beforeBusy || afterBusy;
  const rule = caseTransitions[action];
  const bulk = caseIds.length > 1;
  const required = { required: true, message: t('common.required') };
  const lead = Form.useWatch('leadOrgUnitId', form);
  const resolved = useQuery({
    queryKey: ['routing-resolve', routing?.categoryId, routing?.regionId],
    queryFn: () => casesApi.resolveRouting(routing?.categoryId ?? '', routing?.regionId ?? ''),
    enabled: action === 'dispatch' && !!routing,
    retry: false,
  });
  // The routing rule's lead and cooperating units, proposed (the dispatcher may change them).
  useEffect(() => {
    const r = resolved.data;
    if (!r?.lead || form.getFieldValue('leadOrgUnitId')) return;
    form.setFieldsValue({ leadOrgUnitId: r.lead.id, coOrgUnitIds: r.co.map((u) => u.id) });
  }, [resolved.data, form]);

  const onOk = async () => {
    let v: V;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const body: CaseActionRequest = { action };
    if (v.note?.trim()) body.note = v.note.trim();
    if (version !== undefined && !bulk) body.version = version;
    if (action === 'dispatch') {
      if (v.leadOrgUnitId) body.leadOrgUnitId = v.leadOrgUnitId;
      if (v.coOrgUnitIds?.length) body.coOrgUnitIds = v.coOrgUnitIds;
    }
    if ((action === 'escalate' || action === 'delegate') && v.regionId) body.regionId = v.regionId;
    if (action === 'extension_request' && v.amount && v.unit) body.extension = { amount: v.amount, unit: v.unit };
    if (action === 'suspend' && v.reviewDate) body.reviewDate = v.reviewDate.format('YYYY-MM-DD');
    if (action === 'supervise' && v.supervision) body.supervision = v.supervision;
    if (action === 'merge' && v.parentCaseId) body.parentCaseId = v.parentCaseId;
    if ((action === 'rate' || action === 'callback') && v.rating) body.rating = v.rating;
    if (withPhotos.includes(action) && before.length + after.length > 0) body.attachmentIds = [...before, ...after];
    setBusy(true);
    setError(null);
    try {
      await submit(body);
    } catch (e) {
      setError(describeError(e, locale));
    } finally {
      setBusy(false);
    }
  };

  const title = bulk
    ? t('case.bulkTitle', { action: label(caseActionLabels[action]), n: caseIds.length })
    : caseTitle
      ? `${label(caseActionLabels[action])} · ${caseTitle}`
      : label(caseActionLabels[action]);

  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => void onOk()}
      confirmLoading={busy}
      okText={label(caseActionLabels[action])}
      okButtonProps={
        { 'data-testid': 'case-action-submit', disabled: uploading, danger: ['reject', 'cancel', 'verify_fail', 'return'].includes(action) } as never
      }
      destroyOnHidden
      width={action === 'feedback' || action === 'dispatch' ? 560 : 480}
    >
      <Form form={form} layout="vertical" initialValues={{ unit: 'working_days', supervision: 'normal' }} data-testid={`case-action-form-${action}`}>
        {action === 'dispatch' && (
          <>
            <Form.Item
              name="leadOrgUnitId"
              label={t('case.form.lead')}
              extra={
                bulk
                  ? t('case.form.leadBulkHint')
                  : resolved.data?.lead
                    ? t('case.form.ruleSays', { name: resolved.data.lead.name, source: label(routingSourceLabels[resolved.data.source]) })
                    : t('case.form.leadHint')
              }
            >
              <OrgUnitSelect placeholder={t('case.form.byRule')} />
            </Form.Item>
            <Form.Item name="coOrgUnitIds" label={t('case.form.co')}>
              <OrgUnitSelect multiple exclude={lead ? [lead] : []} placeholder={t('case.form.coHint')} />
            </Form.Item>
          </>
        )}
        {(action === 'escalate' || action === 'delegate') && (
          <Form.Item
            name="regionId"
            label={t('case.form.region')}
            rules={action === 'delegate' ? [required] : []}
            extra={action === 'escalate' ? t('case.form.escalateHint') : undefined}
          >
            <RegionTreeSelect />
          </Form.Item>
        )}
        {action === 'extension_request' && (
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="amount" label={t('case.form.extension')} rules={[required]} style={{ flex: 1 }}>
              <InputNumber min={0.5} max={365} step={1} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="unit" label=" " style={{ width: 140 }}>
              <Select
                options={[
                  { value: 'working_days', label: t('case.unit.working_days') },
                  { value: 'working_hours', label: t('case.unit.working_hours') },
                  { value: 'natural_hours', label: t('case.unit.natural_hours') },
                ]}
              />
            </Form.Item>
          </Space.Compact>
        )}
        {action === 'suspend' && (
          <Form.Item name="reviewDate" label={t('case.form.reviewDate')} rules={[required]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        )}
        {action === 'supervise' && (
          <Form.Item name="supervision" label={t('case.form.supervision')} rules={[required]}>
            <Radio.Group optionType="button" options={(['normal', 'yellow', 'red'] as const).map((s) => ({ value: s, label: label(supervisionLabels[s]) }))} />
          </Form.Item>
        )}
        {action === 'merge' && (
          <Form.Item name="parentCaseId" label={t('case.form.parent')} rules={[required]}>
            <ParentCaseSelect exclude={caseIds} />
          </Form.Item>
        )}
        {(action === 'rate' || action === 'callback') && (
          <Form.Item name="rating" label={t('case.form.rating')} rules={action === 'rate' ? [required] : []}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={(['satisfied', 'basic', 'dissatisfied'] as const).map((r) => ({ value: r, label: label(ratingLabels[r]) }))}
            />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label={t(noteLabelKey(action))}
          rules={rule.note ? [{ required: true, whitespace: true, message: t('case.form.noteRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount data-testid="case-action-note" />
        </Form.Item>
        {withPhotos.includes(action) && (
          <Space align="start" size={24} wrap>
            <div>
              <Typography.Text type="secondary">{t('case.form.before')}</Typography.Text>
              <PhotoUpload purpose="before" testId="case-photo-before" onIds={setBefore} onBusy={setBeforeBusy} />
            </div>
            <div>
              <Typography.Text type="secondary">{t('case.form.after')}</Typography.Text>
              <PhotoUpload purpose="after" testId="case-photo-after" onIds={setAfter} onBusy={setAfterBusy} />
            </div>
          </Space>
        )}
        {error && <Alert type="error" showIcon title={error} data-testid="case-action-error" style={{ marginTop: 8 }} />}
      </Form>
    </Modal>
  );
}
