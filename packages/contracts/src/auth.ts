import { z } from 'zod';
import { Permission, Role } from './roles.js';

/** Username or mainland mobile number. */
export const LoginRequest = z.strictObject({
  login: z.string().trim().min(1).max(64).describe('用户名或手机号 / username or mobile'),
  password: z.string().min(1).max(128),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const ScopeRef = z.object({ regionId: z.uuid(), code: z.string(), name: z.string() });
export type ScopeRef = z.infer<typeof ScopeRef>;

/** The signed-in principal as the console sees it (drives navigation). */
export const Me = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  orgUnitId: z.uuid().nullable(),
  orgUnitName: z.string().nullable(),
  permissions: z.array(Permission),
  captureScope: z.array(ScopeRef),
  viewScope: z.array(ScopeRef),
  mustChangePassword: z.boolean(),
  locale: z.enum(['zh-CN', 'en']),
});
export type Me = z.infer<typeof Me>;

export const LoginResponse = z.object({ me: Me, csrfToken: z.string() });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const SessionResponse = z.object({ me: Me, csrfToken: z.string() });

export const ChangePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: z.string().min(1).max(128),
});

export const LocaleRequest = z.strictObject({ locale: z.enum(['zh-CN', 'en']) });

/** Password policy, shared so the console can check as the user types. */
export const passwordPolicy = { minLength: 10, maxLength: 128, minClasses: 3 } as const;

/** Returns the unmet rules (empty when the password is acceptable). */
export function passwordProblems(pw: string, ctx: { username?: string; mobile?: string | null } = {}): string[] {
  const problems: string[] = [];
  if (pw.length < passwordPolicy.minLength) problems.push('too_short');
  if (pw.length > passwordPolicy.maxLength) problems.push('too_long');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length;
  if (classes < passwordPolicy.minClasses) problems.push('too_simple');
  const lower = pw.toLowerCase();
  if (ctx.username && ctx.username.length >= 3 && lower.includes(ctx.username.toLowerCase())) problems.push('contains_username');
  if (ctx.mobile && pw.includes(ctx.mobile)) problems.push('contains_mobile');
  return problems;
}

export const passwordProblemLabels: Record<string, { zh: string; en: string }> = {
  too_short: { zh: `至少 ${passwordPolicy.minLength} 个字符`, en: `at least ${passwordPolicy.minLength} characters` },
  too_long: { zh: `不超过 ${passwordPolicy.maxLength} 个字符`, en: `at most ${passwordPolicy.maxLength} characters` },
  too_simple: { zh: '须包含大写字母、小写字母、数字、符号中的至少三类', en: 'use at least three of: upper case, lower case, digits, symbols' },
  contains_username: { zh: '不能包含用户名', en: 'must not contain the username' },
  contains_mobile: { zh: '不能包含手机号', en: 'must not contain the mobile number' },
};

export const SessionInfo = z.object({
  id: z.uuid(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});

export const CreateApiTokenRequest = z.strictObject({
  name: z.string().trim().min(1).max(64),
  permissions: z.array(Permission).min(1),
  regionIds: z.array(z.uuid()).min(1).max(50),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export const ApiTokenInfo = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  permissions: z.array(Permission),
  regionIds: z.array(z.uuid()),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
/** The secret is shown once, at creation. */
export const CreatedApiToken = z.object({ token: z.string(), info: ApiTokenInfo });
