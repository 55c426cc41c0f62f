import { ArrowDownOutlined, ArrowUpOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { CatalogueClass } from '@gridgov/contracts/catalogue';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { describeError } from '../../grids/serverText';
import { splitServerErrors } from '../../registry/helpers';
import { catalogueApi, catalogueKeys } from '../api';

/**
 * A class row's actions for configurers: new item, rename, move up/down, deactivate/activate. The order is
 * sent as the full list of classes (inactive ones too, read fresh), so a hidden class keeps its place. A
 * class with active items is not deactivated: the server names them (CATEGORY_CLASS_HAS_ACTIVE_ITEMS).
 */
export function ClassActions({ cls, first, last, onNewItem }: { cls: CatalogueClass; first: boolean; last: boolean; onNewItem: () => void }) {
  const { t, locale } = useI18n();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [renaming, setRenaming] = useState(false);
  const [busy, setBusy] = useState(false);
  const done = () => void qc.invalidateQueries({ queryKey: catalogueKeys.all });

  const run = async (fn: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    try {
      await fn();
      message.success(ok);
      done();
    } catch (e) {
      // A dialog, not a toast: the refusal of a deactivation names the items to switch off first.
      modal.error({ title: t('catalogue.classRefused', { code: cls.code }), content: describeError(e, locale) });
    } finally {
      setBusy(false);
    }
  };
  const move = (delta: -1 | 1) =>
    run(async () => {
      const ids = (await catalogueApi.tree(true)).classes.map((c) => c.id);
      const i = ids.indexOf(cls.id);
      const j = i + delta;
      if (i < 0 || j < 0 || j >= ids.length) return;
      [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
      await catalogueApi.reorderClasses({ classIds: ids });
    }, t('catalogue.reordered'));

  return (
    <Space size={2} wrap>
      {cls.active && (
        <Button size="small" icon={<PlusOutlined />} onClick={onNewItem} data-testid={`new-item-${cls.code}`}>
          {t('catalogue.newItem')}
        </Button>
      )}
      <Tooltip title={t('catalogue.renameClass')}>
        <Button
          size="small"
          type="text"
          icon={<EditOutlined />}
          onClick={() => setRenaming(true)}
          aria-label={t('catalogue.renameClass')}
          data-testid={`rename-${cls.code}`}
        />
      </Tooltip>
      <Tooltip title={t('catalogue.moveUp')}>
        <Button
          size="small"
          type="text"
          icon={<ArrowUpOutlined />}
          disabled={first || busy}
          onClick={() => void move(-1)}
          aria-label={t('catalogue.moveUp')}
          data-testid={`up-${cls.code}`}
        />
      </Tooltip>
      <Tooltip title={t('catalogue.moveDown')}>
        <Button
          size="small"
          type="text"
          icon={<ArrowDownOutlined />}
          disabled={last || busy}
          onClick={() => void move(1)}
          aria-label={t('catalogue.moveDown')}
          data-testid={`down-${cls.code}`}
        />
      </Tooltip>
      <Button
        size="small"
        type="link"
        danger={cls.active}
        disabled={busy}
        data-testid={`toggle-class-${cls.code}`}
        onClick={() =>
          void run(() => catalogueApi.setClassActive(cls.id, !cls.active), t(cls.active ? 'catalogue.deactivated' : 'catalogue.activated', { name: cls.name }))
        }
      >
        {cls.active ? t('catalogue.deactivate') : t('catalogue.activate')}
      </Button>
      {renaming && <RenameClassModal cls={cls} onClose={() => setRenaming(false)} onDone={done} />}
    </Space>
  );
}

function RenameClassModal({ cls, onClose, onDone }: { cls: CatalogueClass; onClose: () => void; onDone: () => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { name: string }) => {
    setBusy(true);
    setError(null);
    try {
      await catalogueApi.updateClass(cls.id, v);
      message.success(t('common.saved'));
      onDone();
      onClose();
    } catch (e) {
      const r = splitServerErrors(e, ['name'], locale);
      form.setFields(r.byField as never);
      setError(r.rest);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={`${t('catalogue.renameClass')} · ${cls.code}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ name: cls.name }} onFinish={(v) => void submit(v)}>
        <Form.Item name="name" label={t('catalogue.name')} rules={[{ required: true, whitespace: true }]} extra={t('catalogue.renameHint')}>
          <Input maxLength={64} data-testid="class-name" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
