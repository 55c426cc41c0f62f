import { facilityKindLabels, facilityStateLabels } from '@gridgov/contracts/registry-codes';
import { Col, Form, Input, Row, Select, Tag } from 'antd';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { type FacilityFilters, placesApi, type TFacility } from '../api';
import { changed, compact, facilityStateColor } from '../helpers';
import { FilterSelect, PlacementItems, useCodeOptions } from './common';
import { FormDrawer } from './HouseForms';
import { RecordListPage } from './RecordListPage';

type V = {
  kind: string;
  name: string;
  code?: string;
  state: string;
  address?: string;
  owner?: string;
  note?: string;
  gridId?: string;
  lng?: number;
  lat?: number;
};

function FacilityDrawer({ rec, onClose, onSaved }: { rec: TFacility | null; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const kinds = useCodeOptions(facilityKindLabels);
  const states = useCodeOptions(facilityStateLabels);
  const initial: Partial<V> = rec
    ? {
        kind: rec.kind,
        name: rec.name,
        code: rec.code ?? undefined,
        state: rec.state,
        address: rec.address ?? undefined,
        owner: rec.owner ?? undefined,
        note: rec.note ?? undefined,
      }
    : { kind: 'fire_hydrant', state: 'intact' };
  return (
    <FormDrawer<V>
      title={rec ? t('house.editTitle', { name: rec.name }) : t('facility.create')}
      fields={['kind', 'name', 'code', 'state', 'address', 'owner', 'note', 'gridId', 'lng', 'lat']}
      initial={initial}
      onClose={onClose}
      testId="facility-save"
      save={async (v) => {
        if (rec) {
          const body = changed(compact(v) as Record<string, unknown>, rec as unknown as Record<string, unknown>);
          if (Object.keys(body).length) await placesApi.updateFacility(rec.id, body as never);
        } else await placesApi.createFacility(compact(v) as never);
        onSaved();
      }}
    >
      <Row gutter={8}>
        <Col span={12}>
          <Form.Item name="kind" label={t('reg.kind')} rules={[{ required: true, message: t('common.required') }]}>
            <Select options={kinds} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="state" label={t('reg.state')} rules={[{ required: true, message: t('common.required') }]}>
            <Select options={states} />
          </Form.Item>
        </Col>
        <Col span={14}>
          <Form.Item name="name" label={t('reg.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input maxLength={64} />
          </Form.Item>
        </Col>
        <Col span={10}>
          <Form.Item name="code" label={t('facility.code')}>
            <Input maxLength={32} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="address" label={t('reg.address')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="owner" label={t('facility.owner')}>
        <Input maxLength={64} />
      </Form.Item>
      {!rec && <PlacementItems />}
      <Form.Item name="note" label={t('reg.note')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormDrawer>
  );
}

/** 部件设施: hydrants, manholes, lights, lifts, cameras … with their state. */
export default function FacilitiesPage() {
  const { t, label } = useI18n();
  const kinds = useCodeOptions(facilityKindLabels);
  const states = useCodeOptions(facilityStateLabels);
  return (
    <RecordListPage<TFacility, FacilityFilters>
      title="nav.facilities"
      kind="facility"
      queryKey="facilities"
      list={placesApi.facilities}
      createLabel="facility.create"
      extraFilters={(f, set) => (
        <>
          <FilterSelect label={t('reg.kind')} value={f.kind} onChange={(kind) => set({ kind })} options={kinds} width={130} />
          <FilterSelect label={t('reg.state')} value={f.state} onChange={(state) => set({ state })} options={states} width={100} />
        </>
      )}
      columns={[
        { title: t('reg.name'), dataIndex: 'name', width: 160, ellipsis: true, fixed: 'left' },
        { title: t('reg.kind'), dataIndex: 'kind', width: 100, render: (v: TFacility['kind']) => label(facilityKindLabels[v]) },
        { title: t('facility.code'), dataIndex: 'code', width: 120, render: (v: string | null) => v ?? '—' },
        {
          title: t('reg.state'),
          dataIndex: 'state',
          width: 80,
          render: (v: TFacility['state']) => <Tag color={facilityStateColor[v]}>{label(facilityStateLabels[v])}</Tag>,
        },
        { title: t('reg.address'), dataIndex: 'address', ellipsis: true, render: (v: string | null) => v ?? '—' },
        { title: t('facility.owner'), dataIndex: 'owner', width: 120, ellipsis: true, render: (v: string | null) => v ?? '—' },
      ]}
      drawer={(r, close, saved) => <FacilityDrawer rec={r} onClose={close} onSaved={saved} />}
    />
  );
}
