/**
 * The default event catalogue (C5, C6): 3 major classes × 20 items, seeded for a new jurisdiction and
 * editable afterwards. Each item names the responsible department (by the department code of the demo
 * district's org units; a deployment maps its own), the handling level, per-stage time limits, whether a
 * grid worker may close it on the spot (自行处置) and whether it is admitted to grids (网格事务准入), plus
 * keywords the intake uses to suggest a category from the report text.
 *
 * The numbers are defaults drawn from common local practice (受理 within 2 working hours, 派遣 within 1,
 * 处置 by urgency, 核查 within 1 working day); the national 小类 time-limit table (CJ/T 315) was not
 * found in public material, so every value is data a center can change.
 */
import type { LimitUnit } from '../modules/calendar/working-time.js';

export type HandlingLevel = 'grid' | 'community' | 'street' | 'district';
export interface StageLimit {
  amount: number;
  unit: LimitUnit;
}
export interface CatalogueItemSeed {
  code: string;
  name: string;
  /** Department code of the lead department (demo org units: cg, zj, sj, mz, yj, pcs_qc), or null: handled by the community/street itself. */
  dept: string | null;
  level: HandlingLevel;
  limits: { accept: StageLimit; dispatch: StageLimit; handle: StageLimit; verify: StageLimit };
  selfDispose: boolean;
  admitted: boolean;
  /** 反馈要求 */
  feedback: string;
  /** 结案标准 */
  closure: string;
  keywords: readonly string[];
}
export interface CatalogueClassSeed {
  code: string;
  name: string;
  items: readonly CatalogueItemSeed[];
}

const wh = (amount: number): StageLimit => ({ amount, unit: 'working_hours' });
const wd = (amount: number): StageLimit => ({ amount, unit: 'working_days' });
const nh = (amount: number): StageLimit => ({ amount, unit: 'natural_hours' });

type Speed = 'urgent' | 'fast' | 'normal' | 'slow';
const LIMITS: Record<Speed, CatalogueItemSeed['limits']> = {
  // 紧急: a hazard to life or property — the clock runs around the clock.
  urgent: { accept: nh(0.5), dispatch: nh(0.5), handle: nh(4), verify: nh(4) },
  fast: { accept: wh(2), dispatch: wh(1), handle: wh(8), verify: wd(1) },
  normal: { accept: wh(2), dispatch: wh(1), handle: wd(3), verify: wd(1) },
  slow: { accept: wh(2), dispatch: wh(2), handle: wd(10), verify: wd(2) },
};

function item(
  code: string,
  name: string,
  dept: string | null,
  level: HandlingLevel,
  speed: Speed,
  opts: { self?: boolean; admitted?: boolean; keywords: string[]; closure?: string },
): CatalogueItemSeed {
  return {
    code,
    name,
    dept,
    level,
    limits: LIMITS[speed],
    selfDispose: opts.self ?? false,
    admitted: opts.admitted ?? true,
    feedback: speed === 'urgent' ? '到场后 30 分钟内反馈处置情况，附现场照片' : '处置完成后反馈结果，附处置前后照片',
    closure: opts.closure ?? '问题已消除，网格员现场核查通过',
    keywords: opts.keywords,
  };
}

