import { defaultStageLimits } from '@gridgov/contracts/catalogue';

/** A catalogue item's rules as the console sends them (PUT/POST /api/catalogue/items), for the catalogue tests. */
export const itemRules = (over: Record<string, unknown> = {}) => ({
  deptCode: 'cg',
  level: 'street',
  limits: defaultStageLimits,
  selfDispose: false,
  admitted: true,
  feedback: '反馈处置前后照片',
  closure: '路灯恢复照明，网格员现场核查通过',
  keywords: ['路灯', '不亮'],
  ...over,
});
