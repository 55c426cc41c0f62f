import { DownOutlined } from '@ant-design/icons';
import type { UserSummary } from '@gridgov/contracts/users';
import { App, Button, Dropdown, Space } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { usersApi } from '../api';
import { ResetPasswordModal } from './ResetPasswordModal';

/** Edit, plus the account actions a dispatcher needs at hand: reset password, unlock, disable/enable. */
export function UserRowActions({ user, onEdit, onChanged }: { user: UserSummary; onEdit(): void; onChanged(): void }) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const [resetting, setResetting] = useState(false);

  const run = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      message.success(done);
      onChanged();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const items = [
    { key: 'reset', label: t('user.resetPassword') },
    ...(user.locked ? [{ key: 'unlock', label: t('user.unlock') }] : []),
    user.disabled ? { key: 'enable', label: t('user.enable') } : { key: 'disable', label: t('user.disable'), danger: true },
  ];

  return (
    <Space size={0}>
      <Button type="link" size="small" onClick={onEdit}>
        {t('common.edit')}
      </Button>
      <Dropdown
        trigger={['click']}
        menu={{
          items,
          onClick: ({ key }) => {
            if (key === 'reset') setResetting(true);
            else if (key === 'unlock') void run(() => usersApi.unlock(user.id), t('user.unlocked'));
            else if (key === 'enable') void run(() => usersApi.update(user.id, { disabled: false }), t('user.enabledMsg'));
            else if (key === 'disable')
              modal.confirm({
                title: t('user.disableConfirm', { name: user.displayName }),
                okButtonProps: { danger: true },
                okText: t('user.disable'),
                cancelText: t('common.cancel'),
                onOk: () => run(() => usersApi.update(user.id, { disabled: true }), t('user.disabledMsg')),
              });
          },
        }}
      >
        <Button type="link" size="small">
          {t('user.more')} <DownOutlined />
        </Button>
      </Dropdown>
      {resetting && (
        <ResetPasswordModal
          user={user}
          onClose={() => setResetting(false)}
          onDone={() => {
            setResetting(false);
            onChanged();
          }}
        />
      )}
    </Space>
  );
}
