import { checkPhone, checkUscc } from '@gridgov/contracts/identifiers';
import { attentionLabels, keyPremisesLabels, orgKindLabels } from '@gridgov/contracts/registry-codes';
import { Col, Form, Input, InputNumber, Row, Select, Space, Switch, Tag, Typography } from 'antd';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { type OrganisationFilters, placesApi, type TOrganisation } from '../api';
import { changed, compact } from '../helpers';
import { FilterSelect, PlacementItems, UnmaskButton, useCodeOptions } from './common';
import { FormDrawer } from './HouseForms';
import { RecordListPage } from './RecordListPage';

/** Shows what the credit code says as it is typed: the fault and its position, or the authority and category. */
function UsccHint() {
  const { t, locale } = useI18n();
  const form = Form.useFormInstance();
  const v = (Form.useWatch('uscc', form) as string | undefined)?.trim();
  if (!v) return null;
  const r = checkUscc(v);
  if (!r.ok) return null;
  return (
    <Typography.Text type="success" style={{ fontSize: 12 }} data-testid="uscc-ok">
      {t('org.usccOk', { region: r.regionCode, category: r.category })}
      {r.unusualAuthority && <Typography.Text type="warning">{locale === 'en' ? ' (unusual authority code)' : '（登记机关代码少见，请复核）'}</Typography.Text>}
    </Typography.Text>
  );
}

type V = {
  kind: string;
  name: string;
  uscc?: string;
  legalRepName?: string;
  phone?: string;
  address?: string;
  employees?: number;
  keyPremises?: boolean;
  keyPremisesType?: string;
  attention?: string;
  hasPartyOrg?: boolean;
  note?: string;
  gridId?: string;
  lng?: number;
  lat?: number;
};
const FIELDS = [
  'kind',
  'name',
  'uscc',
  'legalRepName',
  'phone',
  'address',
  'employees',
  'keyPremises',
  'keyPremisesType',
  'attention',
  'hasPartyOrg',
  'note',
  'gridId',
  'lng',
  'lat',
];

