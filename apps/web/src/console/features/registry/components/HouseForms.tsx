import { houseUseLabels } from '@gridgov/contracts/registry-codes';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Col, Drawer, Form, Input, InputNumber, Row, Select, Space } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { placesApi, type TBuilding, type THouse } from '../api';
import { changed, compact, splitServerErrors } from '../helpers';
import { PlacementItems, useCodeOptions } from './common';

const CODE_FIELD = { LOCATION_REQUIRED: 'gridId', LOCATION_OUTSIDE_GRIDS: 'lng' };

/** A drawer with a form, a save button, server field errors on their items and the rest on top. */
function FormDrawer<V extends object>({
  title,
  fields,
  initial,
  onClose,
  save,
  children,
  testId,
}: {
  title: string;
  fields: readonly string[];
  initial: Partial<V>;
  onClose(): void;
  save(v: V): Promise<void>;
  children: React.ReactNode;
  testId?: string;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Drawer
      open
      size={520}
      title={title}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid={testId ?? 'record-save'}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<V>
        form={form}
        layout="vertical"
        initialValues={initial as never}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            await save(v);
            message.success(t('common.saved'));
          } catch (e) {
            const r = splitServerErrors(e, fields, locale, { ...CODE_FIELD, ORGANISATION_DUPLICATE: 'uscc' });
            form.setFields(r.byField as never);
            setError(r.rest);
          } finally {
            setBusy(false);
          }
        }}
        requiredMark
      >
        {children}
      </Form>
    </Drawer>
  );
}

export { FormDrawer };

type HouseValues = {
  buildingId?: string;
  address?: string;
  unit?: string;
  floor?: number;
  room?: string;
  use: string;
  areaM2?: number;
  note?: string;
  gridId?: string;
  lng?: number;
  lat?: number;
};
const HOUSE_FIELDS = ['buildingId', 'address', 'unit', 'floor', 'room', 'use', 'areaM2', 'note', 'gridId', 'lng', 'lat'];

function BuildingPick({ value, onChange }: { value?: string; onChange?: (v: string | undefined) => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const hits = useQuery({ queryKey: ['buildings', 'pick', text], queryFn: () => placesApi.buildings({ q: text.trim() || undefined, limit: 30, offset: 0 }) });
  return (
    <Select
      allowClear
      aria-label={t('house.building')}
      showSearch={{ filterOption: false, searchValue: text, onSearch: setText }}
      value={value}
      onChange={(v) => onChange?.(v)}
      options={(hits.data?.items ?? []).map((b) => ({ value: b.id, label: `${b.name} · ${b.address}` }))}
      placeholder={t('house.buildingHint')}
      popupMatchSelectWidth={false}
    />
  );
}

export function HouseFormDrawer({
  house,
  buildingId,
  onClose,
  onSaved,
}: {
  house: THouse | null;
  buildingId?: string;
  onClose(): void;
  onSaved(id: string): void;
}) {
  const { t } = useI18n();
  const uses = useCodeOptions(houseUseLabels);
  const initial: Partial<HouseValues> = house
    ? {
        buildingId: house.buildingId ?? undefined,
        address: house.buildingId ? undefined : house.address,
        unit: house.unit ?? undefined,
        floor: house.floor ?? undefined,
        room: house.room ?? undefined,
        use: house.use,
        areaM2: house.areaM2 ?? undefined,
        note: house.note ?? undefined,
      }
    : { use: 'residential', buildingId };
  return (
    <FormDrawer<HouseValues>
      title={house ? t('house.editTitle', { name: house.address }) : t('house.create')}
      fields={HOUSE_FIELDS}
      initial={initial}
      onClose={onClose}
      testId="house-save"
      save={async (v) => {
        if (house) {
          const body = changed(compact(v) as Record<string, unknown>, { ...house, buildingId: house.buildingId ?? undefined });
          const saved = Object.keys(body).length ? await placesApi.updateHouse(house.id, body as never) : house;
          onSaved(saved.id);
        } else {
          const saved = await placesApi.createHouse(compact(v) as never);
          onSaved(saved.id);
        }
      }}
    >
      <Form.Item name="buildingId" label={t('house.building')}>
        <BuildingPick />
      </Form.Item>
      <Form.Item name="address" label={t('house.standaloneAddress')} extra={t('house.standaloneHint')}>
        <Input maxLength={200} />
      </Form.Item>
      <Row gutter={8}>
        <Col span={8}>
          <Form.Item name="unit" label={t('house.unit')}>
            <Input maxLength={16} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="floor" label={t('house.floor')}>
            <InputNumber min={-10} max={200} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="room" label={t('house.room')}>
            <Input maxLength={16} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="use" label={t('reg.use')} rules={[{ required: true, message: t('common.required') }]}>
            <Select options={uses} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="areaM2" label={t('house.area')}>
            <InputNumber min={0} max={100000} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      {!house && <PlacementItems />}
      <Form.Item name="note" label={t('reg.note')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormDrawer>
  );
}

type BuildingValues = { name: string; road?: string; number?: string; floors?: number; units?: number; gridId?: string; lng?: number; lat?: number };

export function BuildingFormDrawer({ building, onClose, onSaved }: { building: TBuilding | null; onClose(): void; onSaved(id: string): void }) {
  const { t } = useI18n();
  const initial: Partial<BuildingValues> = building
    ? {
        name: building.name,
        road: building.road ?? undefined,
        number: building.number ?? undefined,
        floors: building.floors ?? undefined,
        units: building.units ?? undefined,
      }
    : {};
  return (
    <FormDrawer<BuildingValues>
      title={building ? t('house.editTitle', { name: building.name }) : t('building.create')}
      fields={['name', 'road', 'number', 'floors', 'units', 'gridId', 'lng', 'lat']}
      initial={initial}
      onClose={onClose}
      testId="building-save"
      save={async (v) => {
        if (building) {
          const body = changed(compact(v) as Record<string, unknown>, building);
          const saved = Object.keys(body).length ? await placesApi.updateBuilding(building.id, body as never) : building;
          onSaved(saved.id);
        } else onSaved((await placesApi.createBuilding(compact(v) as never)).id);
      }}
    >
      <Form.Item name="name" label={t('building.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={64} placeholder={t('building.namePlaceholder')} />
      </Form.Item>
      <Row gutter={8}>
        <Col span={14}>
          <Form.Item name="road" label={t('building.road')}>
            <Input maxLength={64} />
          </Form.Item>
        </Col>
        <Col span={10}>
          <Form.Item name="number" label={t('building.number')}>
            <Input maxLength={32} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="floors" label={t('building.floors')}>
            <InputNumber min={1} max={200} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="units" label={t('building.units')}>
            <InputNumber min={1} max={50} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      {!building && <PlacementItems known={undefined} />}
    </FormDrawer>
  );
}
