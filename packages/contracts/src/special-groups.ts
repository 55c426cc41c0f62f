/**
 * Special-group registers (B7, B8; GB/T 31000 特殊人群 and 重点青少年): each type has its own fields,
 * a service-priority or risk scale, and a sensitivity level that decides who may see its entries.
 *
 * Sensitivity: 1 一般 (visible to everyone who may read the registry in scope), 2 敏感 (permission
 * `special.sensitive`), 3 高度敏感 (permission `special.restricted`). Anyone else sees neither the entry
 * nor that it exists, unless they open a time-limited, audited break-the-glass grant with a reason.
 */
import { z } from 'zod';

export const Sensitivity = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type Sensitivity = z.infer<typeof Sensitivity>;
export const sensitivityLabels: Record<Sensitivity, { zh: string; en: string }> = {
  1: { zh: '一般', en: 'General' },
  2: { zh: '敏感', en: 'Sensitive' },
  3: { zh: '高度敏感', en: 'Highly sensitive' },
};

/** Service priority (关爱 registers) or risk level (管控 registers), lowest first. */
export const priorityLevels = ['normal', 'priority', 'urgent'] as const;
export const riskLevels = ['low', 'medium', 'high'] as const;
export const SpecialLevel = z.enum([...priorityLevels, ...riskLevels]);
export type SpecialLevel = z.infer<typeof SpecialLevel>;
export const specialLevelLabels: Record<SpecialLevel, { zh: string; en: string }> = {
  normal: { zh: '一般关注', en: 'Normal' },
  priority: { zh: '优先服务', en: 'Priority' },
  urgent: { zh: '重点帮扶', en: 'Urgent' },
  low: { zh: '低风险', en: 'Low risk' },
  medium: { zh: '中风险', en: 'Medium risk' },
  high: { zh: '高风险', en: 'High risk' },
};

export type SpecialFieldType = 'text' | 'date' | 'number' | 'bool' | 'enum';
export interface SpecialFieldDef {
  key: string;
  zh: string;
  en: string;
  type: SpecialFieldType;
  options?: readonly string[];
  required?: boolean;
}

export interface SpecialGroupType {
  code: string;
  zh: string;
  en: string;
  sensitivity: Sensitivity;
  scale: 'priority' | 'risk';
  fields: readonly SpecialFieldDef[];
}

const guardian: SpecialFieldDef[] = [
  { key: 'guardianName', zh: '监护人姓名', en: 'Guardian name', type: 'text' },
  { key: 'guardianPhone', zh: '监护人联系方式', en: 'Guardian phone', type: 'text' },
];
const help: SpecialFieldDef = { key: 'helpSituation', zh: '帮扶情况', en: 'Assistance', type: 'text' };

