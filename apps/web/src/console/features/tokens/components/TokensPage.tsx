import { PlusOutlined } from '@ant-design/icons';
import type { ApiTokenInfo, CreatedApiToken } from '@gridgov/contracts/auth';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { formatDateTime } from '../../../../common/format';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { QueryError } from '../../../components/QueryError';
import { tokenKeys, tokensApi } from '../api';
import { CreateTokenModal } from './CreateTokenModal';

function status(tk: ApiTokenInfo): 'revoked' | 'expired' | 'active' {
  if (tk.revokedAt) return 'revoked';
  if (tk.expiresAt && new Date(tk.expiresAt).getTime() < Date.now()) return 'expired';
  return 'active';
}
const statusColor = { active: 'green', revoked: 'default', expired: 'orange' } as const;

/** API 令牌: for the 12345 hotline, IoT and upper-level platforms; the secret is shown once. */
export default function TokensPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const q = useQuery({ queryKey: tokenKeys.list, queryFn: tokensApi.list });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  const revoke = async (tk: ApiTokenInfo) => {
    try {
      await tokensApi.revoke(tk.id);
      message.success(t('token.revokedMsg'));
      await q.refetch();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <Card
      title={t('nav.tokens')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('token.create')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('token.intro')}</Typography.Paragraph>
      {q.error && <QueryError error={q.error} retry={() => void q.refetch()} />}
      <Table<ApiTokenInfo>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        columns={[
          { title: t('token.name'), dataIndex: 'name' },
          { title: t('token.prefix'), dataIndex: 'prefix', width: 120, render: (p: string) => <code>{p}</code> },
          {
            title: t('token.permissions'),
            dataIndex: 'permissions',
            render: (ps: ApiTokenInfo['permissions']) => ps.map((p) => <Tag key={p}>{t(`perm.${p}`)}</Tag>),
          },
          { title: t('token.regions'), dataIndex: 'regionIds', width: 80, render: (ids: string[]) => ids.length },
          {
            title: t('token.createdAt'),
            dataIndex: 'createdAt',
            width: 150,
            render: (v: string, tk) => <span title={tk.createdByName}>{formatDateTime(v)}</span>,
          },
          { title: t('token.expiresAt'), dataIndex: 'expiresAt', width: 150, render: (v: string | null) => (v ? formatDateTime(v) : t('token.never')) },
          { title: t('token.lastUsed'), dataIndex: 'lastUsedAt', width: 150, render: (v: string | null) => (v ? formatDateTime(v) : t('token.unused')) },
          {
            title: t('common.status'),
            key: 'status',
            width: 80,
            render: (_, tk) => {
              const s = status(tk);
              return <Tag color={statusColor[s]}>{t(`token.${s}`)}</Tag>;
            },
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 80,
            render: (_, tk) =>
              status(tk) === 'active' && (
                <Popconfirm title={t('token.revokeConfirm', { name: tk.name })} okButtonProps={{ danger: true }} onConfirm={() => revoke(tk)}>
                  <Button type="link" size="small" danger>
                    {t('token.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {creating && (
        <CreateTokenModal
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            setCreated(c);
            void q.refetch();
          }}
        />
      )}
      <Modal
        open={!!created}
        title={t('token.createdTitle')}
        onCancel={() => setCreated(null)}
        footer={<Button onClick={() => setCreated(null)}>{t('common.close')}</Button>}
        mask={{ closable: false }}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert type="warning" showIcon title={t('token.createdWarn')} />
          <Typography.Paragraph
            copyable={{ text: created?.token ?? '' }}
            style={{ fontFamily: 'monospace', wordBreak: 'break-all', background: '#f5f5f5', padding: 8, margin: 0 }}
            data-testid="token-secret"
          >
            {created?.token}
          </Typography.Paragraph>
        </Space>
      </Modal>
    </Card>
  );
}
