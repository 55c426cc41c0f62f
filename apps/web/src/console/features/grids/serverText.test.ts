import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../common/api/client';
import { describeError, isOverlapRefusal, localPart } from './serverText';

describe('server texts', () => {
  it('picks the side of a “中文 / English” message for the language', () => {
    const m = '户数 680 超过城镇网格上限 500 / 680 households exceed the urban grid maximum of 500';
    expect(localPart(m, 'zh-CN')).toBe('户数 680 超过城镇网格上限 500');
    expect(localPart(m, 'en')).toBe('680 households exceed the urban grid maximum of 500');
    expect(localPart('只有中文', 'en')).toBe('只有中文');
  });

  it('an overlap refusal offers a draft; other refusals do not', () => {
    const overlap = new ApiError(409, 'GRID_OVERLAP', '网格与相邻网格重叠', [
      { path: 'geometry', code: 'overlaps_grid', message: '与网格 X 重叠 12 m² / overlaps grid X by 12 m²' },
    ]);
    expect(isOverlapRefusal(overlap)).toBe(true);
    expect(describeError(overlap, 'zh-CN')).toBe('网格与相邻网格重叠；与网格 X 重叠 12 m²');
    expect(isOverlapRefusal(new ApiError(400, 'GRID_OUTSIDE_COMMUNITY', '网格超出所属社区/村的边界'))).toBe(false);
    expect(isOverlapRefusal(new Error('network'))).toBe(false);
  });
});
