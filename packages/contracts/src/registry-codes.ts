/**
 * Code tables of the basic-information registry (GB/T 31000 fields, GB 3304 ethnic groups, GB/T 2261
 * sex …) with zh-CN and en labels. One table serves the forms, the import templates, the importer's
 * checks and the exports, so a value means the same thing everywhere.
 */
import { z } from 'zod';

export type Labels<K extends string> = Record<K, { zh: string; en: string }>;

export const DocType = z.enum(['id_card', 'passport', 'hk_macao', 'taiwan', 'foreign_pr', 'other']);
export type DocType = z.infer<typeof DocType>;
export const docTypeLabels: Labels<DocType> = {
  id_card: { zh: '居民身份证', en: 'Resident ID card' },
  passport: { zh: '护照', en: 'Passport' },
  hk_macao: { zh: '港澳居民来往内地通行证', en: 'Home-return permit (HK/Macao)' },
  taiwan: { zh: '台湾居民来往大陆通行证', en: 'Mainland travel permit (Taiwan)' },
  foreign_pr: { zh: '外国人永久居留身份证', en: 'Foreigner permanent residence ID' },
  other: { zh: '其他证件', en: 'Other document' },
};

export const Sex = z.enum(['male', 'female', 'unknown']);
export type Sex = z.infer<typeof Sex>;
export const sexLabels: Labels<Sex> = { male: { zh: '男', en: 'Male' }, female: { zh: '女', en: 'Female' }, unknown: { zh: '未知', en: 'Unknown' } };

/** 人口类型 01 户籍 / 02 流动 / 03 境外 (GB/T 31000 implementations). */
export const PopulationType = z.enum(['registered', 'floating', 'overseas']);
export type PopulationType = z.infer<typeof PopulationType>;
export const populationTypeLabels: Labels<PopulationType> = {
  registered: { zh: '户籍人口', en: 'Registered resident' },
  floating: { zh: '流动人口', en: 'Floating population' },
  overseas: { zh: '境外人员', en: 'Overseas person' },
};

/** GB 3304 民族 in code order (01–56), then 97 其他 and 98 外国血统中国籍人士. */
export const ethnicGroups = [
  '汉族',
  '蒙古族',
  '回族',
  '藏族',
  '维吾尔族',
  '苗族',
  '彝族',
  '壮族',
  '布依族',
  '朝鲜族',
  '满族',
  '侗族',
  '瑶族',
  '白族',
  '土家族',
  '哈尼族',
  '哈萨克族',
  '傣族',
  '黎族',
  '傈僳族',
  '佤族',
  '畲族',
  '高山族',
  '拉祜族',
  '水族',
  '东乡族',
  '纳西族',
  '景颇族',
  '柯尔克孜族',
  '土族',
  '达斡尔族',
  '仫佬族',
  '羌族',
  '布朗族',
  '撒拉族',
  '毛南族',
  '仡佬族',
  '锡伯族',
  '阿昌族',
  '普米族',
  '塔吉克族',
  '怒族',
  '乌孜别克族',
  '俄罗斯族',
  '鄂温克族',
  '德昂族',
  '保安族',
  '裕固族',
  '京族',
  '塔塔尔族',
  '独龙族',
  '鄂伦春族',
  '赫哲族',
  '门巴族',
  '珞巴族',
  '基诺族',
  '其他',
  '外国血统中国籍人士',
] as const;
export const Ethnicity = z.enum(ethnicGroups);
/** Accepts 汉族 or 汉 (common in spreadsheets) and returns the full name, or null. */
export function normaliseEthnicity(v: string): (typeof ethnicGroups)[number] | null {
  const t = v.trim();
  if ((ethnicGroups as readonly string[]).includes(t)) return t as (typeof ethnicGroups)[number];
  const withZu = `${t}族`;
  if ((ethnicGroups as readonly string[]).includes(withZu)) return withZu as (typeof ethnicGroups)[number];
  return null;
}

export const MaritalStatus = z.enum(['unmarried', 'married', 'widowed', 'divorced', 'unknown']);
export const maritalLabels: Labels<z.infer<typeof MaritalStatus>> = {
  unmarried: { zh: '未婚', en: 'Unmarried' },
  married: { zh: '已婚', en: 'Married' },
  widowed: { zh: '丧偶', en: 'Widowed' },
  divorced: { zh: '离婚', en: 'Divorced' },
  unknown: { zh: '未说明', en: 'Not stated' },
};