export const defaultCatalogue: readonly CatalogueClassSeed[] = [
  {
    code: '01',
    name: '民生服务类',
    items: [
      item('0101', '低保与临时救助', 'mz', 'community', 'slow', { keywords: ['低保', '救助', '困难补助'] }),
      item('0102', '养老服务需求', 'mz', 'community', 'normal', { keywords: ['养老', '老人', '助餐', '居家养老'] }),
      item('0103', '残疾人帮扶', 'mz', 'community', 'normal', { keywords: ['残疾', '轮椅', '残联'] }),
      item('0104', '就业创业咨询', null, 'community', 'normal', { self: true, keywords: ['就业', '找工作', '创业', '失业'] }),
      item('0105', '医疗卫生服务', null, 'community', 'normal', { keywords: ['看病', '医保', '家庭医生', '疫苗'] }),
      item('0106', '供水故障', 'zj', 'street', 'fast', { keywords: ['停水', '水压', '漏水', '自来水'] }),
      item('0107', '供暖问题', 'zj', 'street', 'fast', { keywords: ['暖气', '供暖', '不热'] }),
      item('0108', '燃气服务', 'zj', 'street', 'fast', { keywords: ['燃气', '天然气', '煤气表'] }),
      item('0109', '物业服务纠纷', 'zj', 'community', 'normal', { keywords: ['物业', '物业费', '小区管理'] }),
      item('0110', '邻里纠纷调解', null, 'grid', 'normal', { self: true, keywords: ['邻居', '邻里', '纠纷', '吵架'] }),
      item('0111', '家庭矛盾调解', null, 'community', 'normal', { self: true, keywords: ['家庭', '婚姻', '赡养'] }),
      item('0112', '劳资纠纷', 'sj', 'street', 'slow', { keywords: ['欠薪', '工资', '拖欠', '劳动合同'] }),
      item('0113', '教育入学咨询', null, 'community', 'normal', { self: true, keywords: ['入学', '学校', '学区'] }),
      item('0114', '证照代办', null, 'community', 'normal', { self: true, keywords: ['代办', '证明', '办证'] }),
      item('0115', '独居老人关爱', 'mz', 'grid', 'fast', { keywords: ['独居', '空巢', '无人照顾'] }),
      item('0116', '留守儿童关爱', 'mz', 'community', 'normal', { keywords: ['留守儿童', '未成年人', '监护'] }),
      item('0117', '公共服务设施报修', 'cg', 'street', 'normal', { keywords: ['健身器材', '座椅', '报修'] }),
      item('0118', '噪声扰民', 'cg', 'street', 'fast', { keywords: ['噪音', '噪声', '扰民', '广场舞'] }),
      item('0119', '政策咨询', null, 'grid', 'normal', { self: true, keywords: ['政策', '咨询', '怎么办理'] }),
      item('0120', '其他民生诉求', null, 'community', 'normal', { keywords: [] }),
    ],
  },
  {
    code: '02',
    name: '安全隐患类',
    items: [
      item('0201', '消防通道堵塞', 'yj', 'street', 'fast', { self: true, keywords: ['消防通道', '堵塞', '占用通道'] }),
      item('0202', '楼道堆物', null, 'grid', 'fast', { self: true, keywords: ['楼道', '堆放', '杂物'] }),
      item('0203', '电动车违规充电', 'yj', 'grid', 'fast', { self: true, keywords: ['电动车', '充电', '飞线', '楼道充电'] }),
      item('0204', '燃气泄漏隐患', 'zj', 'district', 'urgent', { keywords: ['燃气泄漏', '煤气味', '漏气'] }),
      item('0205', '危房隐患', 'zj', 'district', 'fast', { keywords: ['危房', '裂缝', '墙体', '倒塌'] }),
      item('0206', '井盖缺失破损', 'cg', 'street', 'urgent', { keywords: ['井盖', '窨井', '下水道盖'] }),
      item('0207', '路灯损坏', 'cg', 'street', 'normal', { keywords: ['路灯', '不亮', '灯坏'] }),
      item('0208', '道路塌陷', 'cg', 'district', 'urgent', { keywords: ['塌陷', '地陷', '坑洞'] }),
      item('0209', '电梯故障', 'sj', 'district', 'urgent', { keywords: ['电梯', '困人', '停梯'] }),
      item('0210', '高空坠物隐患', 'zj', 'street', 'fast', { keywords: ['高空', '坠物', '空调外机', '松动'] }),
      item('0211', '危化品违规经营', 'yj', 'district', 'fast', { keywords: ['危化品', '液化气', '违规储存'] }),
      item('0212', '食品安全隐患', 'sj', 'district', 'fast', { keywords: ['食品', '过期', '无证餐饮'] }),
      item('0213', '建筑工地安全隐患', 'zj', 'district', 'fast', { keywords: ['工地', '脚手架', '施工安全'] }),
      item('0214', '防汛积水', 'cg', 'street', 'urgent', { keywords: ['积水', '内涝', '防汛', '淹'] }),
      item('0215', '私拉乱接电线', 'yj', 'grid', 'fast', { self: true, keywords: ['电线', '私拉', '乱接'] }),
      item('0216', '树木倒伏隐患', 'cg', 'street', 'fast', { keywords: ['树木', '倒伏', '断枝'] }),
      item('0217', '社会治安隐患', 'pcs_qc', 'district', 'fast', { admitted: false, keywords: ['治安', '可疑', '盗窃', '打架'] }),
      item('0218', '矛盾激化苗头', 'pcs_qc', 'street', 'urgent', { keywords: ['扬言', '激化', '冲突', '极端'] }),
      item('0219', '森林草原防火', 'yj', 'district', 'urgent', { keywords: ['山火', '烧荒', '防火', '秸秆焚烧'] }),
      item('0220', '其他安全隐患', null, 'street', 'fast', { keywords: [] }),
    ],
  },
  {
    code: '03',
    name: '公共管理类',
    items: [
      item('0301', '暴露垃圾', 'cg', 'street', 'fast', { self: true, keywords: ['垃圾', '暴露', '垃圾桶满'] }),
      item('0302', '道路不洁', 'cg', 'street', 'fast', { keywords: ['路面', '不干净', '保洁'] }),
      item('0303', '乱张贴小广告', 'cg', 'grid', 'normal', { self: true, keywords: ['小广告', '张贴', '牛皮癣'] }),
      item('0304', '无照经营游商', 'sj', 'street', 'fast', { keywords: ['游商', '小贩', '摆摊'] }),
      item('0305', '店外经营', 'cg', 'street', 'fast', { self: true, keywords: ['店外', '出店经营', '占道经营'] }),
      item('0306', '机动车乱停放', 'pcs_qc', 'street', 'fast', { keywords: ['乱停车', '机动车', '违停'] }),
      item('0307', '非机动车乱停放', 'cg', 'grid', 'fast', { self: true, keywords: ['共享单车', '自行车', '乱停'] }),
      item('0308', '乱堆物堆料', 'cg', 'street', 'normal', { self: true, keywords: ['堆物', '堆料', '建筑材料'] }),
      item('0309', '露天烧烤', 'cg', 'street', 'fast', { keywords: ['烧烤', '油烟', '露天'] }),
      item('0310', '违法建设', 'cg', 'district', 'slow', { closure: '违建已拆除或已依法处理，网格员现场核查通过', keywords: ['违建', '私搭乱建', '违章建筑'] }),
      item('0311', '道路破损', 'cg', 'street', 'normal', { keywords: ['道路破损', '坑洼', '路面破'] }),
      item('0312', '施工占道', 'cg', 'street', 'fast', { keywords: ['施工', '占道', '围挡'] }),
      item('0313', '绿地损坏', 'cg', 'street', 'normal', { keywords: ['绿地', '草坪', '毁绿'] }),
      item('0314', '占道废品收购', 'cg', 'street', 'fast', { keywords: ['废品', '收购', '回收'] }),
      item('0315', '违规燃放烟花爆竹', 'pcs_qc', 'street', 'urgent', { admitted: false, keywords: ['烟花', '爆竹', '鞭炮'] }),
      item('0316', '流浪犬只', 'cg', 'street', 'fast', { keywords: ['流浪狗', '犬只', '狗咬'] }),
      item('0317', '公厕问题', 'cg', 'street', 'fast', { keywords: ['厕所', '公厕'] }),
      item('0318', '违规户外广告', 'cg', 'street', 'normal', { keywords: ['广告牌', '招牌', '户外广告'] }),
      item('0319', '渣土撒漏', 'cg', 'street', 'fast', { keywords: ['渣土', '撒漏', '泥头车'] }),
      item('0320', '其他公共管理', null, 'street', 'normal', { keywords: [] }),
    ],
  },
];
