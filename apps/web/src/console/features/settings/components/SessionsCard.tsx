import type { SessionInfo } from '@gridgov/contracts/auth';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Popconfirm, Table, Tag, Typography } from 'antd';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { sessionKeys, sessionsApi } from '../api';

/** A short device name from a user-agent string; the full string is in the tooltip. */
function device(ua: string | null): string {
  if (!ua) return '—';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Chrome\//.test(ua)
      ? 'Chrome'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Safari\//.test(ua)
          ? 'Safari'
          : /MicroMessenger/.test(ua)
            ? 'WeChat'
            : '';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return [browser, os].filter(Boolean).join(' · ') || ua.slice(0, 40);
}

export function SessionsCard() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const q = useQuery({ queryKey: sessionKeys.list, queryFn: sessionsApi.list });

  const revoke = async (s: SessionInfo) => {
    try {
      await sessionsApi.revoke(s.id);
      message.success(t('settings.revoked'));
      await q.refetch();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <Card
      title={t('settings.sessions')}
      extra={<Typography.Text type="secondary">{t('settings.sessionsHint')}</Typography.Text>}
      styles={{ body: { padding: 0 } }}
    >
      {q.error ? (
        <div style={{ padding: 12 }}>
          <QueryError error={q.error} retry={() => void q.refetch()} />
        </div>
      ) : (
        <Table<SessionInfo>
          rowKey="id"
          size="small"
          loading={q.isLoading}
          dataSource={q.data ?? []}
          pagination={false}
          columns={[
            { title: t('settings.device'), dataIndex: 'userAgent', render: (ua: string | null) => <span title={ua ?? ''}>{device(ua)}</span> },
            { title: t('settings.ip'), dataIndex: 'ip', width: 140, render: (v: string | null) => v ?? '—' },
            { title: t('settings.createdAt'), dataIndex: 'createdAt', width: 160, render: formatDateTime },
            { title: t('settings.lastSeen'), dataIndex: 'lastSeenAt', width: 160, render: formatDateTime },
            {
              title: t('common.actions'),
              key: 'a',
              width: 110,
              render: (_, s) =>
                s.current ? (
                  <Tag color="blue">{t('settings.current')}</Tag>
                ) : (
                  <Popconfirm title={t('settings.revokeConfirm')} onConfirm={() => revoke(s)}>
                    <Button type="link" size="small" danger>
                      {t('settings.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      )}
    </Card>
  );
}
