import { checkExtendsParent, checkRegionCode, childLevelOf, describeCodeProblem } from '@gridgov/contracts/region-code';
import type { RegionLevel, RegionNode, UpdateRegionRequest } from '@gridgov/contracts/regions';
import { Alert, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { applyServerErrors } from '../../../forms/serverErrors';
import { regionsApi } from '../api';
import { useRegionLevels } from '../hooks/useRegionLevels';

type Kind = NonNullable<RegionNode['kind']>;
interface Values {
  code: string;
  name: string;
  kind?: Kind | null;
  sortOrder?: number | null;
}

/** Digits a child's code shares with its parent, to start the field with. */
const prefixLength: Record<RegionLevel, number> = { province: 2, city: 4, district: 6, street: 9, community: 12 };
const FIELDS = ['code', 'name', 'kind', 'sortOrder'] as const;

interface Props {
  mode: 'create' | 'edit';
  /** The parent (create) or the node itself (edit). */
  node: RegionNode;
  onClose(): void;
  onSaved(): Promise<void>;
}

export function RegionFormModal({ mode, node, onClose, onSaved }: Props) {
  const { t, label } = useI18n();
  const { levelName } = useRegionLevels();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const level = mode === 'create' ? childLevelOf(node.level) : node.level;
  const showKind = level === 'community';

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      if (mode === 'create') {
        await regionsApi.create({
          parentId: node.id,
          code: v.code.trim(),
          name: v.name.trim(),
          kind: v.kind ?? undefined,
          sortOrder: v.sortOrder ?? undefined,
        });
      } else {
        const patch: UpdateRegionRequest = {};
        if (v.name.trim() !== node.name) patch.name = v.name.trim();
        if (showKind && (v.kind ?? null) !== node.kind) patch.kind = v.kind ?? null;
        if (v.sortOrder != null && v.sortOrder !== node.sortOrder) patch.sortOrder = v.sortOrder;
        if (Object.keys(patch).length > 0) await regionsApi.update(node.id, patch);
      }
      await onSaved();
    } catch (e) {
      setError(applyServerErrors(form, e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  const codeRule = {
    validator: async (_: unknown, v: string | undefined) => {
      if (!v || mode !== 'create' || !level) return;
      const own = checkRegionCode(v.trim(), level);
      const problem = describeCodeProblem(own.ok ? checkExtendsParent(node.code, v.trim()) : own);
      if (problem) throw new Error(label(problem));
    },
  };

  return (
    <Modal
      open
      title={mode === 'create' ? t('region.addChildTitle', { name: node.name }) : t('region.editTitle', { name: node.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          mode === 'create'
            ? { code: node.code.slice(0, prefixLength[node.level]), name: '', kind: showKind ? 'urban' : undefined }
            : { code: node.code, name: node.name, kind: node.kind, sortOrder: node.sortOrder }
        }
      >
        {level && mode === 'create' && (
          <Form.Item label={t('region.level')}>
            <Input value={levelName(level)} disabled />
          </Form.Item>
        )}
        <Form.Item
          name="code"
          label={t('region.code')}
          extra={mode === 'create' ? t('region.codeHint') : undefined}
          rules={[{ required: true, message: t('common.required') }, codeRule]}
        >
          <Input disabled={mode === 'edit'} maxLength={12} inputMode="numeric" style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item name="name" label={t('region.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 64 }]}>
          <Input maxLength={64} />
        </Form.Item>
        {showKind && (
          <Form.Item name="kind" label={t('region.kind')}>
            <Select
              allowClear
              options={[
                { value: 'urban', label: t('region.kind.urban') },
                { value: 'rural', label: t('region.kind.rural') },
              ]}
            />
          </Form.Item>
        )}
        <Form.Item name="sortOrder" label={t('region.sortOrder')}>
          <InputNumber min={0} max={100000} style={{ width: 140 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
