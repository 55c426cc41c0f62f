import { z } from 'zod';
import { ScopeRef } from './auth.js';
import { Role } from './roles.js';

export const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, '3–32 位字母、数字或 _ . - / 3–32 letters, digits or _ . -');
export const Mobile = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '请输入 11 位手机号 / an 11-digit mainland mobile number');
/** A person's name: letters (any script), digits, spaces and the marks names use (· . - ' ( )); no markup or control characters. */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[\p{L}\p{M}\p{N} ·•．.'’()（）_-]+$/u, "姓名只能包含文字、数字、空格和 · . - ' ( ) / letters, digits, spaces and · . - ' ( ) only");

export const UserIdParams = z.object({ id: z.uuid() });

export const UserSummary = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  mobile: z.string().nullable().describe('masked unless the caller manages the user: 138****5678'),
  role: Role,
  orgUnitId: z.uuid().nullable(),
  orgUnitName: z.string().nullable(),
  disabled: z.boolean(),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  captureScope: z.array(ScopeRef),
  viewScope: z.array(ScopeRef),
});
export type UserSummary = z.infer<typeof UserSummary>;

export const UserListQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .max(64)
    .regex(/^[^\p{Cc}]*$/u, '不能包含控制字符 / no control characters')
    .optional()
    .describe('part of the username or name, or the exact mobile number'),
  role: Role.optional(),
  regionId: z.uuid().optional().describe('users whose capture scope lies in this subtree'),
  disabled: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export type UserListQuery = z.infer<typeof UserListQuery>;

export const UserList = z.object({ items: z.array(UserSummary), total: z.number().int() });

export const CreateUserRequest = z.strictObject({
  username: Username,
  displayName: DisplayName,
  mobile: Mobile.optional(),
  role: Role,
  orgUnitId: z.uuid().optional(),
  captureRegionIds: z.array(z.uuid()).max(50).default([]),
  viewRegionIds: z.array(z.uuid()).max(50).default([]),
  /** Initial password; the user must change it at first sign-in. */
  password: z.string().min(1).max(128),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UpdateUserRequest = z.strictObject({
  displayName: DisplayName.optional(),
  mobile: Mobile.nullable().optional(),
  role: Role.optional(),
  orgUnitId: z.uuid().nullable().optional(),
  disabled: z.boolean().optional(),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const SetScopesRequest = z.strictObject({
  captureRegionIds: z.array(z.uuid()).max(50),
  viewRegionIds: z.array(z.uuid()).max(50),
});
export type SetScopesRequest = z.infer<typeof SetScopesRequest>;

export const ResetPasswordRequest = z.strictObject({
  password: z.string().min(1).max(128).describe('temporary password; the user must change it at next sign-in'),
});
export type ResetPasswordRequest = z.infer<typeof ResetPasswordRequest>;
