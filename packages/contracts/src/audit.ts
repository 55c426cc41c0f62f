import { z } from 'zod';

export const AuditOutcome = z.enum(['ok', 'denied', 'failed']);

export const AuditQuery = z
  .strictObject({
    actor: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{1,32}$/, '用户名只能包含字母、数字或 _ . - / letters, digits and _ . - only')
      .optional()
      .describe('username of the actor (exact, case-insensitive)'),
    action: z
      .string()
      .trim()
      .regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, '操作代码格式不正确 / not an action key')
      .max(64)
      .optional()
      .describe('an action key, or a prefix ending in .* (auth.*)'),
    outcome: AuditOutcome.optional(),
    regionId: z.uuid().optional().describe('events concerning this region subtree'),
    from: z.iso.datetime({ offset: true }).optional().describe('inclusive'),
    to: z.iso.datetime({ offset: true }).optional().describe('exclusive'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { path: ['to'], message: '结束时间早于开始时间 / "to" is before "from"' });
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.uuid().nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  outcome: AuditOutcome,
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  regionId: z.uuid().nullable(),
  regionName: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditPage = z.object({ items: z.array(AuditEntry), total: z.number().int() });

export const AuditActionInfo = z.object({ key: z.string(), zh: z.string(), en: z.string() });
export const AuditActionList = z.object({ items: z.array(AuditActionInfo) });