export const PoliticalStatus = z.enum(['cpc_member', 'cpc_probationary', 'cyl_member', 'democratic_party', 'masses']);
export const politicalLabels: Labels<z.infer<typeof PoliticalStatus>> = {
  cpc_member: { zh: '中共党员', en: 'CPC member' },
  cpc_probationary: { zh: '中共预备党员', en: 'CPC probationary member' },
  cyl_member: { zh: '共青团员', en: 'CYL member' },
  democratic_party: { zh: '民主党派', en: 'Democratic party member' },
  masses: { zh: '群众', en: 'No affiliation' },
};

export const Education = z.enum(['postgraduate', 'bachelor', 'college', 'high_school', 'middle_school', 'primary', 'none']);
export const educationLabels: Labels<z.infer<typeof Education>> = {
  postgraduate: { zh: '研究生', en: 'Postgraduate' },
  bachelor: { zh: '大学本科', en: "Bachelor's" },
  college: { zh: '大学专科', en: 'College' },
  high_school: { zh: '高中/中专', en: 'High school' },
  middle_school: { zh: '初中', en: 'Middle school' },
  primary: { zh: '小学', en: 'Primary' },
  none: { zh: '文盲或半文盲', en: 'None' },
};

/** 与户主关系 (GB/T 4761, simplified to the groups grid work uses). */
export const RelationToHead = z.enum(['head', 'spouse', 'son', 'daughter', 'parent', 'grandparent', 'grandchild', 'sibling', 'other_relative', 'non_relative']);
export type RelationToHead = z.infer<typeof RelationToHead>;
export const relationToHeadLabels: Labels<RelationToHead> = {
  head: { zh: '户主', en: 'Head' },
  spouse: { zh: '配偶', en: 'Spouse' },
  son: { zh: '子', en: 'Son' },
  daughter: { zh: '女', en: 'Daughter' },
  parent: { zh: '父母', en: 'Parent' },
  grandparent: { zh: '祖父母/外祖父母', en: 'Grandparent' },
  grandchild: { zh: '孙子女/外孙子女', en: 'Grandchild' },
  sibling: { zh: '兄弟姐妹', en: 'Sibling' },
  other_relative: { zh: '其他亲属', en: 'Other relative' },
  non_relative: { zh: '非亲属', en: 'Not related' },
};

export const HouseUse = z.enum(['residential', 'rental', 'commercial', 'mixed', 'vacant', 'other']);
export type HouseUse = z.infer<typeof HouseUse>;
export const houseUseLabels: Labels<HouseUse> = {
  residential: { zh: '自住', en: 'Owner-occupied' },
  rental: { zh: '出租屋', en: 'Rental' },
  commercial: { zh: '商用', en: 'Commercial' },
  mixed: { zh: '商住混合', en: 'Mixed use' },
  vacant: { zh: '空置', en: 'Vacant' },
  other: { zh: '其他', en: 'Other' },
};

/** How a person relates to a house: 产权人, 承租人, 居住 (family or other occupant). */
export const HouseRelation = z.enum(['owner', 'tenant', 'resident']);
export type HouseRelation = z.infer<typeof HouseRelation>;
export const houseRelationLabels: Labels<HouseRelation> = {
  owner: { zh: '产权人', en: 'Owner' },
  tenant: { zh: '承租人', en: 'Tenant' },
  resident: { zh: '居住人', en: 'Occupant' },
};

export const OrgKind = z.enum(['enterprise', 'individual', 'social', 'party', 'institution']);
export type OrgKind = z.infer<typeof OrgKind>;
export const orgKindLabels: Labels<OrgKind> = {
  enterprise: { zh: '企业', en: 'Enterprise' },
  individual: { zh: '个体工商户', en: 'Individual business' },
  social: { zh: '社会组织', en: 'Social organisation' },
  party: { zh: '党组织', en: 'Party organisation' },
  institution: { zh: '机关事业单位', en: 'Public institution' },
};

