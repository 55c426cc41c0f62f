import { keyPlaceKindLabels, warningLevelLabels } from '@gridgov/contracts/registry-codes';
import { Col, Form, Input, Row, Select, Tag } from 'antd';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { type KeyPlaceFilters, placesApi, type TKeyPlace } from '../api';
import { changed, compact, warningColor } from '../helpers';
import { FilterSelect, PlacementItems, useCodeOptions } from './common';
import { FormDrawer } from './HouseForms';
import { RecordListPage } from './RecordListPage';

type V = {
  kind: string;
  name: string;
  warningLevel: string;
  address?: string;
  description?: string;
  responsible?: string;
  gridId?: string;
  lng?: number;
  lat?: number;
};

export function WarningTag({ level }: { level: TKeyPlace['warningLevel'] }) {
  const { label } = useI18n();
  return <Tag color={warningColor[level]}>{label(warningLevelLabels[level])}</Tag>;
}

function KeyPlaceDrawer({ rec, onClose, onSaved }: { rec: TKeyPlace | null; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const kinds = useCodeOptions(keyPlaceKindLabels);
  const levels = useCodeOptions(warningLevelLabels);
  const initial: Partial<V> = rec
    ? {
        kind: rec.kind,
        name: rec.name,
        warningLevel: rec.warningLevel,
        address: rec.address ?? undefined,
        description: rec.description ?? undefined,
        responsible: rec.responsible ?? undefined,
      }
    : { kind: 'fire_hazard', warningLevel: 'blue' };
  return (
    <FormDrawer<V>
      title={rec ? t('house.editTitle', { name: rec.name }) : t('keyPlace.create')}
      fields={['kind', 'name', 'warningLevel', 'address', 'description', 'responsible', 'gridId', 'lng', 'lat']}
      initial={initial}
      onClose={onClose}
      testId="keyplace-save"
      save={async (v) => {
        if (rec) {
          const body = changed(compact(v) as Record<string, unknown>, rec as unknown as Record<string, unknown>);
          if (Object.keys(body).length) await placesApi.updateKeyPlace(rec.id, body as never);
        } else await placesApi.createKeyPlace(compact(v) as never);
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
          <Form.Item name="warningLevel" label={t('keyPlace.warningLevel')} rules={[{ required: true, message: t('common.required') }]}>
            <Select options={levels} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="name" label={t('reg.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="address" label={t('reg.address')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="responsible" label={t('keyPlace.responsible')}>
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="description" label={t('keyPlace.description')}>
        <Input.TextArea rows={3} maxLength={1000} />
      </Form.Item>
      {!rec && <PlacementItems />}
    </FormDrawer>
  );
}

/** 重点场所: risk points with a warning level (B9, B13). */
export default function KeyPlacesPage() {
  const { t, label } = useI18n();
  const kinds = useCodeOptions(keyPlaceKindLabels);
  const levels = useCodeOptions(warningLevelLabels);
  return (
    <RecordListPage<TKeyPlace, KeyPlaceFilters>
      title="nav.keyPlaces"
      kind="key_place"
      queryKey="keyPlaces"
      list={placesApi.keyPlaces}
      createLabel="keyPlace.create"
      extraFilters={(f, set) => (
        <>
          <FilterSelect label={t('reg.kind')} value={f.kind} onChange={(kind) => set({ kind })} options={kinds} width={140} />
          <FilterSelect
            label={t('keyPlace.warningLevel')}
            value={f.warningLevel}
            onChange={(warningLevel) => set({ warningLevel })}
            options={levels}
            width={140}
          />
        </>
      )}
      columns={[
        { title: t('reg.name'), dataIndex: 'name', width: 160, ellipsis: true, fixed: 'left' },
        { title: t('reg.kind'), dataIndex: 'kind', width: 120, render: (v: TKeyPlace['kind']) => label(keyPlaceKindLabels[v]) },
        { title: t('keyPlace.warningLevel'), dataIndex: 'warningLevel', width: 130, render: (v: TKeyPlace['warningLevel']) => <WarningTag level={v} /> },
        { title: t('reg.address'), dataIndex: 'address', ellipsis: true, render: (v: string | null) => v ?? '—' },
        { title: t('keyPlace.responsible'), dataIndex: 'responsible', width: 100, render: (v: string | null) => v ?? '—' },
      ]}
      drawer={(r, close, saved) => <KeyPlaceDrawer rec={r} onClose={close} onSaved={saved} />}
    />
  );
}
