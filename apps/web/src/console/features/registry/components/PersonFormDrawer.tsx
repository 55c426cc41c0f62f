import { checkIdNumber, checkPhone } from '@gridgov/contracts/identifiers';
import { PersonPatch } from '@gridgov/contracts/registry';
import {
  DocType,
  docTypeLabels,
  educationLabels,
  ethnicGroups,
  houseRelationLabels,
  maritalLabels,
  politicalLabels,
  populationTypeLabels,
  sexLabels,
} from '@gridgov/contracts/registry-codes';
import { Alert, App, Button, Col, Divider, Drawer, Form, Input, Row, Select, Space } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../../../common/api/client';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { personsApi, type TPersonDetail } from '../api';
import { changed, compact, splitServerErrors } from '../helpers';
import { DateInput, dateItemProps, GridSelect, HouseSelect, useCodeOptions } from './common';

const FIELDS = [
  'name',
  'docType',
  'idNumber',
  'sex',
  'birthDate',
  'ethnicity',
  'nativePlace',
  'hukouPlace',
  'hukouAddress',
  'currentAddress',
  'phone',
  'marital',
  'political',
  'education',
  'religion',
  'occupation',
  'workplace',
  'populationType',
  'houseId',
  'houseRelation',
  'gridId',
  'tags',
  'note',
] as const;
/** What PATCH accepts (the contract's shape); the rest (document, birth, house) changes through move/merge or a new record. */
const PATCHABLE = Object.keys(PersonPatch.shape);
type Values = Record<(typeof FIELDS)[number], unknown>;

