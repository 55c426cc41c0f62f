import type { FormInstance } from 'antd';
import { ApiError } from '../../common/api/client';

/** Codes that concern one field even when the server sends no `fields` list. */
const codeField: Record<string, string> = {
  USERNAME_TAKEN: 'username',
  MOBILE_TAKEN: 'mobile',
  REGION_CODE_TAKEN: 'code',
  REGION_CODE_INVALID: 'code',
  AUTH_WRONG_PASSWORD: 'currentPassword',
};

/**
 * Puts the server's field errors (`fields[].path`, dotted: `captureRegionIds.0`) on the form items
 * they belong to. Returns the message to show at the top when some error matched no field.
 */
export function applyServerErrors(form: FormInstance, err: unknown, formFields: readonly string[], rename: Record<string, string> = {}): string | null {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  const byField = new Map<string, string[]>();
  const unmatched: string[] = [];
  const put = (field: string, msg: string) => byField.set(field, [...(byField.get(field) ?? []), msg]);
  for (const f of err.fields) {
    const head = f.path.split('.')[0] ?? '';
    const field = rename[head] ?? head;
    if (formFields.includes(field)) put(field, f.message);
    else unmatched.push(f.path ? `${f.path}: ${f.message}` : f.message);
  }
  if (err.fields.length === 0) {
    const field = rename[codeField[err.code] ?? ''] ?? codeField[err.code];
    if (field && formFields.includes(field)) put(field, err.message);
    else unmatched.push(err.message);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  if (unmatched.length === 0) return null;
  return err.fields.length > 0 ? `${err.message} (${unmatched.join('; ')})` : unmatched.join('; ');
}
