import { DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { type HolidayYear, LimitUnit, limitUnitLabels } from '@gridgov/contracts/calendar';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Input, InputNumber, Row, Select, Space, Tag, TimePicker, Typography, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useAuth, useMe } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { describeError } from '../../grids/serverText';
import { calendarApi, fromHolidayCn } from '../api';
import { YearCalendar } from './YearCalendar';

/** 工作日历: holidays and 调休 per year, office hours per jurisdiction, and a deadline preview on them. */
export default function CalendarPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const years = useQuery({ queryKey: ['calendar', 'years'], queryFn: () => calendarApi.years() });
  const [year, setYear] = useState<number | null>(null);
  useEffect(() => {
    if (year === null && years.data) setYear(new Date().getFullYear());
  }, [years.data, year]);
  const current = years.data?.items.find((y) => y.year === year);

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card title={t('nav.calendar')}>
        {years.error && <QueryError error={years.error} />}
        {years.data && (
          <Space wrap style={{ marginBottom: 12 }}>
            <Select
              value={year ?? undefined}
              onChange={setYear}
              style={{ width: 200 }}
              aria-label={t('cal.year')}
              data-testid="cal-year"
              options={years.data.items.map((y) => ({ value: y.year, label: `${y.year} · ${t(`cal.origin.${y.origin}`)}` }))}
            />
            {current && <OriginTag y={current} />}
          </Space>
        )}
        {current && <YearEditor key={`${current.year}-${current.updatedAt}`} y={current} editable={can('system.configure')} />}
      </Card>
      <Row gutter={12}>
        <Col xs={24} lg={12}>
          <OfficeHoursCard />
        </Col>
        <Col xs={24} lg={12}>
          <DeadlineCard />
        </Col>
      </Row>
    </Space>
  );
}

function OriginTag({ y }: { y: HolidayYear }) {
  const { t } = useI18n();
  if (y.origin === 'missing') return <Alert type="warning" showIcon title={t('cal.missing', { year: y.year })} data-testid="cal-missing" />;
  return (
    <Typography.Text type="secondary">
      <Tag color={y.origin === 'shipped' ? 'blue' : 'gold'}>{t(`cal.origin.${y.origin}`)}</Tag>
      {y.source}
      {y.updatedBy ? ` · ${y.updatedBy} ${dayjs(y.updatedAt).format('YYYY-MM-DD HH:mm')}` : ''}
    </Typography.Text>
  );
}

/** The year's days; an administrator toggles days or loads a holiday-cn JSON file, names the source, saves. */
function YearEditor({ y, editable }: { y: HolidayYear; editable: boolean }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [off, setOff] = useState(() => new Set(y.offDays));
  const [work, setWork] = useState(() => new Set(y.workDays));
  const [source, setSource] = useState(y.source ?? '');
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = (date: string) => {
    const weekend = [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
    const o = new Set(off);
    const w = new Set(work);
    if (o.has(date)) {
      o.delete(date);
      if (weekend) w.add(date);
    } else if (w.has(date)) w.delete(date);
    else o.add(date);
    setOff(o);
    setWork(w);
    setDirty(true);
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await calendarApi.setYear(y.year, { source, offDays: [...off].sort(), workDays: [...work].sort() });
      message.success(t('cal.saved', { year: y.year }));
      setDirty(false);
      void qc.invalidateQueries({ queryKey: ['calendar'] });
    } catch (e) {
      setError(describeError(e, locale));
    } finally {
      setBusy(false);
    }
  };

  const load = async (file: File) => {
    try {
      const r = fromHolidayCn(JSON.parse(await file.text()));
      if (r.year !== y.year) throw new Error(t('cal.importWrongYear', { file: r.year, year: y.year }));
      setOff(new Set(r.offDays));
      setWork(new Set(r.workDays));
      setSource(`holiday-cn ${file.name}${r.names.length ? `（${r.names.join('、')}）` : ''}`);
      setDirty(true);
      setError(null);
    } catch (e) {
      setError(t('cal.importFailed', { message: (e as Error).message }));
    }
    return false;
  };

  return (
    <Space orientation="vertical" size={10} style={{ width: '100%' }}>
      <Space wrap>
        <Tag color="red">{t('cal.countOff', { n: off.size })}</Tag>
        <Tag color="blue">{t('cal.countWork', { n: work.size })}</Tag>
        {editable && <Typography.Text type="secondary">{t('cal.toggleHint')}</Typography.Text>}
      </Space>
      <YearCalendar year={y.year} offDays={off} workDays={work} onToggle={editable ? toggle : undefined} />
      {editable && (
        <Space wrap>
          <Input
            value={source}
            onChange={(e) => {
              setSource(e.target.value);
              setDirty(true);
            }}
            placeholder={t('cal.sourcePlaceholder')}
            style={{ width: 360 }}
            aria-label={t('cal.source')}
          />
          <Upload accept=".json,application/json" showUploadList={false} beforeUpload={(f) => load(f)}>
            <Button icon={<UploadOutlined />}>{t('cal.importJson')}</Button>
          </Upload>
          <Button type="primary" disabled={!dirty} loading={busy} onClick={() => void save()} data-testid="cal-save">
            {t('common.save')}
          </Button>
        </Space>
      )}
      {error && <Alert type="error" showIcon title={error} />}
    </Space>
  );
}

