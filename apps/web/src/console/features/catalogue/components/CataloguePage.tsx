import { PlusOutlined } from '@ant-design/icons';
import { handlingLevelLabels } from '@gridgov/contracts/cases';
import type { CatalogueClass, CatalogueItem } from '@gridgov/contracts/catalogue';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { describeError } from '../../grids/serverText';
import { splitServerErrors } from '../../registry/helpers';
import { catalogueApi, catalogueKeys } from '../api';
import { ClassActions } from './ClassActions';
import { ItemDrawer } from './ItemDrawer';

type Row = { key: string; kind: 'class'; cls: CatalogueClass; children: Row[] } | { key: string; kind: 'item'; item: CatalogueItem; cls: CatalogueClass };

/**
 * 事项清单: classes → items with their current rules; configurers edit an item's rules (a new version each time)
 * and a class's name, place and whether it is in use.
 */
export default function CataloguePage() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const configure = can('case.configure');
  const [inactive, setInactive] = useState(false);
  const tree = useQuery({ queryKey: catalogueKeys.tree(inactive), queryFn: () => catalogueApi.tree(inactive) });
  const [editing, setEditing] = useState<{ item?: CatalogueItem; cls: CatalogueClass } | null>(null);
  const [newClass, setNewClass] = useState(false);
  const zh = locale !== 'en';
  const lbl = (x: { zh: string; en: string }) => (zh ? x.zh : x.en);

  const toggle = async (item: CatalogueItem) => {
    try {
      await catalogueApi.setActive(item.id, !item.active);
      message.success(t(item.active ? 'catalogue.deactivated' : 'catalogue.activated', { name: item.name }));
      void qc.invalidateQueries({ queryKey: catalogueKeys.all });
    } catch (e) {
      message.error(describeError(e, locale));
    }
  };

  const rows: Row[] = (tree.data?.classes ?? []).map((cls) => ({
    key: cls.id,
    kind: 'class',
    cls,
    children: cls.items.map((item) => ({ key: item.id, kind: 'item', item, cls })),
  }));
  const limit = (r: Row, s: 'accept' | 'dispatch' | 'handle' | 'verify') => (r.kind === 'item' ? lbl(r.item.rules.limits[s]) : null);
  const columns: ColumnsType<Row> = [
    { title: t('catalogue.code'), key: 'code', width: 110, render: (_, r) => (r.kind === 'class' ? <b>{r.cls.code}</b> : r.item.code) },
    {
      title: t('catalogue.name'),
      key: 'name',
      width: 170,
      render: (_, r) =>
        r.kind === 'class' ? (
          <Space size={4}>
            <b data-testid={`class-${r.cls.code}`}>{r.cls.name}</b>
            {!r.cls.active && <Tag>{t('catalogue.inactive')}</Tag>}
          </Space>
        ) : (
          <Space size={4}>
            {r.item.name}
            {!r.item.active && <Tag>{t('catalogue.inactive')}</Tag>}
          </Space>
        ),
    },
    {
      title: t('catalogue.dept'),
      key: 'dept',
      render: (_, r) =>
        r.kind === 'item'
          ? (r.item.rules.deptName ?? r.item.rules.deptCode ?? <Typography.Text type="secondary">{t('catalogue.noDept')}</Typography.Text>)
          : null,
    },
    { title: t('catalogue.level'), key: 'level', width: 90, render: (_, r) => (r.kind === 'item' ? lbl(handlingLevelLabels[r.item.rules.level]) : null) },
    { title: t('catalogue.stage.accept'), key: 'accept', width: 100, render: (_, r) => limit(r, 'accept') },
    { title: t('catalogue.stage.dispatch'), key: 'dispatch', width: 100, render: (_, r) => limit(r, 'dispatch') },
    {
      title: t('catalogue.stage.handle'),
      key: 'handle',
      width: 100,
      render: (_, r) => <span data-testid={r.kind === 'item' ? `limit-handle-${r.item.code}` : undefined}>{limit(r, 'handle')}</span>,
    },
    { title: t('catalogue.stage.verify'), key: 'verify', width: 100, render: (_, r) => limit(r, 'verify') },
    {
      title: t('catalogue.flags'),
      key: 'flags',
      width: 150,
      render: (_, r) =>
        r.kind === 'item' ? (
          <Space size={2} wrap>
            {r.item.rules.selfDispose && <Tag color="green">{t('catalogue.selfDispose')}</Tag>}
            {r.item.rules.admitted ? <Tag color="blue">{t('catalogue.admitted')}</Tag> : <Tag>{t('catalogue.notAdmitted')}</Tag>}
          </Space>
        ) : null,
    },
    {
      title: t('catalogue.version'),
      key: 'version',
      width: 70,
      render: (_, r) => (r.kind === 'item' ? <span data-testid={`version-${r.item.code}`}>v{r.item.rules.version}</span> : null),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 260,
      fixed: 'right',
      render: (_, r) =>
        r.kind === 'class' ? (
          configure && (
            <ClassActions cls={r.cls} first={r.cls.id === rows[0]?.key} last={r.cls.id === rows.at(-1)?.key} onNewItem={() => setEditing({ cls: r.cls })} />
          )
        ) : (
          <Space size={4}>
            <Button size="small" type="link" onClick={() => setEditing({ item: r.item, cls: r.cls })} data-testid={`edit-${r.item.code}`}>
              {configure ? t('catalogue.editRules') : t('catalogue.viewRules')}
            </Button>
            {configure && (
              <Button size="small" type="link" danger={r.item.active} onClick={() => void toggle(r.item)}>
                {r.item.active ? t('catalogue.deactivate') : t('catalogue.activate')}
              </Button>
            )}
          </Space>
        ),
    },
  ];

  return (
    <Card
      title={t('nav.catalogue')}
      extra={
        configure && (
          <Space>
            <Space size={4}>
              <Switch size="small" checked={inactive} onChange={setInactive} aria-label={t('catalogue.showInactive')} />
              <Typography.Text>{t('catalogue.showInactive')}</Typography.Text>
            </Space>
            <Button icon={<PlusOutlined />} onClick={() => setNewClass(true)}>
              {t('catalogue.newClass')}
            </Button>
          </Space>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('catalogue.intro')}</Typography.Paragraph>
      {tree.error && <QueryError error={tree.error} />}
      <Table<Row>
        size="small"
        rowKey="key"
        loading={tree.isLoading}
        dataSource={rows}
        columns={columns}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        key={rows.length ? 'loaded' : 'empty'}
        data-testid="catalogue-table"
        scroll={{ x: 1400 }}
      />
      {editing && (
        <ItemDrawer
          item={editing.item}
          cls={editing.cls}
          editable={configure}
          onClose={() => setEditing(null)}
          onSaved={() => {
            void qc.invalidateQueries({ queryKey: catalogueKeys.all });
          }}
        />
      )}
      {newClass && <NewClassModal onClose={() => setNewClass(false)} />}
    </Card>
  );
}

function NewClassModal({ onClose }: { onClose: () => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ code: string; name: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { code: string; name: string }) => {
    setBusy(true);
    setError(null);
    try {
      await catalogueApi.createClass(v);
      message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: catalogueKeys.all });
      onClose();
    } catch (e) {
      const r = splitServerErrors(e, ['code', 'name'], locale, { CATEGORY_CODE_TAKEN: 'code' });
      form.setFields(r.byField as never);
      setError(r.rest);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('catalogue.newClass')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="code" label={t('catalogue.code')} rules={[{ required: true }]}>
          <Input maxLength={12} />
        </Form.Item>
        <Form.Item name="name" label={t('catalogue.name')} rules={[{ required: true }]}>
          <Input maxLength={64} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
