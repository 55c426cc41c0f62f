import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { populationTypeLabels, sexLabels } from '@gridgov/contracts/registry-codes';
import { specialGroupByCode, specialGroupTypes } from '@gridgov/contracts/special-groups';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Select, Space, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { type PersonFilters, personsApi, regKeys, type TPerson } from '../api';
import { FilterSelect, FreshTag, GridSelect, pagination, useCodeOptions } from './common';
import { PersonFormDrawer } from './PersonFormDrawer';

/** Which register types the caller may see at all (the server filters again). */
export function useVisibleTypes() {
  const { can } = useAuth();
  return specialGroupTypes.filter(
    (g) => g.sensitivity === 1 || (g.sensitivity === 2 && can('special.sensitive')) || (g.sensitivity === 3 && can('special.restricted')),
  );
}

/** 人口: find a person by name (fuzzy), 身份证号, phone, address, grid, tag, type or register. */
export default function PersonsPage() {
  const { t, label } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<PersonFilters>({ limit: 20, offset: 0 });
  const [draft, setDraft] = useState<{ q?: string; idNumber?: string; phone?: string; address?: string; tag?: string }>({});
  const [more, setMore] = useState(false);
  const [creating, setCreating] = useState(false);
  const popOptions = useCodeOptions(populationTypeLabels);
  const types = useVisibleTypes();
  const q = useQuery({ queryKey: regKeys.persons(filters), queryFn: () => personsApi.list(filters), placeholderData: keepPreviousData });

  const apply = (patch: Partial<PersonFilters> = {}) =>
    setFilters({
      ...filters,
      q: draft.q?.trim() || undefined,
      idNumber: draft.idNumber?.trim() || undefined,
      phone: draft.phone?.trim() || undefined,
      address: draft.address?.trim() || undefined,
      tag: draft.tag?.trim() || undefined,
      ...patch,
      offset: 0,
    });
  const text = (key: keyof typeof draft, placeholder: string, width: number) => (
    <Input
      aria-label={placeholder}
      placeholder={placeholder}
      allowClear
      value={draft[key]}
      onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
      onPressEnter={() => apply()}
      style={{ width }}
    />
  );

  return (
    <Card
      title={t('nav.persons')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} aria-label={t('common.refresh')} />
          {can('registry.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('person.create')}
            </Button>
          )}
        </Space>
      }
    >
      <Space wrap size={8} style={{ marginBottom: 10 }}>
        {text('q', t('person.searchName'), 150)}
        {text('idNumber', t('person.idNumber'), 190)}
        {text('phone', t('person.phone'), 140)}
        <Button type="primary" onClick={() => apply()} data-testid="person-search">
          {t('common.search')}
        </Button>
        <Button type="link" onClick={() => setMore(!more)}>
          {more ? t('reg.lessFilters') : t('reg.moreFilters')}
        </Button>
        <Button
          onClick={() => {
            setDraft({});
            setFilters({ limit: filters.limit, offset: 0 });
          }}
        >
          {t('common.reset')}
        </Button>
      </Space>
      {more && (
        <Space wrap size={8} style={{ marginBottom: 10 }}>
          {text('address', t('reg.address'), 200)}
          {text('tag', t('person.tag'), 110)}
          <RegionTreeSelect
            aria-label={t('reg.region')}
            placeholder={t('reg.region')}
            value={filters.regionId}
            onChange={(regionId) => setFilters({ ...filters, regionId, offset: 0 })}
            style={{ width: 180 }}
          />
          <GridSelect value={filters.gridId} onChange={(gridId) => setFilters({ ...filters, gridId, offset: 0 })} style={{ width: 200 }} />
          <FilterSelect
            label={t('person.populationType')}
            value={filters.populationType}
            onChange={(populationType) => setFilters({ ...filters, populationType, offset: 0 })}
            options={popOptions}
            width={130}
          />
          <Select
            aria-label={t('person.register')}
            placeholder={t('person.register')}
            allowClear
            value={filters.register}
            onChange={(register) => setFilters({ ...filters, register, offset: 0 })}
            options={types.map((g) => ({ value: g.code, label: label(g) }))}
            style={{ width: 170 }}
            popupMatchSelectWidth={false}
          />
        </Space>
      )}
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      {q.data?.totalIsLowerBound && <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t('person.manyHits')} />}
      <Table<TPerson>
        rowKey="id"
        size="small"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 1120 }}
        onRow={(p) => ({ onDoubleClick: () => navigate(`/persons/${p.id}`) })}
        pagination={pagination(t, filters, q.data?.total ?? 0, (offset, limit) => setFilters({ ...filters, offset, limit }))}
        columns={[
          {
            title: t('person.name'),
            dataIndex: 'name',
            width: 110,
            ellipsis: true,
            fixed: 'left',
            render: (v: string, p) => (
              <Link to={`/persons/${p.id}`} data-testid="person-link">
                {v}
              </Link>
            ),
          },
          {
            title: t('person.sexAge'),
            key: 'sa',
            width: 92,
            render: (_, p) => `${label(sexLabels[p.sex])}${p.age === null ? '' : ` ${t('person.ageN', { n: p.age })}`}`,
          },
          {
            title: t('person.idNumber'),
            dataIndex: 'idNumberMasked',
            width: 165,
            render: (v: string | null) => <span style={{ fontFamily: 'monospace' }}>{v ?? '—'}</span>,
          },
          {
            title: t('person.phone'),
            dataIndex: 'phoneMasked',
            width: 110,
            render: (v: string | null) => <span style={{ fontFamily: 'monospace' }}>{v ?? '—'}</span>,
          },
          {
            title: t('person.populationType'),
            dataIndex: 'populationType',
            width: 100,
            render: (v: TPerson['populationType']) => label(populationTypeLabels[v]),
          },
          {
            title: t('reg.grid'),
            dataIndex: 'gridName',
            width: 130,
            ellipsis: true,
            render: (v: string, p) => <Tooltip title={`${p.communityName} · ${p.gridCode}`}>{v}</Tooltip>,
          },
          { title: t('reg.address'), dataIndex: 'address', ellipsis: { showTitle: true }, render: (v: string | null) => v ?? '—' },
          {
            title: t('person.registers'),
            dataIndex: 'registers',
            width: 150,
            render: (v: string[], p) => (
              <>
                {v.map((c) => (
                  <Tag key={c} color="volcano" style={{ marginBottom: 2 }}>
                    {label(specialGroupByCode.get(c), c)}
                  </Tag>
                ))}
                {p.tags.map((tag) => (
                  <Tag key={`t-${tag}`}>{tag}</Tag>
                ))}
              </>
            ),
          },
          { title: t('reg.freshness'), key: 'fresh', width: 80, render: (_, p) => <FreshTag stale={p.stale} verifiedAt={p.verifiedAt} /> },
        ]}
      />
      {creating && (
        <PersonFormDrawer
          person={null}
          onClose={() => setCreating(false)}
          onSaved={(p) => {
            setCreating(false);
            navigate(`/persons/${p.id}`);
          }}
        />
      )}
    </Card>
  );
}
