/**
 * Registry import and export: the columns of each file kind (Chinese headers, as in the downloadable
 * templates), the job shapes the console polls, and the cross-check (数据比对) report.
 * One column list serves the template, the importer's header mapping, the rejected-rows file and the export.
 */
import { z } from 'zod';

export const ImportKind = z.enum(['persons', 'houses', 'organisations', 'facilities']);
export type ImportKind = z.infer<typeof ImportKind>;
export const importKindLabels: Record<ImportKind, { zh: string; en: string }> = {
  persons: { zh: '人口', en: 'Persons' },
  houses: { zh: '房屋', en: 'Houses' },
  organisations: { zh: '单位组织', en: 'Organisations' },
  facilities: { zh: '部件设施', en: 'Facilities' },
};

export interface ImportColumn {
  key: string;
  /** The header in templates and exports; the importer also accepts `aliases` and the English key. */
  zh: string;
  en: string;
  required?: boolean;
  aliases?: readonly string[];
  /** Shown under the header in the template. */
  hint?: string;
  /** Holds an identifying number: masked in exports unless unmasked export was granted. */
  pii?: 'idNumber' | 'phone';
}

/** Where a row is: 网格编码, or 经度/纬度 (WGS84) resolved by the grid lookup; a house address is matched too. */
const placement: ImportColumn[] = [
  { key: 'gridCode', zh: '网格编码', en: 'Grid code', aliases: ['所属网格编码', '网格代码'], hint: '与经纬度二选一' },
  { key: 'lng', zh: '经度', en: 'Longitude', aliases: ['longitude', 'lon'], hint: 'WGS84' },
  { key: 'lat', zh: '纬度', en: 'Latitude', aliases: ['latitude'], hint: 'WGS84' },
];

export const importColumns: Record<ImportKind, readonly ImportColumn[]> = {
  persons: [
    { key: 'name', zh: '姓名', en: 'Name', required: true },
    {
      key: 'idNumber',
      zh: '公民身份号码',
      en: 'ID number',
      required: true,
      aliases: ['身份证号', '身份证号码', '证件号码'],
      pii: 'idNumber',
      hint: '18 位，末位可为 X',
    },
    { key: 'sex', zh: '性别', en: 'Sex', aliases: [], hint: '男/女，可不填（按身份证号）' },
    { key: 'birthDate', zh: '出生日期', en: 'Birth date', hint: 'YYYY-MM-DD，可不填（按身份证号）' },
    { key: 'ethnicity', zh: '民族', en: 'Ethnicity', hint: '如 汉族' },
    { key: 'phone', zh: '联系方式', en: 'Phone', aliases: ['联系电话', '手机号', '电话'], pii: 'phone' },
    { key: 'populationType', zh: '人口类型', en: 'Population type', required: true, hint: '户籍人口/流动人口/境外人员' },
    { key: 'hukouPlace', zh: '户籍地', en: 'Household registration place' },
    { key: 'hukouAddress', zh: '户籍门（楼）详址', en: 'Registered address', aliases: ['户籍地址'] },
    { key: 'currentAddress', zh: '现住门（楼）详址', en: 'Current address', aliases: ['现住址', '现住地址'] },
    { key: 'occupation', zh: '职业', en: 'Occupation' },
    { key: 'workplace', zh: '服务处所', en: 'Workplace', aliases: ['工作单位'] },
    { key: 'marital', zh: '婚姻状况', en: 'Marital status' },
    { key: 'political', zh: '政治面貌', en: 'Political status' },
    { key: 'education', zh: '学历', en: 'Education', aliases: ['文化程度'] },
    ...placement,
  ],
  houses: [
    { key: 'building', zh: '楼栋', en: 'Building', hint: '如 3号楼；平房可不填' },
    { key: 'road', zh: '街路巷', en: 'Road' },
    { key: 'number', zh: '门牌号', en: 'Street number' },
    { key: 'unit', zh: '单元', en: 'Unit' },
    { key: 'floor', zh: '楼层', en: 'Floor' },
    { key: 'room', zh: '室号', en: 'Room', aliases: ['房号'] },
    { key: 'address', zh: '地址', en: 'Address', hint: '无楼栋时填写' },
    { key: 'use', zh: '房屋用途', en: 'Use', required: true, hint: '自住/出租屋/商用/商住混合/空置/其他' },
    { key: 'areaM2', zh: '建筑面积（㎡）', en: 'Area (m²)', aliases: ['面积'] },
    ...placement,
  ],
  organisations: [
    { key: 'name', zh: '单位名称', en: 'Name', required: true, aliases: ['名称', '企业名称'] },
    { key: 'kind', zh: '单位类型', en: 'Kind', required: true, hint: '企业/个体工商户/社会组织/党组织/机关事业单位' },
    { key: 'uscc', zh: '统一社会信用代码', en: 'Credit code', aliases: ['信用代码'] },
    { key: 'legalRepName', zh: '法定代表人', en: 'Legal representative', aliases: ['负责人'] },
    { key: 'phone', zh: '联系电话', en: 'Phone', aliases: ['联系方式'], pii: 'phone' },
    { key: 'address', zh: '地址', en: 'Address', aliases: ['经营地址', '企业地址'] },
    { key: 'employees', zh: '员工数', en: 'Employees', aliases: ['从业人数'] },
    { key: 'keyPremisesType', zh: '重点场所类型', en: 'Key premises type', hint: '网吧/饭店/旅馆…，非重点场所不填' },
    ...placement,
  ],
  facilities: [
    { key: 'kind', zh: '部件类型', en: 'Kind', required: true, hint: '消防栓/灭火器/井盖/路灯/电梯/监控摄像头/健身器材/道路/其他' },
    { key: 'name', zh: '名称', en: 'Name', required: true },
    { key: 'code', zh: '部件编码', en: 'Code' },
    { key: 'state', zh: '状态', en: 'State', hint: '完好/破损/丢失/占用' },
    { key: 'address', zh: '地址', en: 'Address' },
    { key: 'owner', zh: '权属单位', en: 'Owner', aliases: ['养护单位'] },
    ...placement,
  ],
};

