import { ArrowLeftOutlined, CheckCircleOutlined, EditOutlined, MergeCellsOutlined, SwapOutlined, UnlockOutlined } from '@ant-design/icons';
import {
  docTypeLabels,
  educationLabels,
  houseRelationLabels,
  maritalLabels,
  politicalLabels,
  populationTypeLabels,
  relationToHeadLabels,
  sexLabels,
} from '@gridgov/contracts/registry-codes';
import { sensitivityLabels, specialGroupByCode, specialLevelLabels } from '@gridgov/contracts/special-groups';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { formatDate, formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { breakGlassApi, personsApi, regKeys, specialApi, type TPersonDetail, type TSpecialEntry } from '../api';
import { splitServerErrors } from '../helpers';
import { ActionModal, DateInput, dateItemProps, FreshTag, GridSelect, HouseSelect, PersonSelect, RecordError, UnmaskButton, useCodeOptions } from './common';
import { HouseholdModal } from './HouseholdModal';
import { PersonFormDrawer } from './PersonFormDrawer';
import { SpecialEntryModal, SpecialFieldsView } from './SpecialEntryModal';

/** 一人一档: everything about one person on one page, identifying numbers masked until asked for. */
export default function PersonPage() {
  const { id = '' } = useParams();
  const { t, label } = useI18n();
  const { can } = useAuth();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const q = useQuery({ queryKey: regKeys.person(id), queryFn: () => personsApi.get(id), staleTime: 0 });
  const [modal, setModal] = useState<'edit' | 'move' | 'merge' | 'verify' | 'glass' | 'special' | 'household' | null>(null);
  const [grantUntil, setGrantUntil] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['persons'] });
  const done = () => {
    setModal(null);
    void refresh();
  };

  if (q.error) return <RecordError error={q.error} retry={() => void q.refetch()} back={{ to: '/persons', label: t('person.back') }} />;
  const p = q.data;
  if (!p) return <Card loading />;
  const glass = p.specialEntries.some((e) => e.viaBreakGlass);
  const manage = can('registry.manage') && p.canEdit;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        title={
          <Space wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('person.back')} />
            <span data-testid="person-title">{p.name}</span>
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              {label(sexLabels[p.sex])}
              {p.age !== null && ` · ${t('person.ageN', { n: p.age })}`} · {label(populationTypeLabels[p.populationType])}
            </Typography.Text>
            <FreshTag stale={p.stale} verifiedAt={p.verifiedAt} />
          </Space>
        }
        extra={
          manage && (
            <Space wrap>
              <Button icon={<CheckCircleOutlined />} onClick={() => setModal('verify')} data-testid="person-verify">
                {t('reg.verify')}
              </Button>
              <Button icon={<EditOutlined />} onClick={() => setModal('edit')}>
                {t('common.edit')}
              </Button>
              <Button icon={<SwapOutlined />} onClick={() => setModal('move')}>
                {t('person.move')}
              </Button>
              <Button icon={<MergeCellsOutlined />} onClick={() => setModal('merge')}>
                {t('person.merge')}
              </Button>
            </Space>
          )
        }
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} bordered>
          <Descriptions.Item label={label(docTypeLabels[p.docType])}>
            <Space size={4}>
              <span style={{ fontFamily: 'monospace' }} data-testid="person-id-masked">
                {p.idNumberMasked ?? '—'}
              </span>
              {p.canUnmask && (
                <UnmaskButton
                  fieldLabel={t('person.idNumber')}
                  masked={p.idNumberMasked}
                  unmask={async (reason) => (await personsApi.unmask(p.id, { field: 'idNumber', reason })).value}
                />
              )}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('person.phone')}>
            <Space size={4}>
              <span style={{ fontFamily: 'monospace' }}>{p.phoneMasked ?? '—'}</span>
              {p.canUnmask && (
                <UnmaskButton
                  fieldLabel={t('person.phone')}
                  masked={p.phoneMasked}
                  unmask={async (reason) => (await personsApi.unmask(p.id, { field: 'phone', reason })).value}
                />
              )}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('person.birthDate')}>{p.birthDate ? formatDate(p.birthDate) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('reg.grid')}>
            {p.gridName}
            <Typography.Text type="secondary"> · {p.communityName}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('reg.address')}>
            {p.houseId ? <Link to={`/houses/${p.houseId}`}>{p.address ?? p.houseId}</Link> : (p.address ?? p.currentAddress ?? '—')}
          </Descriptions.Item>
          <Descriptions.Item label={t('person.ethnicity')}>{p.ethnicity ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('person.hukouPlace')}>{p.hukouPlace ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('person.hukouAddress')}>{p.hukouAddress ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('person.nativePlace')}>{p.nativePlace ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('person.marital')}>{p.marital ? label(maritalLabels[p.marital]) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('person.political')}>{p.political ? label(politicalLabels[p.political]) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('person.education')}>{p.education ? label(educationLabels[p.education]) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('person.occupation')}>{p.occupation ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('person.workplace')}>{p.workplace ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('person.tags')}>{p.tags.length ? p.tags.map((x) => <Tag key={x}>{x}</Tag>) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('reg.verifiedBy')}>
            {p.verifiedAt ? `${p.verifiedBy ?? ''} ${formatDateTime(p.verifiedAt)}` : t('reg.neverVerified')}
          </Descriptions.Item>
          {p.note && (
            <Descriptions.Item label={t('reg.note')} span={3}>
              {p.note}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card size="small">
        <Tabs
          items={[
            { key: 'home', label: t('person.tabHome'), children: <HomeTab p={p} onEdit={manage ? () => setModal('household') : undefined} /> },
            {
              key: 'special',
              label: (
                <span data-testid="tab-special">
                  {t('person.tabSpecial')} {p.specialEntries.length > 0 && <Tag color="volcano">{p.specialEntries.length}</Tag>}
                </span>
              ),
              children: (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {glass && (
                    <Alert
                      type="warning"
                      showIcon
                      title={grantUntil ? t('bg.viewingUntil', { time: formatDateTime(grantUntil).slice(11, 16) }) : t('bg.viewing')}
                      description={t('bg.viewingHint')}
                      data-testid="bg-banner"
                    />
                  )}
                  {p.hiddenEntries > 0 && (
                    <Alert
                      type="info"
                      showIcon
                      title={t('bg.hidden', { n: p.hiddenEntries })}
                      action={
                        can('registry.breakglass') && (
                          <Button danger size="small" icon={<UnlockOutlined />} onClick={() => setModal('glass')} data-testid="bg-open">
                            {t('bg.open')}
                          </Button>
                        )
                      }
                    />
                  )}
                  {manage && (
                    <Button size="small" onClick={() => setModal('special')}>
                      {t('special.add')}
                    </Button>
                  )}
                  <SpecialTable entries={p.specialEntries} onChanged={manage ? () => void refresh() : undefined} />
                </Space>
              ),
            },
            {
              key: 'changes',
              label: t('person.tabChanges'),
              children: (
                <Table
                  rowKey={(_, i) => String(i)}
                  size="small"
                  dataSource={p.changes}
                  pagination={{ pageSize: 10, size: 'small', hideOnSinglePage: true }}
                  columns={[
                    { title: t('audit.time'), dataIndex: 'at', width: 160, render: (v: string) => formatDateTime(v) },
                    { title: t('audit.actor'), dataIndex: 'actorName', width: 100, render: (v: string | null) => v ?? '—' },
                    { title: t('audit.action'), dataIndex: 'action', width: 140 },
                    { title: t('person.changedFields'), dataIndex: 'fields', render: (v: string[]) => v.join('、') || '—' },
                    { title: t('reg.note'), dataIndex: 'note', render: (v: string | null) => v ?? '' },
                  ]}
                />
              ),
            },
          ]}
        />
      </Card>
      {modal === 'edit' && (
        <PersonFormDrawer
          person={p}
          onClose={() => setModal(null)}
          onSaved={() => {
            setModal(null);
            void refresh();
          }}
        />
      )}
      {modal === 'verify' && (
        <VerifyModal
          onClose={() => setModal(null)}
          run={async (note) => {
            await personsApi.verify(p.id, note);
            message.success(t('reg.verified'));
            setModal(null);
            void refresh();
          }}
        />
      )}
      {modal === 'move' && <MoveModal p={p} onClose={() => setModal(null)} onDone={done} />}
      {modal === 'merge' && <MergeModal p={p} onClose={() => setModal(null)} onDone={done} />}
      {modal === 'glass' && (
        <BreakGlassModal
          personId={p.id}
          onClose={() => setModal(null)}
          onDone={(until) => {
            setGrantUntil(until);
            done();
          }}
        />
      )}
      {modal === 'household' && <HouseholdModal p={p} onClose={() => setModal(null)} onDone={done} />}
      {modal === 'special' && <SpecialEntryModal personId={p.id} onClose={() => setModal(null)} onSaved={done} />}
    </Space>
  );
}