export const specialGroupTypes: readonly SpecialGroupType[] = [
  {
    code: 'elderly_alone',
    zh: '独居老人',
    en: 'Elderly living alone',
    sensitivity: 1,
    scale: 'priority',
    fields: [
      { key: 'contactName', zh: '紧急联系人', en: 'Emergency contact', type: 'text' },
      { key: 'contactPhone', zh: '紧急联系人电话', en: 'Emergency contact phone', type: 'text' },
      { key: 'healthStatus', zh: '健康状况', en: 'Health', type: 'enum', options: ['健康', '一般', '较差', '失能'] },
      { key: 'visitCycleDays', zh: '走访周期（天）', en: 'Visit cycle (days)', type: 'number' },
    ],
  },
  {
    code: 'empty_nest',
    zh: '空巢老人',
    en: 'Empty-nest elderly',
    sensitivity: 1,
    scale: 'priority',
    fields: [
      { key: 'childrenContact', zh: '子女联系方式', en: "Children's contact", type: 'text' },
      { key: 'healthStatus', zh: '健康状况', en: 'Health', type: 'enum', options: ['健康', '一般', '较差', '失能'] },
    ],
  },
  {
    code: 'elderly_80',
    zh: '80 岁以上老人',
    en: 'Aged 80+',
    sensitivity: 1,
    scale: 'priority',
    fields: [
      { key: 'allowance', zh: '享受高龄津贴', en: 'Receives old-age allowance', type: 'bool' },
      { key: 'healthStatus', zh: '健康状况', en: 'Health', type: 'enum', options: ['健康', '一般', '较差', '失能'] },
    ],
  },
  {
    code: 'disabled',
    zh: '残疾人',
    en: 'Person with disability',
    sensitivity: 1,
    scale: 'priority',
    fields: [
      { key: 'certificateNo', zh: '残疾证号', en: 'Disability certificate no.', type: 'text' },
      { key: 'category', zh: '残疾类别', en: 'Category', type: 'enum', options: ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'] },
      { key: 'grade', zh: '残疾等级', en: 'Grade', type: 'enum', options: ['一级', '二级', '三级', '四级'] },
    ],
  },
  {
    code: 'dibao',
    zh: '低保对象',
    en: 'Minimum-allowance recipient',
    sensitivity: 1,
    scale: 'priority',
    fields: [
      { key: 'certificateNo', zh: '低保证号', en: 'Certificate no.', type: 'text' },
      { key: 'monthlyAmount', zh: '月保障金额（元）', en: 'Monthly amount (yuan)', type: 'number' },
      { key: 'familySize', zh: '保障人数', en: 'Covered persons', type: 'number' },
    ],
  },
  {
    code: 'hardship',
    zh: '困难家庭',
    en: 'Hardship family',
    sensitivity: 1,
    scale: 'priority',
    fields: [{ key: 'hardshipType', zh: '困难类型', en: 'Hardship', type: 'enum', options: ['因病', '因残', '因学', '因灾', '失业', '其他'] }, help],
  },
  {
    code: 'unemployed_4050',
    zh: '“4050”失业人员',
    en: '"4050" unemployed',
    sensitivity: 1,
    scale: 'priority',
    fields: [{ key: 'employmentWish', zh: '就业意向', en: 'Job wanted', type: 'text' }],
  },
  {
    code: 'left_behind_child',
    zh: '留守儿童',
    en: 'Left-behind child',
    sensitivity: 1,
    scale: 'priority',
    fields: [...guardian, { key: 'school', zh: '就读学校', en: 'School', type: 'text' }],
  },
  {
    code: 'left_behind_elder',
    zh: '留守老人',
    en: 'Left-behind elder',
    sensitivity: 1,
    scale: 'priority',
    fields: [{ key: 'childrenWhere', zh: '子女外出地', en: 'Where the children work', type: 'text' }],
  },
  {
    code: 'community_correction',
    zh: '社区矫正人员',
    en: 'Under community correction',
    sensitivity: 2,
    scale: 'risk',
    fields: [
      { key: 'correctionNo', zh: '社区矫正人员编号', en: 'Correction no.', type: 'text' },
      { key: 'correctionType', zh: '矫正类别', en: 'Type', type: 'enum', options: ['管制', '缓刑', '假释', '暂予监外执行'] },
      { key: 'offence', zh: '具体罪名', en: 'Offence', type: 'text' },
      { key: 'startDate', zh: '矫正开始日期', en: 'Start', type: 'date', required: true },
      { key: 'endDate', zh: '矫正结束日期', en: 'End', type: 'date' },
      { key: 'groupFormed', zh: '是否建立矫正小组', en: 'Correction group formed', type: 'bool' },
    ],
  },
  {
    code: 'released_prisoner',
    zh: '刑满释放人员',
    en: 'Released prisoner',
    sensitivity: 2,
    scale: 'risk',
    fields: [
      { key: 'offence', zh: '原罪名', en: 'Original offence', type: 'text' },
      { key: 'releaseDate', zh: '释放日期', en: 'Release date', type: 'date', required: true },
      { key: 'recidivist', zh: '是否累犯', en: 'Recidivist', type: 'bool' },
      { key: 'placement', zh: '安置情况', en: 'Placement', type: 'enum', options: ['已安置', '未安置'] },
      help,
    ],
  },
  {
    code: 'key_youth',
    zh: '重点青少年',
    en: 'Key youth',
    sensitivity: 2,
    scale: 'risk',
    fields: [
      {
        key: 'youthType',
        zh: '人员类型',
        en: 'Type',
        type: 'enum',
        options: ['闲散青少年', '有不良行为青少年', '流浪乞讨未成年人', '服刑在教人员未成年子女', '农村留守儿童', '其他'],
      },
      ...guardian,
      { key: 'helper', zh: '帮扶人', en: 'Helper', type: 'text' },
      help,
    ],
  },
  {
    code: 'psych_risk',
    zh: '心理危机风险人员',
    en: 'Psychological risk',
    sensitivity: 2,
    scale: 'risk',
    fields: [
      { key: 'riskSigns', zh: '风险表现', en: 'Signs', type: 'enum', options: ['矛盾激化', '生活受挫', '心理失衡', '行为异常', '性格偏执'] },
      { key: 'followUp', zh: '跟进情况', en: 'Follow-up', type: 'text' },
      help,
    ],
  },
  {
    code: 'mental_disorder',
    zh: '严重精神障碍患者',
    en: 'Severe mental disorder',
    sensitivity: 3,
    scale: 'risk',
    fields: [
      ...guardian,
      {
        key: 'diagnosis',
        zh: '目前诊断类型',
        en: 'Diagnosis',
        type: 'enum',
        options: [
          '精神分裂症',
          '分裂情感性障碍',
          '持久的妄想性障碍',
          '双相（情感）障碍',
          '癫痫所致精神障碍',
          '精神发育迟滞伴发精神障碍',
          '重度抑郁发作',
          '精神活性物质所致精神障碍',
          '其他',
        ],
      },
      { key: 'riskGrade', zh: '目前危险性评估等级', en: 'Risk grade', type: 'enum', options: ['0级', '1级', '2级', '3级', '4级', '5级'] },
      { key: 'incidentHistory', zh: '有无肇事肇祸史', en: 'History of incidents', type: 'bool' },
      { key: 'treatment', zh: '治疗情况', en: 'Treatment', type: 'text' },
    ],
  },
  {
    code: 'drug_user',
    zh: '吸毒人员',
    en: 'Drug user',
    sensitivity: 3,
    scale: 'risk',
    fields: [
      { key: 'firstFound', zh: '初次发现日期', en: 'First found', type: 'date' },
      { key: 'control', zh: '管控情况', en: 'Control', type: 'enum', options: ['社区戒毒', '社区康复', '强制隔离戒毒', '已戒断'] },
      help,
    ],
  },
  {
    code: 'aids_risk',
    zh: '艾滋病危险人员',
    en: 'AIDS risk',
    sensitivity: 3,
    scale: 'risk',
    fields: [{ key: 'attention', zh: '关注类型', en: 'Attention', type: 'text' }, { key: 'treatment', zh: '收治情况', en: 'Treatment', type: 'text' }, help],
  },
];

export const specialGroupByCode = new Map(specialGroupTypes.map((t) => [t.code, t]));
export const SpecialGroupCode = z.string().refine((c) => specialGroupByCode.has(c), { message: '未知的特殊人群类型 / unknown register' });

/** Levels valid for a type's scale. */
export function levelsOf(t: SpecialGroupType): readonly SpecialLevel[] {
  return t.scale === 'priority' ? priorityLevels : riskLevels;
}

/** Checks an entry's fields against its type; returns one issue per bad field (path `fields.<key>`). */
export function checkSpecialFields(t: SpecialGroupType, fields: Record<string, unknown>): { path: string; zh: string; en: string }[] {
  const issues: { path: string; zh: string; en: string }[] = [];
  for (const key of Object.keys(fields)) {
    if (!t.fields.some((f) => f.key === key)) issues.push({ path: `fields.${key}`, zh: `“${t.zh}”没有字段 ${key}`, en: `${t.en} has no field ${key}` });
  }
  for (const f of t.fields) {
    const v = fields[f.key];
    if (v === undefined || v === null || v === '') {
      if (f.required) issues.push({ path: `fields.${f.key}`, zh: `请填写${f.zh}`, en: `${f.en} is required` });
      continue;
    }
    const bad = (zh: string, en: string) => issues.push({ path: `fields.${f.key}`, zh: `${f.zh}：${zh}`, en: `${f.en}: ${en}` });
    if (f.type === 'text' && (typeof v !== 'string' || v.length > 500)) bad('应为不超过 500 字的文字', 'text up to 500 characters');
    if (f.type === 'number' && (typeof v !== 'number' || !Number.isFinite(v))) bad('应为数字', 'must be a number');
    if (f.type === 'bool' && typeof v !== 'boolean') bad('应为是/否', 'must be yes/no');
    if (f.type === 'date' && (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))))
      bad('应为日期 YYYY-MM-DD', 'must be a date YYYY-MM-DD');
    if (f.type === 'enum' && (typeof v !== 'string' || !f.options?.includes(v)))
      bad(`应为 ${f.options?.join('、')} 之一`, `must be one of ${f.options?.join(', ')}`);
  }
  return issues;
}