export const auditActionLabels: Record<string, { zh: string; en: string }> = {
  'auth.login': { zh: '登录', en: 'Sign-in' },
  'auth.login_failed': { zh: '登录失败', en: 'Failed sign-in' },
  'auth.locked': { zh: '账号锁定', en: 'Account locked' },
  'auth.ip_throttled': { zh: '登录来源 IP 失败过多被限流', en: 'Sign-in IP throttled after failures' },
  'auth.logout': { zh: '退出登录', en: 'Sign-out' },
  'auth.password_changed': { zh: '修改密码', en: 'Password changed' },
  'auth.session_revoked': { zh: '撤销会话', en: 'Session revoked' },
  'access.denied': { zh: '越权访问被拒绝', en: 'Access denied' },
  'user.created': { zh: '新建用户', en: 'User created' },
  'user.updated': { zh: '修改用户', en: 'User updated' },
  'user.scopes_changed': { zh: '修改管辖范围', en: 'Scopes changed' },
  'user.password_reset': { zh: '重置密码', en: 'Password reset' },
  'user.disabled': { zh: '停用用户', en: 'User disabled' },
  'user.enabled': { zh: '启用用户', en: 'User enabled' },
  'token.created': { zh: '创建 API 令牌', en: 'API token created' },
  'token.revoked': { zh: '撤销 API 令牌', en: 'API token revoked' },
  'region.created': { zh: '新建区划', en: 'Region created' },
  'region.updated': { zh: '修改区划', en: 'Region updated' },
  'region.deleted': { zh: '删除区划', en: 'Region deleted' },
  'region.level_renamed': { zh: '修改区划层级名称', en: 'Region level renamed' },
  'orgunit.created': { zh: '新建机构', en: 'Org unit created' },
  'orgunit.updated': { zh: '修改机构', en: 'Org unit updated' },
  'grid_adjustment.created': { zh: '新建网格调整申请', en: 'Grid adjustment drafted' },
  'grid_adjustment.updated': { zh: '修改网格调整申请', en: 'Grid adjustment changed' },
  'grid_adjustment.submitted': { zh: '提交网格调整申请', en: 'Grid adjustment submitted' },
  'grid_adjustment.withdrawn': { zh: '撤回网格调整申请', en: 'Grid adjustment withdrawn' },
  'grid_adjustment.returned': { zh: '退回网格调整申请', en: 'Grid adjustment returned' },
  'grid_adjustment.approved': { zh: '批准网格调整并公示', en: 'Grid adjustment approved (public notice)' },
  'grid_adjustment.effective': { zh: '网格调整生效', en: 'Grid adjustment took effect' },
  'grid_adjustment.apply_failed': { zh: '网格调整未能生效（已退回）', en: 'Grid adjustment could not take effect (returned)' },
  'grid.imported': { zh: '导入网格', en: 'Grids imported' },
  'grid.created': { zh: '新建网格', en: 'Grid created' },
  'grid.updated': { zh: '修改网格属性', en: 'Grid updated' },
  'grid.boundary_changed': { zh: '修改网格边界', en: 'Grid boundary changed' },
  'grid.staff_changed': { zh: '调整网格人员', en: 'Grid staff changed' },
  'grid.size_norm_changed': { zh: '修改网格规模标准', en: 'Grid size norms changed' },
  'region.boundary_changed': { zh: '修改社区/村边界', en: 'Community boundary changed' },
  'setting.changed': { zh: '修改系统设置', en: 'Setting changed' },
  export: { zh: '数据导出', en: 'Export' },
  'personal_data.unmasked': { zh: '查看明文个人信息', en: 'Personal data unmasked' },
  'person.created': { zh: '新建人口信息', en: 'Person registered' },
  'person.updated': { zh: '修改人口信息', en: 'Person updated' },
  'person.moved': { zh: '人员迁居', en: 'Person moved' },
  'person.merged': { zh: '合并重复人员', en: 'Duplicate persons merged' },
  'person.viewed_outside_scope': { zh: '跨辖区查看人员档案', en: 'Person read outside capture scope' },
  'household.saved': { zh: '修改家庭户', en: 'Household saved' },
  'special.added': { zh: '登记特殊人群', en: 'Special-group entry added' },
  'special.updated': { zh: '修改特殊人群登记', en: 'Special-group entry updated' },
  'special.ended': { zh: '特殊人群登记结束', en: 'Special-group entry ended' },
  'breakglass.opened': { zh: '紧急授权查看敏感信息', en: 'Break-the-glass access opened' },
  'breakglass.used': { zh: '在紧急授权下查看敏感信息', en: 'Sensitive entry read under break-the-glass' },
  'breakglass.reviewed': { zh: '复核紧急授权', en: 'Break-the-glass reviewed' },
  'building.created': { zh: '新建楼栋', en: 'Building created' },
  'building.updated': { zh: '修改楼栋', en: 'Building updated' },
  'house.created': { zh: '新建房屋', en: 'House created' },
  'house.updated': { zh: '修改房屋', en: 'House updated' },
  'organisation.created': { zh: '新建单位组织', en: 'Organisation created' },
  'organisation.updated': { zh: '修改单位组织', en: 'Organisation updated' },
  'facility.created': { zh: '新建部件设施', en: 'Facility created' },
  'facility.updated': { zh: '修改部件设施', en: 'Facility updated' },
  'key_place.created': { zh: '新建重点场所', en: 'Key place created' },
  'key_place.updated': { zh: '修改重点场所', en: 'Key place updated' },
  'record.verified': { zh: '核实信息', en: 'Record verified' },
  'adjustment_trigger.dismissed': { zh: '忽略网格调整提示', en: 'Adjustment trigger dismissed' },
  'import.started': { zh: '开始导入', en: 'Import started' },
  'import.finished': { zh: '导入完成', en: 'Import finished' },
  'crosscheck.run': { zh: '数据比对', en: 'Cross-check run' },
  'calendar.year_changed': { zh: '修改节假日安排', en: 'Holiday schedule changed' },
  'calendar.office_hours_changed': { zh: '修改办公时间', en: 'Office hours changed' },
  'indicators.settings_changed': { zh: '修改指标口径', en: 'Indicator denominators changed' },
  'catalogue.class_created': { zh: '新建事项大类', en: 'Catalogue class created' },
  'catalogue.item_created': { zh: '新建事项小类', en: 'Catalogue item created' },
  'catalogue.item_updated': { zh: '修改事项规则（新版本）', en: 'Catalogue item rules changed (new version)' },
  'catalogue.item_deactivated': { zh: '停用事项小类', en: 'Catalogue item deactivated' },
  'catalogue.item_activated': { zh: '启用事项小类', en: 'Catalogue item activated' },
  'catalogue.class_updated': { zh: '修改事项大类', en: 'Catalogue class changed' },
  'catalogue.classes_reordered': { zh: '调整事项大类顺序', en: 'Catalogue classes reordered' },
  'catalogue.class_deactivated': { zh: '停用事项大类', en: 'Catalogue class deactivated' },
  'catalogue.class_activated': { zh: '启用事项大类', en: 'Catalogue class activated' },
  'integration.outbox_retried': { zh: '重试热线状态回推', en: 'Hotline status push retried' },
  'routing_rule.created': { zh: '新建派遣规则', en: 'Routing rule created' },
  'routing_rule.deactivated': { zh: '停用派遣规则', en: 'Routing rule deactivated' },
};
