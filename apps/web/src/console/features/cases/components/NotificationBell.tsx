import { BellOutlined } from '@ant-design/icons';
import { type Notification, notificationKindLabels } from '@gridgov/contracts/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Empty, List, Popover, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../../../common/api/client';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';

type Page = { items: Notification[]; total: number };
const keys = { count: ['notifications', 'count'] as const, list: ['notifications', 'list'] as const };
const kindColor: Record<string, string> = { sla_yellow: 'orange', sla_red: 'red', urge: 'volcano', supervise: 'gold', progress: 'blue' };

/** The bell in the header: unread count (polled each minute), the latest notifications, a click opens the case. */
export function NotificationBell() {
  const { t, label } = useI18n();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const count = useQuery({
    queryKey: keys.count,
    queryFn: () => api.get<{ unread: number }>('/api/notifications/unread-count'),
    refetchInterval: 60_000,
    staleTime: 10_000,
  });
  const list = useQuery({ queryKey: keys.list, queryFn: () => api.get<Page>('/api/notifications', { limit: 12 }), enabled: open });
  const unread = count.data?.unread ?? 0;

  const openOne = async (n: Notification) => {
    if (!n.readAt) {
      await api.post(`/api/notifications/${n.id}/read`).catch(() => undefined);
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    }
    setOpen(false);
    if (n.caseId) navigate(`/cases/${n.caseId}`);
  };

  const content = (
    <div style={{ width: 360, maxHeight: 420, overflow: 'auto' }} data-testid="notification-list">
      {list.data && list.data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notice.none')} />
      ) : (
        <List<Notification>
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          renderItem={(n) => (
            <List.Item
              onClick={() => void openOne(n)}
              style={{ cursor: 'pointer', background: n.readAt ? undefined : '#f0f5ff', paddingInline: 8 }}
              data-testid="notification-item"
            >
              <div style={{ width: '100%' }}>
                <div style={{ display: 'flex', gap: 6, alignItems: 'flex-start' }}>
                  <Tag color={kindColor[n.kind] ?? 'default'} style={{ marginInlineEnd: 0 }}>
                    {label(notificationKindLabels[n.kind as keyof typeof notificationKindLabels], n.kind)}
                  </Tag>
                  <Typography.Text strong={!n.readAt} style={{ flex: 1, wordBreak: 'break-all' }}>
                    {n.title}
                  </Typography.Text>
                </div>
                <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: '2px 0 0', fontSize: 12 }}>
                  {n.body}
                </Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                  {formatDateTime(n.createdAt)}
                  {n.caseNo && !n.title.includes(n.caseNo) ? ` · ${n.caseNo}` : ''}
                  {!n.personal && n.orgUnitName ? ` · ${n.orgUnitName}` : ''}
                </Typography.Text>
              </div>
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) void qc.invalidateQueries({ queryKey: ['notifications'] });
      }}
      title={`${t('notice.title')}${unread ? ` · ${t('notice.unread', { n: unread })}` : ''}`}
      content={content}
    >
      <Badge count={unread} size="small" overflowCount={99} data-testid="notification-count">
        <Button type="text" icon={<BellOutlined />} aria-label={t('notice.title')} data-testid="notification-bell" />
      </Badge>
    </Popover>
  );
}