/** 新建/编辑人口: field errors from the server land on their field; a duplicate 身份证号 links to the record. */
export function PersonFormDrawer({ person, onClose, onSaved }: { person: TPersonDetail | null; onClose(): void; onSaved(p: TPersonDetail): void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [duplicateId, setDuplicateId] = useState<string | null>(null);
  const docType = (Form.useWatch('docType', form) as string | undefined) ?? 'id_card';
  const houseId = Form.useWatch('houseId', form) as string | undefined;
  const opts = {
    doc: useCodeOptions(docTypeLabels),
    sex: useCodeOptions(sexLabels),
    pop: useCodeOptions(populationTypeLabels),
    marital: useCodeOptions(maritalLabels),
    political: useCodeOptions(politicalLabels),
    education: useCodeOptions(educationLabels),
    relation: useCodeOptions(houseRelationLabels),
  };
  const edit = !!person;
  const initial: Partial<Values> = person
    ? {
        name: person.name,
        ethnicity: person.ethnicity ?? undefined,
        nativePlace: person.nativePlace ?? '',
        hukouPlace: person.hukouPlace ?? '',
        hukouAddress: person.hukouAddress ?? '',
        currentAddress: person.currentAddress ?? '',
        marital: person.marital ?? undefined,
        political: person.political ?? undefined,
        education: person.education ?? undefined,
        religion: person.religion ?? '',
        occupation: person.occupation ?? '',
        workplace: person.workplace ?? '',
        populationType: person.populationType,
        tags: person.tags,
        note: person.note ?? '',
      }
    : { docType: 'id_card', populationType: 'registered', houseRelation: 'resident', tags: [] };

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    setDuplicateId(null);
    try {
      let saved: TPersonDetail;
      if (person) {
        const body = changed(Object.fromEntries(PATCHABLE.map((k) => [k, v[k as keyof Values]])), person as unknown as Record<string, unknown>, [
          'nativePlace',
          'hukouPlace',
          'hukouAddress',
          'currentAddress',
          'religion',
          'occupation',
          'workplace',
          'note',
        ]);
        // The record holds the masked phone: an empty box means "leave it".
        if (body.phone === null) delete body.phone;
        // PatchSchema's text fields take strings, not null: clearing sends ''.
        for (const [k, x] of Object.entries(body)) if (x === null) body[k] = '';
        saved = Object.keys(body).length ? await personsApi.update(person.id, body as never) : person;
      } else {
        saved = await personsApi.create(compact(v) as never);
      }
      message.success(t('common.saved'));
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'PERSON_DUPLICATE') {
        const id = (e.details as { personId?: string }).personId;
        if (id) setDuplicateId(id);
      }
      const r = splitServerErrors(e, FIELDS, locale, {
        PERSON_DUPLICATE: 'idNumber',
        ID_NUMBER_INVALID: 'idNumber',
        LOCATION_REQUIRED: 'houseId',
        LOCATION_OUTSIDE_GRIDS: 'gridId',
      });
      form.setFields(r.byField);
      setError(r.rest);
    } finally {
      setBusy(false);
    }
  };

  const span = (n: number) => ({ xs: 24, sm: n });
  return (
    <Drawer
      open
      size={640}
      title={person ? t('person.editTitle', { name: person.name }) : t('person.create')}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="person-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {duplicateId && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('person.duplicate')}
          action={
            <Link to={`/persons/${duplicateId}`} onClick={onClose} data-testid="person-duplicate-link">
              {t('person.openExisting')}
            </Link>
          }
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={submit} requiredMark>
        <Row gutter={12}>
          <Col {...span(8)}>
            <Form.Item name="name" label={t('person.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 64 }]}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          {!edit && (
            <>
              <Col {...span(8)}>
                <Form.Item name="docType" label={t('person.docType')}>
                  <Select options={opts.doc} popupMatchSelectWidth={false} />
                </Form.Item>
              </Col>
              <Col {...span(8)}>
                <Form.Item
                  name="idNumber"
                  label={docType === 'id_card' ? t('person.idNumber') : t('person.docNumber')}
                  validateFirst
                  rules={[
                    { required: docType === 'id_card', message: t('common.required') },
                    {
                      validator: async (_, v: string) => {
                        if (!v || docType !== DocType.enum.id_card) return;
                        const r = checkIdNumber(v);
                        if (!r.ok) throw new Error(locale === 'en' ? r.en : r.zh);
                      },
                    },
                  ]}
                >
                  <Input maxLength={32} autoComplete="off" style={{ fontFamily: 'monospace' }} />
                </Form.Item>
              </Col>
              <Col {...span(8)}>
                <Form.Item name="sex" label={t('person.sex')} extra={docType === 'id_card' ? t('person.fromIdNumber') : undefined}>
                  <Select allowClear options={opts.sex} />
                </Form.Item>
              </Col>
              <Col {...span(8)}>
                <Form.Item
                  name="birthDate"
                  label={t('person.birthDate')}
                  {...dateItemProps}
                  extra={docType === 'id_card' ? t('person.fromIdNumber') : undefined}
                >
                  <DateInput />
                </Form.Item>
              </Col>
            </>
          )}
          <Col {...span(8)}>
            <Form.Item name="populationType" label={t('person.populationType')} rules={[{ required: true, message: t('common.required') }]}>
              <Select options={opts.pop} />
            </Form.Item>
          </Col>
          <Col {...span(8)}>
            <Form.Item name="ethnicity" label={t('person.ethnicity')}>
              <Select allowClear showSearch options={ethnicGroups.map((e) => ({ value: e, label: e }))} />
            </Form.Item>
          </Col>
          <Col {...span(8)}>
            <Form.Item
              name="phone"
              label={t('person.phone')}
              extra={edit && person?.phoneMasked ? t('person.phoneKeep', { masked: person.phoneMasked }) : undefined}
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
              <Input maxLength={20} inputMode="tel" autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
        {!edit && (
          <>
            <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
              {t('person.whereLives')}
            </Divider>
            <Row gutter={12}>
              <Col {...span(16)}>
                <Form.Item name="houseId" label={t('reg.house')} extra={t('person.houseHint')}>
                  <HouseSelect />
                </Form.Item>
              </Col>
              <Col {...span(8)}>
                <Form.Item name="houseRelation" label={t('person.houseRelation')}>
                  <Select options={opts.relation} disabled={!houseId} />
                </Form.Item>
              </Col>
              {!houseId && (
                <Col {...span(16)}>
                  <Form.Item name="gridId" label={t('reg.grid')}>
                    <GridSelect />
                  </Form.Item>
                </Col>
              )}
            </Row>
          </>
        )}
        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
          {t('person.more')}
        </Divider>
        <Row gutter={12}>
          <Col {...span(12)}>
            <Form.Item name="currentAddress" label={t('person.currentAddress')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col {...span(12)}>
            <Form.Item name="hukouPlace" label={t('person.hukouPlace')}>
              <Input maxLength={128} />
            </Form.Item>
          </Col>
          <Col {...span(12)}>
            <Form.Item name="hukouAddress" label={t('person.hukouAddress')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col {...span(12)}>
            <Form.Item name="nativePlace" label={t('person.nativePlace')}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col {...span(8)}>
            <Form.Item name="marital" label={t('person.marital')}>
              <Select allowClear options={opts.marital} />
            </Form.Item>
          </Col>
          <Col {...span(8)}>
            <Form.Item name="political" label={t('person.political')}>
              <Select allowClear options={opts.political} />
            </Form.Item>
          </Col>
          <Col {...span(8)}>
            <Form.Item name="education" label={t('person.education')}>
              <Select allowClear options={opts.education} />
            </Form.Item>
          </Col>
          <Col {...span(8)}>
            <Form.Item name="occupation" label={t('person.occupation')}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col {...span(8)}>
            <Form.Item name="workplace" label={t('person.workplace')}>
              <Input maxLength={128} />
            </Form.Item>
          </Col>
          <Col {...span(8)}>
            <Form.Item name="religion" label={t('person.religion')}>
              <Input maxLength={32} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="tags" label={t('person.tags')} extra={t('person.tagsHint')}>
              <Select mode="tags" tokenSeparators={[',', '，', ' ']} maxCount={20} open={false} suffixIcon={null} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="note" label={t('reg.note')}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