function OrganisationDrawer({ org, onClose, onSaved }: { org: TOrganisation | null; onClose(): void; onSaved(): void }) {
  const { t, locale } = useI18n();
  const kinds = useCodeOptions(orgKindLabels);
  const premises = useCodeOptions(keyPremisesLabels);
  const attention = useCodeOptions(attentionLabels);
  const initial: Partial<V> = org
    ? {
        kind: org.kind,
        name: org.name,
        uscc: org.uscc ?? undefined,
        legalRepName: org.legalRepName ?? undefined,
        address: org.address ?? undefined,
        employees: org.employees ?? undefined,
        keyPremises: org.keyPremises,
        keyPremisesType: org.keyPremisesType ?? undefined,
        attention: org.attention ?? undefined,
        hasPartyOrg: org.hasPartyOrg ?? undefined,
        note: org.note ?? undefined,
      }
    : { kind: 'enterprise', keyPremises: false };
  return (
    <FormDrawer<V>
      title={org ? t('house.editTitle', { name: org.name }) : t('org.createRecord')}
      fields={FIELDS}
      initial={initial}
      onClose={onClose}
      testId="org-save"
      save={async (v) => {
        if (org) {
          const body = changed(compact(v) as Record<string, unknown>, org as unknown as Record<string, unknown>);
          if (Object.keys(body).length) await placesApi.updateOrganisation(org.id, body as never);
        } else await placesApi.createOrganisation(compact(v) as never);
        onSaved();
      }}
    >
      <Row gutter={8}>
        <Col span={10}>
          <Form.Item name="kind" label={t('reg.kind')} rules={[{ required: true, message: t('common.required') }]}>
            <Select options={kinds} />
          </Form.Item>
        </Col>
        <Col span={14}>
          <Form.Item name="name" label={t('org.unitName')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input maxLength={128} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="uscc"
        label={t('org.uscc')}
        extra={<UsccHint />}
        normalize={(v: string) => v?.toUpperCase()}
        rules={[
          {
            validator: async (_, v: string) => {
              if (!v) return;
              const r = checkUscc(v);
              if (!r.ok) throw new Error(locale === 'en' ? r.en : r.zh);
            },
          },
        ]}
      >
        <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
      </Form.Item>
      <Row gutter={8}>
        <Col span={12}>
          <Form.Item name="legalRepName" label={t('org.legalRep')}>
            <Input maxLength={64} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="phone"
            label={t('person.phone')}
            extra={org?.phoneMasked ? t('person.phoneKeep', { masked: org.phoneMasked }) : undefined}
            rules={[
              {
                validator: async (_, v: string) => {
                  if (!v) return;
                  const r = checkPhone(v);
                  if (!r.ok) throw new Error(locale === 'en' ? r.en : r.zh);
                },
              },
            ]}
          >
            <Input maxLength={20} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="address" label={t('reg.address')}>
        <Input maxLength={200} />
      </Form.Item>
      <Row gutter={8}>
        <Col span={8}>
          <Form.Item name="employees" label={t('org.employees')}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="attention" label={t('org.attention')}>
            <Select allowClear options={attention} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="hasPartyOrg" label={t('org.hasPartyOrg')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="keyPremises" label={t('org.keyPremises')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item name="keyPremisesType" label={t('org.keyPremisesType')}>
            <Select allowClear options={premises} />
          </Form.Item>
        </Col>
      </Row>
      {!org && <PlacementItems />}
      <Form.Item name="note" label={t('reg.note')}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
    </FormDrawer>
  );
}

/** 单位组织: enterprises, 个体工商户, social and party organisations; key premises flagged. */
export default function OrganisationsPage() {
  const { t, label } = useI18n();
  const { can } = useAuth();
  const kinds = useCodeOptions(orgKindLabels);
  return (
    <RecordListPage<TOrganisation, OrganisationFilters>
      title="nav.organisations"
      kind="organisation"
      queryKey="organisations"
      list={placesApi.organisations}
      createLabel="org.createRecord"
      searchLabel="org.search"
      extraFilters={(f, set) => (
        <>
          <Input
            aria-label={t('org.uscc')}
            placeholder={t('org.uscc')}
            allowClear
            defaultValue={f.uscc}
            onPressEnter={(e) => set({ uscc: (e.target as HTMLInputElement).value.trim().toUpperCase() || undefined })}
            onChange={(e) => !e.target.value && set({ uscc: undefined })}
            style={{ width: 190 }}
          />
          <FilterSelect label={t('reg.kind')} value={f.kind} onChange={(kind) => set({ kind })} options={kinds} width={130} />
          <Select
            aria-label={t('org.keyPremises')}
            placeholder={t('org.keyPremises')}
            allowClear
            value={f.keyPremises}
            onChange={(keyPremises) => set({ keyPremises })}
            options={[
              { value: 'true', label: t('org.keyPremises') },
              { value: 'false', label: t('org.notKeyPremises') },
            ]}
            style={{ width: 120 }}
          />
        </>
      )}
      columns={[
        { title: t('org.unitName'), dataIndex: 'name', width: 180, ellipsis: true, fixed: 'left' },
        { title: t('reg.kind'), dataIndex: 'kind', width: 100, render: (v: TOrganisation['kind']) => label(orgKindLabels[v]) },
        { title: t('org.uscc'), dataIndex: 'uscc', width: 170, render: (v: string | null) => <span style={{ fontFamily: 'monospace' }}>{v ?? '—'}</span> },
        { title: t('org.legalRep'), dataIndex: 'legalRepName', width: 80, render: (v: string | null) => v ?? '—' },
        {
          title: t('person.phone'),
          dataIndex: 'phoneMasked',
          width: 140,
          render: (v: string | null, o) => (
            <Space size={0}>
              <span style={{ fontFamily: 'monospace' }}>{v ?? '—'}</span>
              {can('pii.unmask') && (
                <UnmaskButton
                  fieldLabel={t('person.phone')}
                  masked={v}
                  compact
                  unmask={async (reason) => (await placesApi.unmaskOrganisation(o.id, reason)).value}
                />
              )}
            </Space>
          ),
        },
        { title: t('reg.address'), dataIndex: 'address', ellipsis: true, render: (v: string | null) => v ?? '—' },
        {
          title: t('org.keyPremises'),
          dataIndex: 'keyPremisesType',
          width: 100,
          render: (v: TOrganisation['keyPremisesType'], o) =>
            o.keyPremises ? <Tag color="red">{v ? label(keyPremisesLabels[v]) : t('org.keyPremises')}</Tag> : null,
        },
      ]}
      drawer={(r, close, saved) => <OrganisationDrawer org={r} onClose={close} onSaved={saved} />}
    />
  );
}
