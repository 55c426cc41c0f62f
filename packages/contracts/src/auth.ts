import { z } from 'zod';
import { Permission, Role } from './roles.js';

/** Control characters (NUL, line breaks …) never belong in a sign-in name or a label. */
const noControl = (s: string) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
/** A password may hold any character a keyboard can type, but not NUL (the database cannot store it). */
const PasswordText = z
  .string()
  .min(1)
  .max(128)
  .refine((s) => !s.includes('\u0000'), { message: '不能包含空字符 / must not contain NUL' });

/** Username or mainland mobile number. */
export const LoginRequest = z.strictObject({
  login: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .refine(noControl, { message: '不能包含控制字符 / must not contain control characters' })
    .describe('用户名或手机号 / username or mobile'),
  password: PasswordText,
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
  currentPassword: PasswordText,
  newPassword: PasswordText,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

export const LocaleRequest = z.strictObject({ locale: z.enum(['zh-CN', 'en']) });
export type LocaleRequest = z.infer<typeof LocaleRequest>;

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
  same_as_current: { zh: '新密码不能与当前密码相同', en: 'must differ from the current password' },
};

export const SessionInfo = z.object({
  id: z.uuid(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean().describe('the session making this request'),
});
export type SessionInfo = z.infer<typeof SessionInfo>;
export const SessionList = z.object({ items: z.array(SessionInfo) });
export const SessionIdParams = z.strictObject({ id: z.uuid() });

/** Token names are labels shown in lists: letters (any script), digits, spaces and _ . - ( ) （ ） ·. */
export const ApiTokenName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N} _.\-()（）·]+$/u, '只能包含文字、数字、空格和 _ . - ( ) / letters, digits, spaces and _ . - ( ) only');

export const CreateApiTokenRequest = z.strictObject({
  name: ApiTokenName,
  permissions: z.array(Permission).min(1),
  regionIds: z.array(z.uuid()).min(1).max(50),
  expiresAt: z.iso.datetime({ offset: true }).optional().describe('omit for a token that does not expire'),
});
export type CreateApiTokenRequest = z.infer<typeof CreateApiTokenRequest>;
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
  createdBy: z.uuid(),
  createdByName: z.string().describe('username of the creator'),
});
export type ApiTokenInfo = z.infer<typeof ApiTokenInfo>;
export const ApiTokenList = z.object({ items: z.array(ApiTokenInfo) });
export const ApiTokenIdParams = z.strictObject({ id: z.uuid() });
/** The secret is shown once, at creation: `ggt_<8-character prefix>_<secret>`, sent as `Authorization: Bearer …`. */
export const CreatedApiToken = z.object({ token: z.string(), info: ApiTokenInfo });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;
