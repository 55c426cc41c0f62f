import { z } from 'zod';
import { ScopeRef } from './auth.js';
import { Role } from './roles.js';

export const Username = z.string().trim().regex(/^[A-Za-z0-9_.-]{3,32}$/, '3–32 位字母、数字或 _ . -');
export const Mobile = z.string().trim().regex(/^1[3-9]\d{9}$/, '请输入 11 位手机号');

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
  q: z.string().trim().max(64).optional().describe('username, name or mobile'),
  role: Role.optional(),
  regionId: z.uuid().optional().describe('users whose capture scope lies in this subtree'),
  disabled: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const UserList = z.object({ items: z.array(UserSummary), total: z.number().int() });

export const CreateUserRequest = z.strictObject({
  username: Username,
  displayName: z.string().trim().min(1).max(32),
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
  displayName: z.string().trim().min(1).max(32).optional(),
  mobile: Mobile.nullable().optional(),
  role: Role.optional(),
  orgUnitId: z.uuid().nullable().optional(),
  disabled: z.boolean().optional(),
});

export const SetScopesRequest = z.strictObject({
  captureRegionIds: z.array(z.uuid()).max(50),
  viewRegionIds: z.array(z.uuid()).max(50),
});

export const ResetPasswordRequest = z.strictObject({
  password: z.string().min(1).max(128).describe('temporary password; the user must change it at next sign-in'),
});
