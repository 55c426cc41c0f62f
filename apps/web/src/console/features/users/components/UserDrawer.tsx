import { assignableRoles, type Role, roleLabels } from '@gridgov/contracts/roles';
import type { UpdateUserRequest, UserSummary } from '@gridgov/contracts/users';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Divider, Drawer, Form, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useMe } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { PasswordChecklist, passwordIssues } from '../../../components/PasswordChecklist';
import { RegionTreeSelect } from '../../../components/RegionTreeSelect';
import { applyServerErrors } from '../../../forms/serverErrors';
import { regionKeys, regionsApi } from '../../regions/api';
import { usersApi } from '../api';

interface Values {
  username: string;
  displayName: string;
  mobile?: string;
  role: Role;
  orgUnitId?: string | null;
  captureRegionIds: string[];
  viewRegionIds: string[];
  password?: string;
}
const FIELDS = ['username', 'displayName', 'mobile', 'role', 'orgUnitId', 'captureRegionIds', 'viewRegionIds', 'password'] as const;
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Create (user null) or edit one account: basics, org unit, capture/view scopes, initial password. */
export function UserDrawer({ user, onClose, onSaved }: { user: UserSummary | null; onClose(): void; onSaved(): void }) {
  const me = useMe();
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const role = Form.useWatch('role', form) ?? user?.role;
  const username = Form.useWatch('username', form) ?? '';
  const mobile = Form.useWatch('mobile', form) ?? '';
  const password = Form.useWatch('password', form) ?? '';
  const orgUnits = useQuery({ queryKey: regionKeys.orgUnits(null), queryFn: () => regionsApi.orgUnits() });
  const resident = role === 'resident';
  const roleOptions = [...new Set([...assignableRoles[me.role], ...(user ? [user.role] : [])])].map((r) => ({
    value: r,
    label: label(roleLabels[r]),
    disabled: !assignableRoles[me.role].includes(r),
  }));

  const initial: Partial<Values> = user
    ? {
        username: user.username,
        displayName: user.displayName,
        mobile: user.mobile ?? '',
        role: user.role,
        orgUnitId: user.orgUnitId,
        captureRegionIds: user.captureScope.map((s) => s.regionId),
        viewRegionIds: user.viewScope.map((s) => s.regionId),
      }
    : { captureRegionIds: [], viewRegionIds: [] };

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    const capture = resident ? [] : (v.captureRegionIds ?? []);
    const view = resident ? [] : (v.viewRegionIds ?? []);
    try {
      if (!user) {
        const created = await usersApi.create({
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          mobile: v.mobile?.trim() || undefined,
          role: v.role,
          orgUnitId: resident ? undefined : (v.orgUnitId ?? undefined),
          captureRegionIds: capture,
          viewRegionIds: view,
          password: v.password ?? '',
        });
        message.success(t('user.createdMsg', { name: created.displayName }));
      } else {
        const patch: UpdateUserRequest = {};
        if (v.displayName.trim() !== user.displayName) patch.displayName = v.displayName.trim();
        if ((v.mobile?.trim() ?? '') !== (user.mobile ?? '')) patch.mobile = v.mobile?.trim() || null;
        if (v.role !== user.role) patch.role = v.role;
        if ((v.orgUnitId ?? null) !== user.orgUnitId) patch.orgUnitId = resident ? null : (v.orgUnitId ?? null);
        if (Object.keys(patch).length > 0) await usersApi.update(user.id, patch);
        if (!sameSet(capture, initial.captureRegionIds ?? []) || !sameSet(view, initial.viewRegionIds ?? [])) {
          await usersApi.setScopes(user.id, { captureRegionIds: capture, viewRegionIds: view });
        }
        message.success(t('common.saved'));
      }
      onSaved();
    } catch (e) {
      setError(applyServerErrors(form, e, FIELDS, { newPassword: 'password' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open
      size={520}
      title={user ? t('user.editTitle', { name: user.displayName }) : t('user.create')}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="user-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={submit} requiredMark>
        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
          {t('user.basic')}
        </Divider>
        <Form.Item
          name="username"
          label={t('user.username')}
          extra={user ? undefined : t('user.usernameHint')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: t('user.usernameHint') },
          ]}
        >
          <Input disabled={!!user} autoComplete="off" maxLength={32} />
        </Form.Item>
        <Form.Item name="displayName" label={t('user.displayName')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 32 }]}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item
          name="mobile"
          label={t('user.mobile')}
          extra={user?.mobile?.includes('*') ? t('user.mobileMasked') : undefined}
          rules={[{ pattern: /^(1[3-9]\d{9}|.*\*.*)?$/, message: '1[3-9]xxxxxxxxx' }]}
        >
          <Input maxLength={11} inputMode="tel" autoComplete="off" />
        </Form.Item>
        <Form.Item name="role" label={t('user.role')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={roleOptions} />
        </Form.Item>
        {!resident && (
          <Form.Item name="orgUnitId" label={t('user.orgUnit')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              loading={orgUnits.isLoading}
              options={(orgUnits.data ?? []).map((o) => ({ value: o.id, label: o.name === o.regionName ? o.name : `${o.name}（${o.regionName}）` }))}
            />
          </Form.Item>
        )}
        {!user && (
          <>
            <Form.Item
              name="password"
              label={t('user.password')}
              extra={t('user.passwordHint')}
              rules={[
                { required: true, message: t('common.required') },
                {
                  validator: async (_, v: string) =>
                    v && passwordIssues({ password: v, username, mobile }).length ? Promise.reject(new Error(t('password.policy'))) : undefined,
                },
              ]}
              style={{ marginBottom: 8 }}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <PasswordChecklist password={password} username={username} mobile={mobile || null} />
          </>
        )}
        {!resident && (
          <>
            <Divider titlePlacement="start" plain>
              {t('user.scopes')}
            </Divider>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: -6 }}>
              {t('user.scopeHint')}
            </Typography.Paragraph>
            <Form.Item name="captureRegionIds" label={t('user.captureScope')}>
              <RegionTreeSelect multiple known={user?.captureScope} />
            </Form.Item>
            <Form.Item name="viewRegionIds" label={t('user.viewScope')}>
              <RegionTreeSelect multiple known={user?.viewScope} />
            </Form.Item>
          </>
        )}
      </Form>
    </Drawer>
  );
}