export const ImportMode = z.enum(['all_or_nothing', 'keep_valid']);
export type ImportMode = z.infer<typeof ImportMode>;
export const importModeLabels: Record<ImportMode, { zh: string; en: string }> = {
  all_or_nothing: { zh: '全部正确才导入', en: 'All or nothing' },
  keep_valid: { zh: '导入正确的行，跳过错误行', en: 'Keep the valid rows' },
};

export const ImportStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'rejected']);
export const importStatusLabels: Record<z.infer<typeof ImportStatus>, { zh: string; en: string }> = {
  queued: { zh: '排队中', en: 'Queued' },
  running: { zh: '导入中', en: 'Running' },
  succeeded: { zh: '已完成', en: 'Done' },
  failed: { zh: '失败', en: 'Failed' },
  rejected: { zh: '有错误，未导入', en: 'Errors; nothing imported' },
};

export const ImportStartQuery = z.strictObject({
  mode: ImportMode.default('keep_valid'),
  /** File name as the user chose it: decides xlsx vs csv when the content does not. */
  fileName: z.string().trim().min(1).max(200),
});
export const ImportJob = z.object({
  id: z.uuid(),
  kind: ImportKind,
  mode: ImportMode,
  fileName: z.string(),
  format: z.enum(['xlsx', 'csv']).nullable(),
  encoding: z.string().nullable().describe('detected CSV encoding: UTF-8 or GB18030/GBK'),
  status: ImportStatus,
  rowsRead: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  /** A file-level fault (unreadable file, missing required header …). */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  startedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;
/** Paging of import jobs and of a job's rejected rows (a file can carry thousands of faulty rows). */
export const ImportPageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const ImportJobList = z.object({ items: z.array(ImportJob), total: z.number().int() });
export const ImportRejection = z.object({ row: z.number().int(), column: z.string().nullable(), reason: z.string(), values: z.record(z.string(), z.string()) });
export const ImportRejectionPage = z.object({ items: z.array(ImportRejection), total: z.number().int() });

export const ExportQuery = z.strictObject({
  regionId: z.uuid().optional(),
  gridId: z.uuid().optional(),
  /** Unmasked export: needs `pii.export_unmasked` and a reason; audited either way. */
  unmasked: z.enum(['true', 'false']).default('false'),
  reason: z.string().trim().max(200).optional(),
});

export const CrossCheckDiff = z.object({ field: z.string(), here: z.string().nullable(), there: z.string().nullable() });
export const CrossCheckReport = z.object({
  source: z.string(),
  rowsRead: z.number().int(),
  matched: z.number().int(),
  missingHere: z.array(z.object({ row: z.number().int(), name: z.string().nullable(), idNumberMasked: z.string().nullable() })),
  missingThere: z.array(z.object({ personId: z.uuid(), name: z.string(), idNumberMasked: z.string().nullable(), gridName: z.string() })),
  differing: z.array(z.object({ row: z.number().int(), personId: z.uuid(), name: z.string(), diffs: z.array(CrossCheckDiff) })),
  invalid: z.array(z.object({ row: z.number().int(), column: z.string().nullable(), reason: z.string() })),
});
export const CrossCheckQuery = z.strictObject({
  source: z.string().trim().min(1).max(64).describe('the other department, e.g. 公安人口库'),
  fileName: z.string().trim().min(1).max(200),
  regionId: z.uuid().optional().describe('compare against this subtree (default: the caller view scope)'),
});
