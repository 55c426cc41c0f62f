import { PlusOutlined } from '@ant-design/icons';
import { type RoutingRule, routingSourceLabels } from '@gridgov/contracts/catalogue';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tag, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { describeError } from '../../grids/serverText';
import { regionsApi } from '../../regions/api';
import { splitServerErrors } from '../../registry/helpers';
import { catalogueApi, catalogueKeys } from '../api';

const ANY = '__any__';

/** Category picker: classes → items, plus "every category". */
function useCategoryTree() {
  const { t } = useI18n();
  const tree = useQuery({ queryKey: catalogueKeys.tree(false), queryFn: () => catalogueApi.tree(false) });
  return useMemo(
    () => [
      { value: ANY, title: t('routing.anyCategory') },
      ...(tree.data?.classes ?? []).map((c) => ({
        value: `class:${c.id}`,
        title: `${c.code} ${c.name}`,
        selectable: false,
        children: c.items.map((i) => ({ value: i.id, title: `${i.code} ${i.name}` })),
      })),
    ],
    [tree.data, t],
  );
}

/** 派遣规则: category × region → lead and cooperating units; the most specific active rule wins. */
export default function RoutingRulesPage() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [inactive, setInactive] = useState(false);
  const [creating, setCreating] = useState(false);
  const rules = useQuery({ queryKey: catalogueKeys.rules(inactive), queryFn: () => catalogueApi.rules(inactive) });
  const writer = can('case.dispatch');

  const deactivate = async (r: RoutingRule) => {
    try {
      await catalogueApi.deactivateRule(r.id);
      message.success(t('routing.deactivated'));
      void qc.invalidateQueries({ queryKey: ['routing-rules'] });
    } catch (e) {
      message.error(describeError(e, locale));
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        title={t('nav.routingRules')}
        extra={
          <Space>
            <Space size={4}>
              <Switch size="small" checked={inactive} onChange={setInactive} aria-label={t('routing.showInactive')} />
              <Typography.Text>{t('routing.showInactive')}</Typography.Text>
            </Space>
            {writer && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="rule-new">
                {t('routing.new')}
              </Button>
            )}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('routing.intro')}</Typography.Paragraph>
        {rules.error && <QueryError error={rules.error} />}
        <Table<RoutingRule>
          size="small"
          rowKey="id"
          loading={rules.isLoading}
          dataSource={rules.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          data-testid="routing-table"
          columns={[
            {
              title: t('routing.category'),
              key: 'category',
              render: (_, r) => (r.categoryId ? `${r.categoryCode} ${r.categoryName}` : <Tag>{t('routing.anyCategory')}</Tag>),
            },
            { title: t('routing.region'), dataIndex: 'regionName' },
            { title: t('routing.lead'), key: 'lead', render: (_, r) => r.lead.name },
            { title: t('routing.co'), key: 'co', render: (_, r) => r.co.map((c) => c.name).join('、') || '—' },
            { title: t('routing.priority'), dataIndex: 'priority', width: 80 },
            {
              title: t('routing.status'),
              key: 'active',
              width: 80,
              render: (_, r) => (r.active ? <Tag color="green">{t('routing.active')}</Tag> : <Tag>{t('routing.inactive')}</Tag>),
            },
            {
              title: t('routing.createdBy'),
              key: 'created',
              width: 170,
              render: (_, r) => `${r.createdBy ?? '—'} ${dayjs(r.createdAt).format('YYYY-MM-DD HH:mm')}`,
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 90,
              render: (_, r) =>
                writer &&
                r.active && (
                  <Popconfirm title={t('routing.confirmDeactivate')} onConfirm={() => void deactivate(r)}>
                    <Button size="small" type="link" danger>
                      {t('routing.deactivate')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Card>
      {writer && <ResolveCard />}
      {creating && <CreateRuleModal onClose={() => setCreating(false)} />}
    </Space>
  );
}

/** The units a rule at `regionId` may name: units at the region and the departments above it. */
function useUnitOptions(regionId: string | undefined) {
  const units = useQuery({ queryKey: ['org-units', 'routing', regionId], queryFn: () => regionsApi.orgUnits({ regionId }), enabled: !!regionId });
  return {
    loading: units.isLoading && !!regionId,
    options: (units.data ?? []).map((u) => ({ value: u.id, label: `${u.name}（${u.regionName}）` })),
  };
}

interface RuleForm {
  categoryId: string;
  regionId: string;
  leadOrgUnitId: string;
  coOrgUnitIds: string[];
  priority: number;
}

function CreateRuleModal({ onClose }: { onClose: () => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<RuleForm>();
  const regionId = Form.useWatch('regionId', form);
  const categories = useCategoryTree();
  const units = useUnitOptions(regionId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: RuleForm) => {
    setBusy(true);
    setError(null);
    try {
      await catalogueApi.createRule({
        categoryId: v.categoryId === ANY ? null : v.categoryId,
        regionId: v.regionId,
        leadOrgUnitId: v.leadOrgUnitId,
        coOrgUnitIds: v.coOrgUnitIds ?? [],
        priority: v.priority ?? 0,
      });
      message.success(t('routing.created'));
      void qc.invalidateQueries({ queryKey: ['routing-rules'] });
      onClose();
    } catch (e) {
      const r = splitServerErrors(e, ['categoryId', 'regionId', 'leadOrgUnitId', 'coOrgUnitIds', 'priority'], locale, {
        OUT_OF_SCOPE: 'regionId',
        NOT_FOUND: 'regionId',
      });
      form.setFields(r.byField.map((f) => (Array.isArray(f.name) && f.name[0] === 'coOrgUnitIds' ? { ...f, name: 'coOrgUnitIds' } : f)) as never);
      setError(r.rest);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t('routing.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden width={560}>
      <Form<RuleForm> form={form} layout="vertical" initialValues={{ categoryId: ANY, coOrgUnitIds: [], priority: 0 }} onFinish={(v) => void submit(v)}>
        <Form.Item name="categoryId" label={t('routing.category')} rules={[{ required: true }]}>
          <TreeSelect treeData={categories} showSearch treeNodeFilterProp="title" treeDefaultExpandAll={false} aria-label={t('routing.category')} />
        </Form.Item>
        <Form.Item name="regionId" label={t('routing.region')} rules={[{ required: true }]} extra={t('routing.regionHint')}>
          <RegionTreeSelect aria-label={t('routing.region')} placeholder={t('routing.region')} />
        </Form.Item>
        <Form.Item name="leadOrgUnitId" label={t('routing.lead')} rules={[{ required: true }]}>
          <Select options={units.options} loading={units.loading} disabled={!regionId} showSearch optionFilterProp="label" aria-label={t('routing.lead')} />
        </Form.Item>
        <Form.Item name="coOrgUnitIds" label={t('routing.co')}>
          <Select mode="multiple" options={units.options} loading={units.loading} disabled={!regionId} optionFilterProp="label" aria-label={t('routing.co')} />
        </Form.Item>
        <Form.Item name="priority" label={t('routing.priority')} extra={t('routing.priorityHint')}>
          <InputNumber min={-1000} max={1000} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

/** Where would a case go? The rule (or fallback) the server would use. */
function ResolveCard() {
  const { t, locale } = useI18n();
  const categories = useCategoryTree();
  const [categoryId, setCategoryId] = useState<string>();
  const [regionId, setRegionId] = useState<string>();
  const q = useQuery({
    queryKey: ['routing-rules', 'resolve', categoryId, regionId],
    queryFn: () => catalogueApi.resolve(categoryId as string, regionId as string),
    enabled: !!categoryId && !!regionId,
  });
  const zh = locale !== 'en';
  return (
    <Card title={t('routing.resolve')} size="small" data-testid="routing-resolve">
      <Space wrap style={{ marginBottom: 8 }}>
        <TreeSelect
          style={{ width: 280 }}
          treeData={categories.filter((c) => c.value !== ANY)}
          value={categoryId}
          onChange={setCategoryId}
          showSearch
          treeNodeFilterProp="title"
          placeholder={t('routing.category')}
          aria-label={t('routing.resolveCategory')}
        />
        <RegionTreeSelect
          value={regionId}
          onChange={setRegionId}
          style={{ width: 280 }}
          placeholder={t('routing.region')}
          aria-label={t('routing.resolveRegion')}
        />
      </Space>
      {q.error && <QueryError error={q.error} />}
      {q.data && (
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('routing.source')}>
            {zh ? routingSourceLabels[q.data.source].zh : routingSourceLabels[q.data.source].en}
          </Descriptions.Item>
          <Descriptions.Item label={t('routing.lead')}>
            <span data-testid="resolve-lead">{q.data.lead?.name ?? '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('routing.co')}>{q.data.co.map((c) => c.name).join('、') || '—'}</Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}