function HomeTab({ p, onEdit }: { p: TPersonDetail; onEdit?: () => void }) {
  const { t, label } = useI18n();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Typography.Text strong>
          {t('person.household')}
          {p.household?.number ? `（${t('person.householdNo')} ${p.household.number}）` : ''}
        </Typography.Text>
        {onEdit && (
          <Button size="small" onClick={onEdit} data-testid="household-edit">
            {t('person.householdEdit')}
          </Button>
        )}
      </Space>
      {p.household ? (
        <Table
          rowKey="personId"
          size="small"
          pagination={false}
          dataSource={p.household.members}
          columns={[
            {
              title: t('person.name'),
              dataIndex: 'name',
              render: (v: string, m) => (m.personId === p.id ? <strong>{v}</strong> : <Link to={`/persons/${m.personId}`}>{v}</Link>),
            },
            { title: t('person.relationToHead'), dataIndex: 'relation', render: (v: keyof typeof relationToHeadLabels) => label(relationToHeadLabels[v]) },
            { title: t('person.sex'), dataIndex: 'sex', render: (v: keyof typeof sexLabels) => label(sexLabels[v]) },
            { title: t('person.age'), dataIndex: 'age', render: (v: number | null) => v ?? '—' },
          ]}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('person.noHousehold')} />
      )}
      <Typography.Text strong>{t('person.residence')}</Typography.Text>
      <Table
        rowKey={(_, i) => String(i)}
        size="small"
        pagination={false}
        dataSource={p.residence}
        locale={{ emptyText: t('person.noResidence') }}
        columns={[
          {
            title: t('reg.address'),
            dataIndex: 'address',
            render: (v: string | null, r) => (r.houseId ? <Link to={`/houses/${r.houseId}`}>{v ?? r.houseId}</Link> : (v ?? '—')),
          },
          { title: t('reg.grid'), dataIndex: 'gridName', render: (v: string | null) => v ?? '—' },
          {
            title: t('person.houseRelation'),
            dataIndex: 'relation',
            width: 90,
            render: (v: keyof typeof houseRelationLabels) => label(houseRelationLabels[v]),
          },
          { title: t('person.since'), dataIndex: 'since', width: 110, render: (v: string | null) => formatDate(v) || '—' },
          {
            title: t('person.until'),
            dataIndex: 'until',
            width: 110,
            render: (v: string | null) => (v ? formatDate(v) : <Tag color="green">{t('person.current')}</Tag>),
          },
        ]}
      />
    </Space>
  );
}

