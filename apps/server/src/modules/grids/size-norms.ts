import type { GridFlag, GridFlagCode, SizeNormValues } from '@gridgov/contracts/grids';

/** What the size rules look at; households and population are the grid's baseline counts until the registry exists. */
export interface SizeFacts {
  level: 'grid' | 'micro' | 'building';
  grid_type: '01' | '02' | '03';
  baseline_households: number | null;
  baseline_population: number | null;
  workers: number;
  norm: SizeNormValues;
}

const TYPE = { '01': { zh: '城镇', en: 'urban' }, '02': { zh: '农村', en: 'rural' }, '03': { zh: '专属', en: 'dedicated' } } as const;

function flag(code: GridFlagCode, zh: string, en: string, f: Omit<GridFlag, 'code' | 'message'>): GridFlag {
  return { code, message: `${zh} / ${en}`, ...f };
}

/**
 * Size-norm and staffing findings of one grid (GB/T 34300: urban 300–500 households or about 1,000
 * people; rural per jurisdiction; at least `minWorkersPerGrid` full- or part-time workers). Only whole
 * grids (level 'grid') are measured — micro-grids and building units are smaller by design — and
 * dedicated grids (03) only for staffing. Keep in step with `flaggedExpr` in grids.repository.ts.
 */
export function gridFlags(g: SizeFacts): GridFlag[] {
  if (g.level !== 'grid') return [];
  const out: GridFlag[] = [];
  const n = g.norm;
  const t = TYPE[g.grid_type];
  const hh = g.baseline_households;
  const pop = g.baseline_population;
  const range =
    g.grid_type === '01'
      ? { min: n.urbanMinHouseholds, max: n.urbanMaxHouseholds }
      : g.grid_type === '02'
        ? { min: n.ruralMinHouseholds, max: n.ruralMaxHouseholds }
        : null;
  if (range && hh !== null) {
    if (hh > range.max) {
      out.push(
        flag(
          'GRID_TOO_MANY_HOUSEHOLDS',
          `户数 ${hh} 超过${t.zh}网格上限 ${range.max}（基线数据）`,
          `${hh} households exceed the ${t.en} grid maximum of ${range.max} (baseline)`,
          {
            value: hh,
            ...range,
            source: 'baseline',
          },
        ),
      );
    } else if (hh < range.min) {
      out.push(
        flag(
          'GRID_TOO_FEW_HOUSEHOLDS',
          `户数 ${hh} 低于${t.zh}网格下限 ${range.min}（基线数据）`,
          `${hh} households are below the ${t.en} grid minimum of ${range.min} (baseline)`,
          {
            value: hh,
            ...range,
            source: 'baseline',
          },
        ),
      );
    }
  }
  if (g.grid_type === '01' && pop !== null) {
    const people = { min: n.urbanMinPeople, max: n.urbanMaxPeople };
    if (pop > people.max) {
      out.push(
        flag(
          'GRID_TOO_MANY_PEOPLE',
          `人口 ${pop} 超过城镇网格上限 ${people.max}（基线数据）`,
          `${pop} residents exceed the urban grid maximum of ${people.max} (baseline)`,
          {
            value: pop,
            ...people,
            source: 'baseline',
          },
        ),
      );
    } else if (pop < people.min) {
      out.push(
        flag(
          'GRID_TOO_FEW_PEOPLE',
          `人口 ${pop} 低于城镇网格下限 ${people.min}（基线数据）`,
          `${pop} residents are below the urban grid minimum of ${people.min} (baseline)`,
          {
            value: pop,
            ...people,
            source: 'baseline',
          },
        ),
      );
    }
  }
  if (g.workers < n.minWorkersPerGrid) {
    out.push(
      flag(
        'GRID_UNDERSTAFFED',
        `网格员 ${g.workers} 名，少于每格 ${n.minWorkersPerGrid} 名`,
        `${g.workers} grid workers, fewer than ${n.minWorkersPerGrid} per grid`,
        {
          value: g.workers,
          min: n.minWorkersPerGrid,
          source: 'staff',
        },
      ),
    );
  }
  return out;
}