/** Key business premises (B11): flagged for closer attention. */
export const KeyPremisesType = z.enum(['internet_cafe', 'restaurant', 'hotel', 'entertainment', 'hazardous_chemicals', 'gas_station', 'pharmacy', 'other']);
export const keyPremisesLabels: Labels<z.infer<typeof KeyPremisesType>> = {
  internet_cafe: { zh: '网吧', en: 'Internet café' },
  restaurant: { zh: '饭店', en: 'Restaurant' },
  hotel: { zh: '旅馆', en: 'Hotel' },
  entertainment: { zh: '娱乐场所', en: 'Entertainment venue' },
  hazardous_chemicals: { zh: '危化品经营', en: 'Hazardous chemicals' },
  gas_station: { zh: '加油加气站', en: 'Filling station' },
  pharmacy: { zh: '药店', en: 'Pharmacy' },
  other: { zh: '其他', en: 'Other' },
};

/** 关注程度 (GB/T 31000 non-public organisations, key youth). */
export const AttentionLevel = z.enum(['normal', 'medium', 'serious']);
export const attentionLabels: Labels<z.infer<typeof AttentionLevel>> = {
  normal: { zh: '一般', en: 'Normal' },
  medium: { zh: '中等', en: 'Medium' },
  serious: { zh: '严重', en: 'Serious' },
};

export const FacilityKind = z.enum(['fire_hydrant', 'extinguisher', 'manhole', 'street_light', 'elevator', 'camera', 'fitness', 'road', 'other']);
export type FacilityKind = z.infer<typeof FacilityKind>;
export const facilityKindLabels: Labels<FacilityKind> = {
  fire_hydrant: { zh: '消防栓', en: 'Fire hydrant' },
  extinguisher: { zh: '灭火器', en: 'Fire extinguisher' },
  manhole: { zh: '井盖', en: 'Manhole cover' },
  street_light: { zh: '路灯', en: 'Street light' },
  elevator: { zh: '电梯', en: 'Elevator' },
  camera: { zh: '监控摄像头', en: 'Camera' },
  fitness: { zh: '健身器材', en: 'Fitness equipment' },
  road: { zh: '道路', en: 'Road' },
  other: { zh: '其他', en: 'Other' },
};

export const FacilityState = z.enum(['intact', 'damaged', 'lost', 'occupied']);
export type FacilityState = z.infer<typeof FacilityState>;
export const facilityStateLabels: Labels<FacilityState> = {
  intact: { zh: '完好', en: 'Intact' },
  damaged: { zh: '破损', en: 'Damaged' },
  lost: { zh: '丢失', en: 'Lost' },
  occupied: { zh: '占用', en: 'Occupied' },
};

export const KeyPlaceKind = z.enum(['fire_hazard', 'conflict_area', 'crowded', 'hazardous_chemicals', 'construction', 'waters', 'other']);
export type KeyPlaceKind = z.infer<typeof KeyPlaceKind>;
export const keyPlaceKindLabels: Labels<KeyPlaceKind> = {
  fire_hazard: { zh: '消防隐患场所', en: 'Fire hazard' },
  conflict_area: { zh: '矛盾突出区域', en: 'Conflict hot spot' },
  crowded: { zh: '人员密集场所', en: 'Crowded place' },
  hazardous_chemicals: { zh: '危化品场所', en: 'Hazardous chemicals site' },
  construction: { zh: '在建工地', en: 'Construction site' },
  waters: { zh: '危险水域', en: 'Dangerous waters' },
  other: { zh: '其他风险点', en: 'Other risk point' },
};

/** 预警等级 (B9): IV 蓝 一般 … I 红 特别严重. */
export const WarningLevel = z.enum(['blue', 'yellow', 'orange', 'red']);
export type WarningLevel = z.infer<typeof WarningLevel>;
export const warningLevelLabels: Labels<WarningLevel> = {
  blue: { zh: '蓝色（一般）', en: 'Blue (low)' },
  yellow: { zh: '黄色（较重）', en: 'Yellow (elevated)' },
  orange: { zh: '橙色（严重）', en: 'Orange (high)' },
  red: { zh: '红色（特别严重）', en: 'Red (severe)' },
};

/** Look a label up by its zh text (import cells say 出租屋, not rental). */
export function keyOfLabel<K extends string>(labels: Labels<K>, text: string): K | null {
  const t = text.trim();
  for (const [k, l] of Object.entries(labels) as [K, { zh: string; en: string }][]) {
    if (l.zh === t || k === t || l.en.toLowerCase() === t.toLowerCase()) return k;
  }
  return null;
}
