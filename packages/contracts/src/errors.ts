/**
 * Stable error codes. Clients switch on `code`; the text is for people.
 * The HTTP status lives here too so one table decides code → status (the server's error
 * handler reads it; nothing else picks statuses).
 */
export const errorCatalog = {
  VALIDATION_FAILED: { status: 400, zh: '请求数据不合法', en: 'The request is not valid' },
  UNKNOWN_FIELD: { status: 400, zh: '请求中含有不允许的字段', en: 'The request contains a field that is not allowed' },
  MALFORMED_JSON: { status: 400, zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  BODY_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  AUTH_REQUIRED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  AUTH_INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  AUTH_ACCOUNT_LOCKED: { status: 423, zh: '登录失败次数过多，账号已临时锁定，请稍后再试', en: 'Too many failed sign-ins; the account is temporarily locked' },
  AUTH_ACCOUNT_DISABLED: { status: 403, zh: '账号已停用', en: 'The account is disabled' },
  AUTH_PASSWORD_CHANGE_REQUIRED: { status: 403, zh: '请先修改初始密码', en: 'You must change your password first' },
  AUTH_SESSION_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'Your session has expired; sign in again' },
  AUTH_TOKEN_INVALID: { status: 401, zh: 'API 令牌无效或已撤销', en: 'The API token is invalid or revoked' },
  AUTH_WRONG_PASSWORD: { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  PASSWORD_POLICY: { status: 400, zh: '密码不符合安全要求', en: 'The password does not meet the policy' },
  CSRF_INVALID: { status: 403, zh: '页面已失效，请刷新后重试（CSRF 校验失败）', en: 'The page is stale; reload and try again (CSRF check failed)' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  FORBIDDEN: { status: 403, zh: '没有执行此操作的权限', en: 'You are not allowed to do this' },
  OUT_OF_SCOPE: { status: 403, zh: '超出您的管辖范围', en: 'Outside your jurisdiction' },
  NOT_FOUND: { status: 404, zh: '记录不存在', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  CONFLICT: { status: 409, zh: '数据冲突', en: 'Conflict' },
  USERNAME_TAKEN: { status: 409, zh: '用户名已被使用', en: 'The username is taken' },
  MOBILE_TAKEN: { status: 409, zh: '手机号已被其他账号使用', en: 'The mobile number is used by another account' },
  REGION_CODE_INVALID: { status: 400, zh: '区划代码不合法', en: 'The division code is not valid' },
  REGION_CODE_TAKEN: { status: 409, zh: '区划代码已存在', en: 'The division code already exists' },
  REGION_HAS_CHILDREN: { status: 409, zh: '该区划下还有下级，不能删除', en: 'The division still has children' },
  REGION_PARENT_INVALID: { status: 400, zh: '上级区划不合法', en: 'The parent division is not valid' },
  DATA_DIR_LOCKED: { status: 409, zh: '数据目录正被另一个进程使用', en: 'The data directory is in use by another process' },
  ADJUSTMENT_WRONG_STATE: { status: 409, zh: '调整申请当前状态不允许此操作', en: 'The adjustment is not in a state that allows this' },
  ADJUSTMENT_NOT_TILING: {
    status: 400,
    zh: '调整方案须恰好拼合原网格范围（不多不少）',
    en: 'The proposed grids must exactly tile the area of the source grids',
  },
  ADJUSTMENT_PROPOSAL_INVALID: { status: 400, zh: '调整方案不合法', en: 'The adjustment proposal is not valid' },
  ADJUSTMENT_SELF_REVIEW: { status: 403, zh: '不能审核本人提交的调整申请', en: 'You cannot review your own application' },
  ADJUSTMENT_CONFLICT: { status: 409, zh: '相关网格已有公示中的调整', en: 'Another adjustment of these grids is already under public notice' },
  IMPORT_INVALID: { status: 422, zh: '导入文件有错误，未导入任何数据', en: 'The file has errors; nothing was imported' },
  IMPORT_EMPTY: { status: 400, zh: '导入文件中没有要素', en: 'The file contains no features' },
  IMPORT_CRS_UNDECLARED: {
    status: 400,
    zh: '文件未声明坐标系，请在文件或请求中注明（WGS84 / CGCS2000 / GCJ02 / BD09）',
    en: 'The file declares no coordinate system; declare it in the file or the request',
  },
  IMPORT_CRS_UNKNOWN: { status: 400, zh: '不支持文件声明的坐标系', en: 'The coordinate system the file declares is not supported' },
  IMPORT_FILE_INVALID: { status: 400, zh: '无法读取导入文件', en: 'The file cannot be read' },
  GRID_CODE_INVALID: { status: 400, zh: '网格编码不合法', en: 'The grid code is not valid' },
  GRID_CODE_TAKEN: { status: 409, zh: '网格编码已存在', en: 'The grid code already exists' },
  GEOMETRY_INVALID: { status: 400, zh: '边界图形不合法', en: 'The boundary geometry is not valid' },
  GRID_OUTSIDE_COMMUNITY: { status: 400, zh: '网格超出所属社区/村的边界', en: 'The grid extends beyond its community boundary' },
  GRID_OVERLAP: { status: 409, zh: '网格与相邻网格重叠（可存为草稿后再调整）', en: 'The grid overlaps neighbouring grids (save it as a draft to fix later)' },
  ID_NUMBER_INVALID: { status: 400, zh: '身份证号不合法', en: 'The ID number is not valid' },
  USCC_INVALID: { status: 400, zh: '统一社会信用代码不合法', en: 'The unified social credit code is not valid' },
  PERSON_DUPLICATE: {
    status: 409,
    zh: '该身份证号已登记（一人一档），请在原档案上修改',
    en: 'A person with this ID number is already registered; edit that record',
  },
  ORGANISATION_DUPLICATE: { status: 409, zh: '该统一社会信用代码已登记', en: 'An organisation with this credit code is already registered' },
  HOUSE_DUPLICATE: { status: 409, zh: '该标准地址的房屋已登记', en: 'A house with this standard address is already registered' },
  BUILDING_DUPLICATE: { status: 409, zh: '该标准地址的楼栋已登记', en: 'A building with this standard address is already registered' },
  FACILITY_DUPLICATE: { status: 409, zh: '该部件编码已登记', en: 'A facility with this code is already registered' },
  MERGE_INVALID: { status: 400, zh: '不能合并这两条记录', en: 'These two records cannot be merged' },
  LOCATION_REQUIRED: { status: 400, zh: '请选择网格或标注位置', en: 'Choose a grid or a location' },
  LOCATION_OUTSIDE_GRIDS: { status: 400, zh: '该位置不在任何网格内', en: 'The location is in no grid' },
  HOUSE_NOT_IN_GRID: { status: 400, zh: '住房不在所选网格内', en: 'The house is not in the chosen grid' },
  REASON_REQUIRED: { status: 400, zh: '请说明原因', en: 'A reason is required' },
  SPECIAL_FIELDS_INVALID: { status: 400, zh: '登记信息不符合该类人群的要求', en: 'The entry does not fit the register' },
  SPECIAL_TYPE_UNKNOWN: { status: 400, zh: '未知的特殊人群类型', en: 'Unknown register type' },
  BREAKGLASS_NOT_NEEDED: { status: 409, zh: '您已有权限查看，无需紧急授权', en: 'You can already see these entries; no emergency access needed' },
  BREAKGLASS_ALREADY_REVIEWED: { status: 409, zh: '该紧急授权已复核', en: 'This grant has already been reviewed' },
  IMPORT_FORMAT_UNKNOWN: { status: 400, zh: '无法识别的文件格式，请上传 xlsx 或 CSV 文件', en: 'Unknown file format; upload xlsx or CSV' },
  IMPORT_HEADER_MISSING: { status: 400, zh: '文件缺少必填列', en: 'The file lacks a required column' },
  IMPORT_BUSY: { status: 409, zh: '已有导入任务正在运行，请稍后再试', en: 'Another import is running; try again later' },
  /** A job's outcome (never an HTTP answer): the server stopped while the import ran. */
  IMPORT_INTERRUPTED: {
    status: 500,
    zh: '服务器重启，导入中断；请重新导入（重复导入不会产生重复数据）',
    en: 'The server restarted during the import; import the file again (re-importing creates no duplicates)',
  },
  // ─── Event closed loop (cases, catalogue, intake, Open311) ───
  CASE_WRONG_STATE: { status: 409, zh: '案件当前状态不允许此操作', en: 'The case is not in a state that allows this action' },
  CASE_ACTION_FORBIDDEN: { status: 403, zh: '您不能对该案件执行此操作', en: 'You may not take this action on this case' },
  CASE_STALE: { status: 409, zh: '案件已被他人处理，请刷新后重试', en: 'Someone else changed the case; reload and try again' },
  CASE_SUSPENDED: { status: 409, zh: '案件缓办中，请先恢复办理', en: 'The case is suspended; resume it first' },
  CASE_NOTE_REQUIRED: { status: 400, zh: '此操作须填写说明或原因', en: 'This action needs a note or reason' },
  CASE_ACTION_INVALID: { status: 400, zh: '操作参数不完整或不合法', en: 'The action is missing a field or has a wrong one' },
  CASE_NO_DEPARTMENT: { status: 400, zh: '未找到处置部门，请手动选择派遣部门', en: 'No department found; choose one to dispatch to' },
  CASE_EXTENSION_NONE: { status: 409, zh: '没有待审批的延期申请', en: 'There is no pending extension request' },
  CASE_EXTENSION_PENDING: { status: 409, zh: '已有待审批的延期申请', en: 'An extension request is already pending' },
  CASE_ALREADY_RATED: { status: 409, zh: '您已评价过该案件', en: 'You have already rated this case' },
  CASE_MERGE_INVALID: { status: 400, zh: '不能并入该案件（须为同辖区内未办结的其他案件）', en: 'The case cannot be merged into that one' },
  CATEGORY_UNKNOWN: { status: 400, zh: '未知的事项类别', en: 'Unknown category' },
  CATEGORY_NOT_ADMITTED: { status: 400, zh: '该事项未列入网格事务准入清单，不能派给网格', en: 'This matter is not admitted to grids' },
  CATEGORY_CODE_TAKEN: { status: 409, zh: '事项编码已存在', en: 'The category code already exists' },
  CATEGORY_CLASS_HAS_ACTIVE_ITEMS: {
    status: 409,
    zh: '该大类下仍有启用的小类，请先逐个停用小类',
    en: 'The class still has active items; deactivate them first',
  },
  CATEGORY_CLASS_INACTIVE: { status: 409, zh: '所属大类已停用，请先启用大类', en: 'The class is deactivated; activate it first' },
  OUTBOX_NOT_FAILED: { status: 409, zh: '只有推送失败的回推可以重试', en: 'Only a failed delivery can be retried' },
  LOCATION_OUTSIDE_JURISDICTION: { status: 400, zh: '该位置不在本平台管辖范围内', en: 'The location is outside this jurisdiction' },
  ATTACHMENT_TYPE: { status: 415, zh: '不支持的附件类型（照片 JPEG/PNG/WebP，音频 MP3/AAC/AMR/M4A，视频 MP4）', en: 'Unsupported attachment type' },
  ATTACHMENT_TOO_LARGE: { status: 413, zh: '附件超过大小限制', en: 'The attachment is too large' },
  ATTACHMENT_UNKNOWN: { status: 400, zh: '附件不存在或不属于您', en: 'Unknown attachment' },
  TIMESTAMP_IN_FUTURE: { status: 400, zh: '时间不能晚于当前时间', en: 'The time lies in the future' },
  IDEMPOTENCY_CONFLICT: { status: 409, zh: '该幂等键已用于内容不同的另一次提交', en: 'This idempotency key was used for a different submission' },
  OPEN311_API_KEY_REQUIRED: {
    status: 401,
    zh: '提交 Open311 请求需要 api_key（本平台签发的 API 令牌）',
    en: 'An Open311 submission needs an api_key (an API token of this platform)',
  },
  INTERNAL: { status: 500, zh: '服务器内部错误，请稍后再试', en: 'Internal server error' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof errorCatalog;

/** One issue with one input field; `path` is the field's dotted path (`scopes.view.0`). */
export interface FieldIssue {
  path: string;
  code: string;
  message: string;
}

/** The body of every error response. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    requestId?: string;
    fields?: FieldIssue[];
    details?: Record<string, unknown>;
  };
}

export type Locale = 'zh-CN' | 'en';

export function errorMessage(code: ErrorCode, locale: Locale): string {
  const e = errorCatalog[code];
  return locale === 'en' ? e.en : e.zh;
}
