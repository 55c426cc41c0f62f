import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { type GridDetail, StaffDuty, staffDutyLabels } from '@gridgov/contracts/grids';
import type { UserSummary } from '@gridgov/contracts/users';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Modal, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { usersApi } from '../../users/api';
import { gridsApi } from '../api';
import { describeError } from '../serverText';

type Duty = GridDetail['staff'][number]['duty'];
interface Row {
  key: string;
  userId: string | null;
  name: string;
  duty: Duty;
  since: string;
}

/**
 * 网格人员: grid leader, full- and part-time workers, liaisons and building heads (one person may serve
 * several grids). Users are searched within the caller's own scope (GET /api/users); PUT replaces the list.
 */
export function StaffModal({ grid, open, onClose, onSaved }: { grid: GridDetail; open: boolean; onClose: () => void; onSaved: (g: GridDetail) => void }) {
  const { t, label, locale } = useI18n();
  const { message } = App.useApp();
  const [rows, setRows] = useState<Row[]>(() =>
    grid.staff.map((s, i) => ({ key: `${s.userId}-${s.duty}-${i}`, userId: s.userId, name: s.displayName, duty: s.duty, since: s.since })),
  );
  const [search, setSearch] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const users = useQuery({
    queryKey: ['users', 'staff-picker', grid.communityId, search],
    queryFn: () => usersApi.list({ q: search || undefined, limit: 20, offset: 0, disabled: 'false' }),
    enabled: open,
  });
  const options = (users.data?.items ?? []).map((u: UserSummary) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }));
  const update = (key: string, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const save = async () => {
    const incomplete = rows.find((r) => !r.userId);
    if (incomplete) {
      setError(t('staff.pickUser'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const g = await gridsApi.setStaff(grid.id, { staff: rows.map((r) => ({ userId: r.userId as string, duty: r.duty, since: r.since })) });
      message.success(t('staff.saved'));
      onSaved(g);
    } catch (e) {
      setError(describeError(e, locale));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      width={720}
      title={t('staff.title', { name: grid.name })}
      onCancel={onClose}
      onOk={() => void save()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('staff.hint')}
      </Typography.Paragraph>
      <Table<Row>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        data-testid="staff-table"
        locale={{ emptyText: t('grid.noStaff') }}
        columns={[
          {
            title: t('staff.person'),
            render: (_, r) => (
              <Select
                showSearch
                style={{ width: 240 }}
                value={r.userId ?? undefined}
                placeholder={t('staff.pickUser')}
                filterOption={false}
                onSearch={setSearch}
                loading={users.isFetching}
                options={r.userId && !options.some((o) => o.value === r.userId) ? [{ value: r.userId, label: r.name }, ...options] : options}
                onChange={(v, o) => update(r.key, { userId: v, name: (Array.isArray(o) ? o[0]?.label : o?.label) ?? '' })}
                aria-label={t('staff.person')}
              />
            ),
          },
          {
            title: t('staff.duty'),
            width: 150,
            render: (_, r) => (
              <Select
                style={{ width: 140 }}
                value={r.duty}
                options={StaffDuty.options.map((d) => ({ value: d, label: label(staffDutyLabels[d]) }))}
                onChange={(v) => update(r.key, { duty: v })}
                aria-label={t('staff.duty')}
              />
            ),
          },
          {
            title: t('staff.since'),
            width: 150,
            render: (_, r) => (
              <DatePicker
                allowClear={false}
                value={dayjs(r.since)}
                disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                onChange={(d) => d && update(r.key, { since: d.format('YYYY-MM-DD') })}
                aria-label={t('staff.since')}
              />
            ),
          },
          {
            width: 48,
            render: (_, r) => (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('common.delete')}
                onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
              />
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 8 }}>
        <Button
          icon={<PlusOutlined />}
          onClick={() =>
            setRows((rs) => [...rs, { key: `new-${Date.now()}-${rs.length}`, userId: null, name: '', duty: 'full_time', since: dayjs().format('YYYY-MM-DD') }])
          }
          data-testid="staff-add"
        >
          {t('staff.add')}
        </Button>
      </Space>
      {error && <Alert style={{ marginTop: 8 }} type="error" showIcon title={error} />}
    </Modal>
  );
}
