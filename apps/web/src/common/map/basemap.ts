import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';

/**
 * The base under the grids. Off by default: gridgov works with no internet (a plain background, and
 * the region outlines and labels it serves itself). A deployment that may reach 天地图 or its own tile
 * server can switch a raster base on here; the choice stays in this browser.
 */
export type BaseMapKind = 'none' | 'tianditu_vec' | 'tianditu_img' | 'xyz';

export interface BaseMapSetting {
  kind: BaseMapKind;
  /** 天地图 key (tk). */
  tk?: string;
  /** XYZ template with {z} {x} {y} (and optionally {s} for subdomains a, b, c). */
  url?: string;
  /** Shown in the corner, e.g. "© 天地图". */
  attribution?: string;
}

const STORAGE_KEY = 'gridgov.basemap';
export const BACKGROUND = '#eef1f4';

export function loadBaseMap(): BaseMapSetting {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw) {
      const v = JSON.parse(raw) as BaseMapSetting;
      if (v && ['none', 'tianditu_vec', 'tianditu_img', 'xyz'].includes(v.kind)) return v;
    }
  } catch {
    // storage blocked or bad JSON: the offline default
  }
  return { kind: 'none' };
}

export function saveBaseMap(s: BaseMapSetting) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
  } catch {
    // not fatal: the setting lasts for this page only
  }
  window.dispatchEvent(new CustomEvent('gridgov:basemap', { detail: s }));
}

/** 天地图 WMTS in Web Mercator (`_w`), eight subdomains; CGCS2000 data plots on it without a shift. */
function tianditu(layer: 'vec' | 'cva' | 'img' | 'cia', tk: string): string[] {
  return [0, 1, 2, 3, 4, 5, 6, 7].map(
    (s) =>
      `https://t${s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(tk)}`,
  );
}

function xyz(url: string): string[] {
  return url.includes('{s}') ? ['a', 'b', 'c'].map((s) => url.replace('{s}', s)) : [url];
}

/** Raster sources (bottom first) for the setting; empty when off or incomplete. */
export function baseMapSources(s: BaseMapSetting): { id: string; tiles: string[]; attribution?: string }[] {
  if (s.kind === 'tianditu_vec' && s.tk)
    return [
      { id: 'base-vec', tiles: tianditu('vec', s.tk), attribution: s.attribution || '© 天地图' },
      { id: 'base-cva', tiles: tianditu('cva', s.tk) },
    ];
  if (s.kind === 'tianditu_img' && s.tk)
    return [
      { id: 'base-img', tiles: tianditu('img', s.tk), attribution: s.attribution || '© 天地图' },
      { id: 'base-cia', tiles: tianditu('cia', s.tk) },
    ];
  if (s.kind === 'xyz' && s.url && /\{z\}/.test(s.url) && /\{x\}/.test(s.url) && /\{y\}/.test(s.url))
    return [{ id: 'base-xyz', tiles: xyz(s.url), attribution: s.attribution || undefined }];
  return [];
}

/** Adds the raster base under everything else (below `beforeId`), replacing a previous one. */
export function applyBaseMap(
  map: {
    getLayer(id: string): unknown;
    removeLayer(id: string): unknown;
    getSource(id: string): unknown;
    removeSource(id: string): unknown;
    addSource(id: string, s: SourceSpecification): unknown;
    addLayer(l: LayerSpecification, before?: string): unknown;
    getStyle(): StyleSpecification;
  },
  s: BaseMapSetting,
) {
  for (const l of map.getStyle().layers ?? []) if (l.id.startsWith('base-')) map.removeLayer(l.id);
  for (const id of Object.keys(map.getStyle().sources ?? {})) if (id.startsWith('base-')) map.removeSource(id);
  const above = (map.getStyle().layers ?? []).find((l) => l.id !== 'background')?.id;
  for (const src of baseMapSources(s)) {
    map.addSource(src.id, { type: 'raster', tiles: src.tiles, tileSize: 256, maxzoom: 18, attribution: src.attribution });
    map.addLayer({ id: src.id, type: 'raster', source: src.id }, above);
  }
}

/** The offline style: a solid background, no glyphs, no sprites, nothing fetched. */
export function offlineStyle(): StyleSpecification {
  return { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } }] };
}
