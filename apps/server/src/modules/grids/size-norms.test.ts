import { defaultSizeNorm } from '@gridgov/contracts/grids';
import { describe, expect, it } from 'vitest';
import { gridFlags, type SizeFacts } from './size-norms.js';

const grid = (f: Partial<SizeFacts>): SizeFacts => ({
  level: 'grid',
  grid_type: '01',
  baseline_households: 400,
  baseline_population: 1000,
  workers: 1,
  norm: defaultSizeNorm,
  ...f,
});
const codes = (f: Partial<SizeFacts>) => gridFlags(grid(f)).map((x) => x.code);

describe('gridFlags', () => {
  it('flags nothing for an urban grid inside 300–500 households and 500–1,500 people with a worker', () => {
    expect(gridFlags(grid({}))).toEqual([]);
    expect(codes({ baseline_households: 300, baseline_population: 1500 })).toEqual([]);
    expect(codes({ baseline_households: 500, baseline_population: 500 })).toEqual([]);
  });

  it('flags urban households and people out of range, with the number, the range and the source', () => {
    expect(gridFlags(grid({ baseline_households: 501 }))).toEqual([
      {
        code: 'GRID_TOO_MANY_HOUSEHOLDS',
        message: '户数 501 超过城镇网格上限 500（基线数据） / 501 households exceed the urban grid maximum of 500 (baseline)',
        value: 501,
        min: 300,
        max: 500,
        source: 'baseline',
      },
    ]);
    expect(codes({ baseline_households: 299 })).toEqual(['GRID_TOO_FEW_HOUSEHOLDS']);
    expect(codes({ baseline_population: 1501 })).toEqual(['GRID_TOO_MANY_PEOPLE']);
    expect(codes({ baseline_population: 499 })).toEqual(['GRID_TOO_FEW_PEOPLE']);
  });

  it('uses the rural range for 02 grids and no size range for dedicated 03 grids', () => {
    expect(codes({ grid_type: '02', baseline_households: 99, baseline_population: 10 })).toEqual(['GRID_TOO_FEW_HOUSEHOLDS']);
    expect(gridFlags(grid({ grid_type: '02', baseline_households: 301 }))[0]).toMatchObject({ code: 'GRID_TOO_MANY_HOUSEHOLDS', max: 300 });
    expect(codes({ grid_type: '02', baseline_households: 200, baseline_population: 5000 })).toEqual([]);
    expect(codes({ grid_type: '03', baseline_households: 5000, baseline_population: 20000 })).toEqual([]);
  });

  it('flags understaffing for every type, and nothing without counts or below the grid level', () => {
    expect(gridFlags(grid({ workers: 0 }))).toEqual([expect.objectContaining({ code: 'GRID_UNDERSTAFFED', value: 0, min: 1, source: 'staff' })]);
    expect(codes({ grid_type: '03', workers: 0 })).toEqual(['GRID_UNDERSTAFFED']);
    expect(codes({ baseline_households: null, baseline_population: null })).toEqual([]);
    expect(codes({ level: 'micro', workers: 0, baseline_households: 9000 })).toEqual([]);
    expect(codes({ workers: 1, norm: { ...defaultSizeNorm, minWorkersPerGrid: 2 } })).toEqual(['GRID_UNDERSTAFFED']);
  });
});
