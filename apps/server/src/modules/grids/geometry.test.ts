import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { normaliseArea, parseBBox, toWgs84Position } from './geometry.js';

const square = (x = 117, y = 36.6, d = 0.001) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});

describe('normaliseArea', () => {
  it('returns a WGS84 MultiPolygon with 2-D positions and leaves the input alone', () => {
    const input = square();
    (input.coordinates[0] as number[][])[1]?.push(35);
    const before = JSON.stringify(input);
    const r = normaliseArea(input, 'WGS84');
    expect(r.problems).toEqual([]);
    expect(r.geojson?.type).toBe('MultiPolygon');
    expect(r.geojson?.coordinates[0]?.[0]?.[1]).toEqual([117.001, 36.6]);
    expect(JSON.stringify(input)).toBe(before);
    expect(normaliseArea(input, 'CGCS2000').geojson).toEqual(r.geojson);
    const multi = normaliseArea({ type: 'MultiPolygon', coordinates: [square().coordinates, square(118).coordinates] }, 'WGS84');
    expect(multi.geojson?.coordinates).toHaveLength(2);
  });

  it('converts GCJ-02 and BD-09 with gcoord', () => {
    for (const [crs, from] of [
      ['GCJ02', gcoord.GCJ02],
      ['BD09', gcoord.BD09],
    ] as const) {
      const r = normaliseArea(square(), crs);
      const want = gcoord.transform([117, 36.6], from, gcoord.WGS84);
      expect(r.geojson?.coordinates[0]?.[0]?.[0]).toEqual(want);
      expect(Math.abs((r.geojson?.coordinates[0]?.[0]?.[0]?.[0] as number) - 117)).toBeGreaterThan(1e-3);
    }
    expect(toWgs84Position([117, 36.6], 'GCJ02')).toEqual(gcoord.transform([117, 36.6], gcoord.GCJ02, gcoord.WGS84));
    expect(toWgs84Position([117, 36.6], 'CGCS2000')).toEqual([117, 36.6]);
  });

  const bad: [string, unknown, string, string, string][] = [
    [
      'unclosed ring',
      {
        type: 'Polygon',
        coordinates: [
          [
            [117, 36],
            [117.1, 36],
            [117.1, 36.1],
            [117, 36.1],
          ],
        ],
      },
      'geometry.coordinates.0',
      'ring_not_closed',
      'ring not closed',
    ],
    [
      'too few points',
      {
        type: 'Polygon',
        coordinates: [
          [
            [117, 36],
            [117.1, 36],
            [117, 36],
          ],
        ],
      },
      'geometry.coordinates.0',
      'too_few_points',
      'at least 4',
    ],
    [
      'collinear ring',
      {
        type: 'Polygon',
        coordinates: [
          [
            [117, 36],
            [117.1, 36],
            [117.2, 36],
            [117, 36],
          ],
        ],
      },
      'geometry.coordinates.0',
      'ring_without_area',
      'no area',
    ],
    [
      'hole not closed',
      {
        type: 'Polygon',
        coordinates: [
          square().coordinates[0],
          [
            [117.0002, 36.6002],
            [117.0004, 36.6002],
            [117.0004, 36.6004],
            [117.0002, 36.6003],
          ],
        ],
      },
      'geometry.coordinates.1',
      'ring_not_closed',
      'ring not closed',
    ],
    [
      'second polygon unclosed',
      {
        type: 'MultiPolygon',
        coordinates: [
          square().coordinates,
          [
            [
              [118, 36],
              [118.1, 36],
              [118.1, 36.1],
              [118, 36.2],
            ],
          ],
        ],
      },
      'geometry.coordinates.1.0',
      'ring_not_closed',
      'ring not closed',
    ],
    ['empty polygon', { type: 'Polygon', coordinates: [] }, 'geometry.coordinates', 'empty', 'no coordinates'],
    ['empty multipolygon', { type: 'MultiPolygon', coordinates: [] }, 'geometry.coordinates', 'empty', 'no coordinates'],
    ['a point', { type: 'Point', coordinates: [117, 36] }, 'geometry.type', 'not_polygon', 'Polygon or MultiPolygon'],
    ['not an object', 'POLYGON((0 0))', 'geometry', 'not_geojson', 'no GeoJSON'],
    [
      'text position',
      {
        type: 'Polygon',
        coordinates: [
          [
            [117, 36],
            ['117.1', 36],
            [117.1, 36.1],
            [117, 36],
          ],
        ],
      },
      'geometry.coordinates.0.1',
      'bad_position',
      '[lng, lat]',
    ],
    [
      'out of range',
      {
        type: 'Polygon',
        coordinates: [
          [
            [117, 36],
            [181, 36],
            [117.1, 36.1],
            [117, 36],
          ],
        ],
      },
      'geometry.coordinates.0.1',
      'out_of_range',
      'outside the lng/lat range',
    ],
    [
      'NaN',
      {
        type: 'Polygon',
        coordinates: [
          [
            [117, 36],
            [Number.NaN, 36],
            [117.1, 36.1],
            [117, 36],
          ],
        ],
      },
      'geometry.coordinates.0.1',
      'bad_position',
      '[lng, lat]',
    ],
  ];
  it.each(bad)('refuses %s at its path with a reason', (_name, geometry, path, code, en) => {
    const r = normaliseArea(geometry, 'WGS84');
    expect(r.geojson).toBeNull();
    expect(r.problems[0]).toMatchObject({ path, code });
    expect(r.problems[0]?.reason.en).toContain(en);
    expect(r.problems[0]?.message).toContain(' / ');
  });

  it('names paths below the base path it is given, and refuses an unknown coordinate system', () => {
    const r = normaliseArea(
      {
        type: 'Polygon',
        coordinates: [
          [
            [117, 36],
            [117.1, 36],
            [117.1, 36.1],
            [117, 36.1],
          ],
        ],
      },
      'WGS84',
      'features.3.geometry',
    );
    expect(r.problems[0]?.path).toBe('features.3.geometry.coordinates.0');
    const crs = normaliseArea(square(), 'EPSG:3857');
    expect(crs.geojson).toBeNull();
    expect(crs.problems).toEqual([expect.objectContaining({ path: 'coordSystem', code: 'unknown_crs' })]);
  });
});

describe('parseBBox', () => {
  it('reads minLng,minLat,maxLng,maxLat and refuses anything else', () => {
    expect(parseBBox('116.9,36.5,117.1,36.7')).toEqual({ ok: true, bbox: [116.9, 36.5, 117.1, 36.7] });
    expect(parseBBox('-1,-2,3,4')).toEqual({ ok: true, bbox: [-1, -2, 3, 4] });
    for (const b of ['1,2,3', '3,2,1,4', '1,4,3,2', '1,2,3,95', "1,2,3,4' --", '1e2,2,3,4', '']) {
      const r = parseBBox(b);
      expect(r.ok, b).toBe(false);
      if (!r.ok) expect(r.problem.path).toBe('query.bbox');
    }
  });
});
