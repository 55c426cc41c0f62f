import type { AdjustmentDetail } from '@gridgov/contracts/adjustments';
import type { AreaGeometry } from '@gridgov/contracts/geojson';
import { DedicatedKind, dedicatedKindLabels, GridType, gridTypeLabels } from '@gridgov/contracts/grids';
import { Alert, App, Button, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import type { z } from 'zod';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { areaM2 } from '../../../../common/map/geometry';
import { adjustmentsApi } from '../api';
import { describeError } from '../serverText';
import { formatM2 } from './format';

export interface ProposalPart {
  geometry: AreaGeometry;
  name: string;
  gridType: GridTypeV;
  dedicatedKind?: DedicatedKindV | null;
  /** Keep an existing grid (redraw); omitted for new grids. */
  gridId?: string;
  color: string;
}

type GridTypeV = z.infer<typeof GridType>;
type DedicatedKindV = z.infer<typeof DedicatedKind>;

interface Values {
  parts: { name: string; gridType: GridTypeV; dedicatedKind?: DedicatedKindV }[];
  reason: string;
  noticeDays: number;
}

/**
 * The application form under a split, merge or redraw drawn on the map: names and types of the
 * proposed grids (prefilled), the reason, the notice length; saved as a draft or submitted at once.
 */
export function ProposalForm({
  kind,
  communityId,
  sourceGridIds,
  parts,
  defaultReason,
  onCreated,
  onCancel,
}: {
  kind: 'split' | 'merge' | 'redraw' | 'create';
  communityId: string;
  sourceGridIds: string[];
  parts: ProposalPart[];
  defaultReason?: string;
  onCreated: (a: AdjustmentDetail, submitted: boolean) => void;
  onCancel: () => void;
}) {
  const { t, label, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const types = Form.useWatch('parts', form);

  const send = async (submit: boolean) => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(submit ? 'submit' : 'draft');
    setError(null);
    try {
      const a = await adjustmentsApi.create({
        communityId,
        kind,
        reason: v.reason,
        sourceGridIds,
        noticeDays: v.noticeDays,
        submit,
        proposal: parts.map((p, i) => {
          const f = v.parts[i];
          const gridType = f?.gridType ?? p.gridType;
          return {
            ...(p.gridId ? { gridId: p.gridId } : {}),
            name: f?.name ?? p.name,
            gridType,
            ...(gridType === '03' && f?.dedicatedKind ? { dedicatedKind: f.dedicatedKind } : {}),
            geometry: p.geometry,
          };
        }),
      });
      message.success(t(submit ? 'adj.submittedMsg' : 'adj.created'));
      onCreated(a, submit);
    } catch (e) {
      setError(describeError(e, locale));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      size="small"
      initialValues={{
        parts: parts.map((p) => ({ name: p.name, gridType: p.gridType, dedicatedKind: p.dedicatedKind ?? undefined })),
        reason: defaultReason ?? '',
        noticeDays: 7,
      }}
      data-testid="proposal-form"
    >
      {parts.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts are fixed for the form's life; the index is their identity (proposal.i)
        <div key={i} style={{ borderLeft: `4px solid ${p.color}`, paddingLeft: 8, marginBottom: 8 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatM2(areaM2(p.geometry))}
          </Typography.Text>
          <Form.Item
            name={['parts', i, 'name']}
            label={`${t('grid.name')}${parts.length > 1 ? ` ${i + 1}` : ''}`}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input maxLength={64} data-testid={`proposal-name-${i}`} />
          </Form.Item>
          <Space size={8} style={{ width: '100%' }} align="start">
            <Form.Item name={['parts', i, 'gridType']} label={t('grid.type')} style={{ minWidth: 150 }}>
              <Select options={GridType.options.map((g) => ({ value: g, label: label(gridTypeLabels[g]) }))} />
            </Form.Item>
            {types?.[i]?.gridType === '03' && (
              <Form.Item
                name={['parts', i, 'dedicatedKind']}
                label={t('grid.dedicatedKind')}
                rules={[{ required: true, message: t('common.required') }]}
                style={{ minWidth: 140 }}
              >
                <Select options={DedicatedKind.options.map((k) => ({ value: k, label: label(dedicatedKindLabels[k]) }))} />
              </Form.Item>
            )}
          </Space>
        </div>
      ))}
      <Form.Item name="reason" label={t('adj.reason')} rules={[{ required: true, min: 2, whitespace: true, message: t('adj.reasonRequired') }]}>
        <Input.TextArea rows={3} maxLength={1000} data-testid="proposal-reason" />
      </Form.Item>
      <Form.Item name="noticeDays" label={t('adj.noticeDays')}>
        <InputNumber min={0} max={90} style={{ width: 120 }} />
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 10 }} data-testid="proposal-error" />}
      <Space>
        <Button type="primary" loading={busy === 'submit'} disabled={busy !== null} onClick={() => void send(true)} data-testid="proposal-submit">
          {t('adj.submitNow')}
        </Button>
        <Button loading={busy === 'draft'} disabled={busy !== null} onClick={() => void send(false)}>
          {t('adj.saveDraft')}
        </Button>
        <Button onClick={onCancel} disabled={busy !== null}>
          {t('common.cancel')}
        </Button>
      </Space>
    </Form>
  );
}