export function SpecialTable({ entries, showPerson, onChanged }: { entries: TSpecialEntry[]; showPerson?: boolean; onChanged?: () => void }) {
  const { t, label } = useI18n();
  const [ending, setEnding] = useState<TSpecialEntry | null>(null);
  return (
    <>
      <Table<TSpecialEntry>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={entries}
        locale={{ emptyText: t('special.none') }}
        scroll={{ x: 760 }}
        columns={[
          ...(showPerson
            ? [
                {
                  title: t('person.name'),
                  dataIndex: 'personName',
                  width: 90,
                  render: (v: string, e: TSpecialEntry) => <Link to={`/persons/${e.personId}`}>{v}</Link>,
                },
              ]
            : []),
          {
            title: t('special.type'),
            dataIndex: 'typeCode',
            width: 150,
            render: (v: string, e) => (
              <Space size={2} wrap>
                {label(specialGroupByCode.get(v), v)}
                {e.viaBreakGlass && <Tag color="red">{t('bg.tag')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('special.level'),
            dataIndex: 'level',
            width: 90,
            render: (v: TSpecialEntry['level']) => (
              <Tag color={['high', 'urgent'].includes(v) ? 'red' : ['medium', 'priority'].includes(v) ? 'orange' : 'default'}>
                {label(specialLevelLabels[v])}
              </Tag>
            ),
          },
          {
            title: t('special.sensitivity'),
            dataIndex: 'sensitivity',
            width: 90,
            render: (v: TSpecialEntry['sensitivity']) => <Tag color={v === 3 ? 'magenta' : v === 2 ? 'gold' : 'default'}>{label(sensitivityLabels[v])}</Tag>,
          },
          { title: t('special.fields'), key: 'fields', render: (_, e) => <SpecialFieldsView typeCode={e.typeCode} fields={e.fields} /> },
          { title: t('person.since'), dataIndex: 'since', width: 100, render: (v: string | null) => formatDate(v) || '—' },
          { title: t('person.until'), dataIndex: 'until', width: 100, render: (v: string | null) => formatDate(v) || '—' },
          ...(onChanged
            ? [
                {
                  title: t('common.actions'),
                  key: 'end',
                  width: 80,
                  render: (_: unknown, e: TSpecialEntry) =>
                    e.until ? null : (
                      <Button size="small" type="link" onClick={() => setEnding(e)}>
                        {t('special.end')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      {ending && onChanged && (
        <EndEntryModal
          entry={ending}
          onClose={() => setEnding(null)}
          onDone={() => {
            setEnding(null);
            onChanged();
          }}
        />
      )}
    </>
  );
}

function EndEntryModal({ entry, onClose, onDone }: { entry: TSpecialEntry; onClose(): void; onDone(): void }) {
  const { t, label } = useI18n();
  const [form] = Form.useForm<{ until?: string; note?: string }>();
  return (
    <ActionModal
      open
      title={t('special.endTitle', { type: label(specialGroupByCode.get(entry.typeCode), entry.typeCode), name: entry.personName })}
      onClose={onClose}
      onOk={async () => {
        const v = form.getFieldsValue();
        await specialApi.end(entry.id, { until: v.until || undefined, note: v.note?.trim() || undefined });
        onDone();
      }}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="until" label={t('person.until')} extra={t('special.endHint')} {...dateItemProps}>
          <DateInput />
        </Form.Item>
        <Form.Item name="note" label={t('reg.note')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </ActionModal>
  );
}

function VerifyModal({ onClose, run }: { onClose(): void; run(note?: string): Promise<void> }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  return (
    <ActionModal open title={t('reg.verifyTitle')} onClose={onClose} onOk={() => run(note.trim() || undefined)} okText={t('reg.verify')}>
      <Typography.Paragraph type="secondary">{t('reg.verifyIntro')}</Typography.Paragraph>
      <Input.TextArea
        aria-label={t('reg.note')}
        placeholder={t('reg.verifyNote')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        maxLength={200}
        rows={2}
      />
    </ActionModal>
  );
}

function MoveModal({ p, onClose, onDone }: { p: TPersonDetail; onClose(): void; onDone(): void }) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<{ houseId?: string; gridId?: string; relation: string; since: string; note?: string }>();
  const relation = useCodeOptions(houseRelationLabels);
  const houseId = Form.useWatch('houseId', form);
  const [error, setError] = useState<string | null>(null);
  return (
    <ActionModal
      open
      title={t('person.moveTitle', { name: p.name })}
      onClose={onClose}
      onOk={async () => {
        const v = await form.validateFields().catch(() => {
          throw new Error('invalid');
        });
        try {
          await personsApi.move(p.id, {
            houseId: v.houseId || undefined,
            gridId: v.houseId ? undefined : v.gridId || undefined,
            relation: v.relation as never,
            since: v.since,
            note: v.note?.trim() || undefined,
          });
          onDone();
        } catch (e) {
          const r = splitServerErrors(e, ['houseId', 'gridId', 'relation', 'since', 'note'], locale, { LOCATION_REQUIRED: 'houseId' });
          form.setFields(r.byField as never);
          setError(r.rest);
          throw new Error('invalid');
        }
      }}
    >
      <Typography.Paragraph type="secondary">{t('person.moveIntro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical" initialValues={{ relation: 'resident' }}>
        <Form.Item name="houseId" label={t('person.newHouse')}>
          <HouseSelect />
        </Form.Item>
        {!houseId && (
          <Form.Item name="gridId" label={t('person.newGrid')}>
            <GridSelect />
          </Form.Item>
        )}
        <Form.Item name="relation" label={t('person.houseRelation')}>
          <Select options={relation} />
        </Form.Item>
        <Form.Item name="since" label={t('person.moveSince')} rules={[{ required: true, message: t('common.required') }]} {...dateItemProps}>
          <DateInput />
        </Form.Item>
        <Form.Item name="note" label={t('reg.note')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </ActionModal>
  );
}

function MergeModal({ p, onClose, onDone }: { p: TPersonDetail; onClose(): void; onDone(): void }) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<{ duplicateId: string; reason: string }>();
  const [error, setError] = useState<string | null>(null);
  return (
    <ActionModal
      open
      okDanger
      title={t('person.mergeTitle', { name: p.name })}
      okText={t('person.merge')}
      onClose={onClose}
      onOk={async () => {
        const v = await form.validateFields().catch(() => {
          throw new Error('invalid');
        });
        try {
          await personsApi.merge(p.id, { duplicateId: v.duplicateId, reason: v.reason.trim() });
          onDone();
        } catch (e) {
          const r = splitServerErrors(e, ['duplicateId', 'reason'], locale);
          form.setFields(r.byField as never);
          setError(r.rest);
          throw new Error('invalid');
        }
      }}
    >
      <Typography.Paragraph type="secondary">{t('person.mergeIntro', { name: p.name })}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="duplicateId" label={t('person.duplicateRecord')} rules={[{ required: true, message: t('common.required') }]}>
          <PersonSelect exclude={p.id} />
        </Form.Item>
        <Form.Item name="reason" label={t('reg.reason')} rules={[{ required: true, min: 4, message: t('reg.reasonMin', { n: 4 }) }]}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </ActionModal>
  );
}

/** 紧急查看: a reason and a duration; the grant is audited and goes to a supervisor for review. */
function BreakGlassModal({ personId, onClose, onDone }: { personId: string; onClose(): void; onDone(expiresAt: string): void }) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<{ reason: string; minutes: number }>();
  const [error, setError] = useState<string | null>(null);
  return (
    <ActionModal
      open
      okDanger
      title={t('bg.title')}
      okText={t('bg.confirm')}
      onClose={onClose}
      onOk={async () => {
        const v = await form.validateFields().catch(() => {
          throw new Error('invalid');
        });
        try {
          const grant = await breakGlassApi.open({ personId, reason: v.reason.trim(), minutes: v.minutes });
          onDone(grant.expiresAt);
        } catch (e) {
          const r = splitServerErrors(e, ['reason', 'minutes'], locale);
          form.setFields(r.byField as never);
          setError(r.rest);
          throw new Error('invalid');
        }
      }}
    >
      <Alert type="warning" showIcon title={t('bg.warn')} style={{ marginBottom: 12 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical" initialValues={{ minutes: 60 }}>
        <Form.Item name="reason" label={t('reg.reason')} rules={[{ required: true, whitespace: true, min: 10, message: t('reg.reasonMin', { n: 10 }) }]}>
          <Input.TextArea rows={3} maxLength={500} placeholder={t('bg.reasonPlaceholder')} />
        </Form.Item>
        <Form.Item name="minutes" label={t('bg.duration')}>
          <Select
            options={[15, 30, 60, 120, 240].map((m) => ({ value: m, label: t('bg.minutes', { n: m }) }))}
            style={{ width: 160 }}
            aria-label={t('bg.duration')}
          />
        </Form.Item>
      </Form>
    </ActionModal>
  );
}