function OfficeHoursCard() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const me = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [regionId, setRegionId] = useState<string | undefined>(me.viewScope[0]?.regionId);
  const q = useQuery({ queryKey: ['calendar', 'office-hours', regionId], queryFn: () => calendarApi.officeHours(regionId as string), enabled: !!regionId });
  const [periods, setPeriods] = useState<[string, string][]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (q.data) setPeriods(q.data.periods);
  }, [q.data]);
  const editable = can('region.manage');
  const fmt = (d: Dayjs | null) => (d ? d.format('HH:mm') : '');

  const save = async () => {
    if (!regionId) return;
    setBusy(true);
    setError(null);
    try {
      await calendarApi.setOfficeHours(regionId, periods);
      message.success(t('cal.hoursSaved'));
      void qc.invalidateQueries({ queryKey: ['calendar', 'office-hours'] });
    } catch (e) {
      setError(describeError(e, locale));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('cal.officeHours')} size="small" data-testid="office-hours">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <RegionTreeSelect
          value={regionId}
          onChange={(v) => setRegionId(v)}
          style={{ width: '100%' }}
          aria-label={t('cal.region')}
          placeholder={t('cal.region')}
        />
        {q.data && (
          <Typography.Text type="secondary">
            {q.data.source ? (q.data.source.own ? t('cal.hoursOwn') : t('cal.hoursInherited', { name: q.data.source.name })) : t('cal.hoursDefault')}
          </Typography.Text>
        )}
        {periods.map(([a, b], i) => (
          <Space key={`${a}-${b}`}>
            <TimePicker.RangePicker
              format="HH:mm"
              minuteStep={5}
              disabled={!editable}
              value={[dayjs(`2000-01-01T${a}`), dayjs(`2000-01-01T${b}`)]}
              onChange={(v) => v?.[0] && v[1] && setPeriods(periods.map((p, j) => (j === i ? [fmt(v[0]), fmt(v[1])] : p)))}
              aria-label={t('cal.period', { n: i + 1 })}
            />
            {editable && periods.length > 1 && (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('common.delete')}
                onClick={() => setPeriods(periods.filter((_, j) => j !== i))}
              />
            )}
          </Space>
        ))}
        {editable && (
          <Space>
            <Button icon={<PlusOutlined />} disabled={periods.length >= 4} onClick={() => setPeriods([...periods, ['18:00', '20:00']])}>
              {t('cal.addPeriod')}
            </Button>
            <Button type="primary" loading={busy} disabled={!regionId} onClick={() => void save()}>
              {t('common.save')}
            </Button>
          </Space>
        )}
        {error && <Alert type="error" showIcon title={error} />}
      </Space>
    </Card>
  );
}

function DeadlineCard() {
  const { t, label } = useI18n();
  const me = useMe();
  const [start, setStart] = useState<Dayjs | null>(dayjs());
  const [amount, setAmount] = useState<number | null>(3);
  const [unit, setUnit] = useState<LimitUnit>('working_days');
  const [regionId, setRegionId] = useState<string | undefined>(me.viewScope[0]?.regionId);
  const params = useMemo(
    () => (start && amount ? { start: start.format('YYYY-MM-DDTHH:mm:ssZ'), amount, unit, regionId } : null),
    [start, amount, unit, regionId],
  );
  const q = useQuery({
    queryKey: ['calendar', 'deadline', params],
    queryFn: () => calendarApi.deadline(params as NonNullable<typeof params>),
    enabled: !!params,
  });
  return (
    <Card title={t('cal.preview')} size="small" data-testid="deadline-preview">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" value={start} onChange={setStart} aria-label={t('cal.start')} />
          <InputNumber min={0.5} max={2000} step={0.5} value={amount} onChange={setAmount} style={{ width: 90 }} aria-label={t('cal.amount')} />
          <Select
            value={unit}
            onChange={setUnit}
            style={{ width: 120 }}
            options={LimitUnit.options.map((u) => ({ value: u, label: label(limitUnitLabels[u]) }))}
            aria-label={t('cal.unit')}
          />
        </Space>
        <RegionTreeSelect
          value={regionId}
          onChange={(v) => setRegionId(v)}
          style={{ width: '100%' }}
          aria-label={t('cal.region')}
          placeholder={t('cal.region')}
        />
        {q.error && <QueryError error={q.error} />}
        {q.data && (
          <>
            <Typography.Text strong data-testid="deadline-due">
              {q.data.due ? t('cal.due', { due: dayjs(q.data.due).format('YYYY-MM-DD HH:mm') }) : t('cal.noDue')}
            </Typography.Text>
            {q.data.warnings.map((w) => (
              <Alert key={w.year} type="warning" showIcon title={w.message} />
            ))}
          </>
        )}
      </Space>
    </Card>
  );
}
