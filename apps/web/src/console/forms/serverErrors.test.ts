import type { FormInstance } from 'antd';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/client';
import { applyServerErrors } from './serverErrors';

function fakeForm() {
  const set: { name: string; errors: string[] }[] = [];
  const form = { setFields: (f: { name: string; errors: string[] }[]) => set.push(...f) } as unknown as FormInstance;
  return { form, set };
}

describe('applyServerErrors', () => {
  it('puts dotted field paths on the form item they start with', () => {
    const { form, set } = fakeForm();
    const err = new ApiError(400, 'VALIDATION_FAILED', '请求数据不合法', [
      { path: 'captureRegionIds.0', code: 'out_of_scope', message: '超出管辖范围' },
      { path: 'username', code: 'invalid', message: '用户名不合法' },
    ]);
    expect(applyServerErrors(form, err, ['username', 'captureRegionIds'])).toBeNull();
    expect(set).toEqual([
      { name: 'captureRegionIds', errors: ['超出管辖范围'] },
      { name: 'username', errors: ['用户名不合法'] },
    ]);
  });

  it('returns the issues no field on the form can show', () => {
    const { form } = fakeForm();
    const err = new ApiError(400, 'VALIDATION_FAILED', '请求数据不合法', [{ path: 'sortOrder', code: 'too_big', message: '太大' }]);
    expect(applyServerErrors(form, err, ['name'])).toBe('请求数据不合法 (sortOrder: 太大)');
  });

  it('maps a field-less code such as USERNAME_TAKEN onto its field', () => {
    const { form, set } = fakeForm();
    expect(applyServerErrors(form, new ApiError(409, 'USERNAME_TAKEN', '用户名已被使用'), ['username'])).toBeNull();
    expect(set).toEqual([{ name: 'username', errors: ['用户名已被使用'] }]);
  });

  it('renames server paths onto differently named form fields', () => {
    const { form, set } = fakeForm();
    const err = new ApiError(400, 'PASSWORD_POLICY', '密码不符合安全要求', [{ path: 'password', code: 'too_short', message: '至少 10 个字符' }]);
    expect(applyServerErrors(form, err, ['newPassword'], { password: 'newPassword' })).toBeNull();
    expect(set).toEqual([{ name: 'newPassword', errors: ['至少 10 个字符'] }]);
  });
});
