/**
 * The demo district: fictional 明湖区 under 济南市 (370118 is not an assigned county code), with
 * NBS-style twelve-digit codes: towns 0xx = 街道, 1xx = 镇; villages 001–199 = 居委会, 200–399 = 村委会.
 */
export interface DemoRegion {
  code: string;
  name: string;
  kind?: 'urban' | 'rural';
  children?: DemoRegion[];
}

export const demoDistrict: DemoRegion = {
  code: '370118',
  name: '明湖区',
  children: [
    {
      code: '370118001000',
      name: '泉城街道',
      children: [
        { code: '370118001001', name: '趵突泉社区', kind: 'urban' },
        { code: '370118001002', name: '芙蓉巷社区', kind: 'urban' },
        { code: '370118001003', name: '曲水亭社区', kind: 'urban' },
      ],
    },
    {
      code: '370118002000',
      name: '柳荫街道',
      children: [
        { code: '370118002001', name: '百花洲社区', kind: 'urban' },
        { code: '370118002002', name: '大明湖社区', kind: 'urban' },
        { code: '370118002003', name: '鹊华社区', kind: 'urban' },
      ],
    },
    {
      code: '370118003000',
      name: '华山街道',
      children: [
        { code: '370118003001', name: '华阳社区', kind: 'urban' },
        { code: '370118003002', name: '卧牛山社区', kind: 'urban' },
        { code: '370118003201', name: '华不注村', kind: 'rural' },
      ],
    },
    {
      code: '370118101000',
      name: '鹊山镇',
      children: [
        { code: '370118101001', name: '鹊山社区', kind: 'urban' },
        { code: '370118101201', name: '北滩村', kind: 'rural' },
        { code: '370118101202', name: '西河崖村', kind: 'rural' },
        { code: '370118101203', name: '药山村', kind: 'rural' },
      ],
    },
  ],
};

/** Org units: a center per district/street level, a station per community, departments at district. */
export const demoDepartments = [
  { name: '区城市管理局', deptCode: 'cg', phone: '0531-8800 1201' },
  { name: '区住房和城乡建设局', deptCode: 'zj', phone: '0531-8800 1202' },
  { name: '区市场监督管理局', deptCode: 'sj', phone: '0531-8800 1203' },
  { name: '区民政局', deptCode: 'mz', phone: '0531-8800 1204' },
  { name: '区应急管理局', deptCode: 'yj', phone: '0531-8800 1205' },
  { name: '泉城派出所', deptCode: 'pcs_qc', phone: '0531-8800 1206' },
];

/** Every demo account shares this password so a visitor can try each role; demo profile only. */
export const DEMO_PASSWORD = 'Gridgov@2026';

export interface DemoUser {
  username: string;
  displayName: string;
  mobile: string;
  role: import('@gridgov/contracts/roles').Role;
  /** Region code of the capture scope root; view scope = capture unless `view` is given. */
  scope?: string;
  view?: string[];
  /** org unit by name (departments) or by the region code of its center/station */
  orgUnit?: string;
}

export const demoUsers: DemoUser[] = [
  { username: 'admin', displayName: '系统管理员', mobile: '13800000001', role: 'system_admin', scope: '370118', orgUnit: '370118' },
  { username: 'qu_zhongxin', displayName: '王主任', mobile: '13800000002', role: 'district_center', scope: '370118', orgUnit: '370118' },
  { username: 'jd_quancheng', displayName: '李调度', mobile: '13800000003', role: 'street_center', scope: '370118001000', orgUnit: '370118001000' },
  { username: 'jd_liuyin', displayName: '赵调度', mobile: '13800000004', role: 'street_center', scope: '370118002000', orgUnit: '370118002000' },
  { username: 'sq_baotuquan', displayName: '陈站长', mobile: '13800000005', role: 'community_station', scope: '370118001001', orgUnit: '370118001001' },
  { username: 'wgz_baotuquan', displayName: '刘网格长', mobile: '13800000006', role: 'grid_leader', scope: '370118001001', orgUnit: '370118001001' },
  { username: 'wgy_baotuquan', displayName: '张网格员', mobile: '13800000007', role: 'grid_worker', scope: '370118001001', orgUnit: '370118001001' },
  { username: 'wgy_daminghu', displayName: '孙网格员', mobile: '13800000008', role: 'grid_worker', scope: '370118002002', orgUnit: '370118002002' },
  { username: 'bm_chengguan', displayName: '周处置员', mobile: '13800000009', role: 'dept_handler', scope: '370118', orgUnit: '区城市管理局' },
  { username: 'jumin', displayName: '居民小吴', mobile: '13800000010', role: 'resident' },
  // One grid worker for each further community, so most demo grids have someone to reach.
  ...(
    [
      ['wgy_furongxiang', '王网格员', '370118001002'],
      ['wgy_qushuiting', '钱网格员', '370118001003'],
      ['wgy_baihuazhou', '郑网格员', '370118002001'],
      ['wgy_quehua', '冯网格员', '370118002003'],
      ['wgy_huayang', '卫网格员', '370118003001'],
      ['wgy_woniushan', '蒋网格员', '370118003002'],
      ['wgy_huabuzhu', '沈网格员', '370118003201'],
      ['wgy_queshan', '韩网格员', '370118101001'],
      ['wgy_beitan', '杨网格员', '370118101201'],
      ['wgy_xiheya', '朱网格员', '370118101202'],
      ['wgy_yaoshan', '秦网格员', '370118101203'],
    ] as const
  ).map(
    ([username, displayName, community], k): DemoUser => ({
      username,
      displayName,
      mobile: `138000000${11 + k}`,
      role: 'grid_worker',
      scope: community,
      orgUnit: community,
    }),
  ),
];

/**
 * Grid staffing in the demo: each community's grid worker serves its grids numbered 1–8 (so a few grids
 * of the larger communities have none, and the staffing flags show); 刘网格长 leads every 趵突泉社区 grid.
 */
export const demoGridStaff: { username: string; communityCode: string; duty: 'leader' | 'full_time'; maxSeq: number }[] = [
  { username: 'wgz_baotuquan', communityCode: '370118001001', duty: 'leader', maxSeq: 999 },
  ...demoUsers
    .filter((u) => u.role === 'grid_worker' && u.scope)
    .map((u) => ({ username: u.username, communityCode: u.scope as string, duty: 'full_time' as const, maxSeq: 8 })),
];
