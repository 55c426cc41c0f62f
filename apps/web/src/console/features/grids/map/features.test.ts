import type { AreaGeometry } from '@gridgov/contracts/geojson';
import { describe, expect, it } from 'vitest';
import { gridProps, regionProps } from './features';

const square: AreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [117, 36],
      [117.001, 36],
      [117.001, 36.001],
      [117, 36.001],
      [117, 36],
    ],
  ],
};

describe('map feature properties', () => {
  it('a grid is flagged when the server lists flag codes, and not when the list is empty', () => {
    const base = { id: 'g1', code: '3701180010000100101', name: '趵突泉第一网格', gridType: '01', communityId: 'c1' };
    expect(gridProps({ type: 'Feature', geometry: square, properties: { ...base, flags: ['GRID_TOO_MANY_HOUSEHOLDS'] } }).flagged).toBe(true);
    expect(gridProps({ type: 'Feature', geometry: square, properties: { ...base, flags: [] } })).toEqual({
      id: 'g1',
      code: '3701180010000100101',
      name: '趵突泉第一网格',
      gridType: '01',
      flagged: false,
      communityId: 'c1',
    });
  });

  it('takes the feature id when the properties have none, and an unknown type as urban', () => {
    const p = gridProps({ type: 'Feature', id: 'f9', geometry: square, properties: { name: 'x', gridType: '99' } });
    expect(p.id).toBe('f9');
    expect(p.gridType).toBe('01');
    expect(p.communityId).toBeNull();
  });

  it("a region's label point comes from the server when it sends one", () => {
    expect(
      regionProps({
        type: 'Feature',
        geometry: square,
        properties: { id: 'r', name: '趵突泉社区', level: 'community', code: '370118001001', labelLng: 117.0005, labelLat: 36.0005 },
      }).label,
    ).toEqual([117.0005, 36.0005]);
    expect(regionProps({ type: 'Feature', geometry: square, properties: { id: 'r', name: 'x', level: 'street', code: '1' } }).label).toBeNull();
  });
});
