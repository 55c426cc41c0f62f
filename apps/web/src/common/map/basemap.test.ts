import { describe, expect, it } from 'vitest';
import { baseMapSources, offlineStyle } from './basemap';

describe('base map', () => {
  it('offline by default: a background and nothing to fetch (no sources, no glyphs, no sprite)', () => {
    const s = offlineStyle();
    expect(Object.keys(s.sources)).toEqual([]);
    expect(s.glyphs).toBeUndefined();
    expect(s.sprite).toBeUndefined();
    expect(s.layers.map((l) => l.type)).toEqual(['background']);
    expect(baseMapSources({ kind: 'none' })).toEqual([]);
  });

  it('天地图 needs its key and gives the map and its annotation layer over eight subdomains', () => {
    expect(baseMapSources({ kind: 'tianditu_vec' })).toEqual([]);
    const [vec, cva] = baseMapSources({ kind: 'tianditu_vec', tk: 'k&1' });
    expect(vec?.tiles).toHaveLength(8);
    expect(vec?.tiles[3]).toBe(
      'https://t3.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k%261',
    );
    expect(cva?.tiles[0]).toContain('/cva_w/wmts?');
    expect(baseMapSources({ kind: 'tianditu_img', tk: 'k' }).map((s) => s.id)).toEqual(['base-img', 'base-cia']);
  });

  it('an XYZ template needs {z} {x} {y}; {s} expands to subdomains a, b, c', () => {
    expect(baseMapSources({ kind: 'xyz', url: 'https://tiles.example/{z}/{x}.png' })).toEqual([]);
    expect(baseMapSources({ kind: 'xyz', url: 'https://{s}.tiles.example/{z}/{x}/{y}.png' })[0]?.tiles).toEqual([
      'https://a.tiles.example/{z}/{x}/{y}.png',
      'https://b.tiles.example/{z}/{x}/{y}.png',
      'https://c.tiles.example/{z}/{x}/{y}.png',
    ]);
  });
});
