import type { AreaGeometry } from '@gridgov/contracts/geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { type BBox, bboxOf, labelPoint, type Pos, type Ring, ringsOf } from '../../../../common/map/geometry';
import { HtmlLabels, type MapLabel } from '../../../../common/map/labels';
import { gridsApi } from '../api';
import { type GridProps, type GridTypeKey, gridProps, type RegionProps, regionProps } from './features';

export const typeColors: Record<GridTypeKey, string> = { '01': '#2f6fd6', '02': '#2e9e5b', '03': '#8b5cf6' };
export const issueColors = { overlap: '#e03131', gap: '#f76707', outside: '#c2255c' } as const;
export const previewColors = ['#f08c00', '#1c7ed6', '#0ca678', '#ae3ec9'] as const;

/** Grids are fetched from this zoom on (a street or less in view); below it only region outlines. */
export const MIN_GRID_ZOOM = 13;
/** Grid names are drawn from this zoom on, when no more than MAX_GRID_LABELS are in view. */
const GRID_LABEL_ZOOM = 14.5;
const MAX_GRID_LABELS = 250;

export interface LayerState {
  loading: boolean;
  zoomedOut: boolean;
  truncated: boolean;
  error: string | null;
  count: number;
}

const empty = { type: 'FeatureCollection' as const, features: [] };

/**
 * The grid map's own layers: region outlines, grids coloured by type (red outline when out of the
 * size norms), the selection, coverage issues and proposal previews; plus HTML labels for what is in
 * view. Data come by bounding box on every move (debounced), never a whole district at once.
 */
export class GridLayers {
  readonly labels: HtmlLabels;
  readonly grids = new Map<string, { props: GridProps; geometry: AreaGeometry }>();
  readonly regions = new Map<string, { props: RegionProps; geometry: AreaGeometry }>();
  private labelAt = new WeakMap<AreaGeometry, Pos>();
  private selected: string[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private seq = 0;
  private issueLabels: MapLabel[] = [];
  private previewLabels: MapLabel[] = [];
  /** Grids whose own label would sit on top of a preview of what replaces them. */
  private hiddenLabels = new Set<string>();
  private destroyed = false;
  /** Grids as they were on this date (YYYY-MM-DD); null: today. */
  private on: string | null = null;

  constructor(
    private readonly map: MapLibreMap,
    private readonly onState: (s: LayerState) => void,
  ) {
    this.labels = new HtmlLabels(map);
    this.install();
    map.on('moveend', this.onMove);
    this.refresh();
  }

  private install() {
    const m = this.map;
    m.addSource('regions', { type: 'geojson', data: empty });
    m.addSource('grids', { type: 'geojson', data: empty });
    m.addSource('coverage', { type: 'geojson', data: empty });
    m.addSource('preview', { type: 'geojson', data: empty });
    m.addLayer({
      id: 'grids-fill',
      type: 'fill',
      source: 'grids',
      paint: {
        'fill-color': ['match', ['get', 'gridType'], '02', typeColors['02'], '03', typeColors['03'], typeColors['01']],
        'fill-opacity': ['case', ['boolean', ['get', 'selected'], false], 0.42, 0.16],
      },
    });
    m.addLayer({
      id: 'grids-line',
      type: 'line',
      source: 'grids',
      paint: { 'line-color': ['match', ['get', 'gridType'], '02', typeColors['02'], '03', typeColors['03'], typeColors['01']], 'line-width': 1.2 },
    });
    m.addLayer({
      id: 'grids-flag',
      type: 'line',
      source: 'grids',
      filter: ['==', ['get', 'flagged'], true],
      paint: { 'line-color': '#e03131', 'line-width': 2.4 },
    });
    m.addLayer({
      id: 'regions-line',
      type: 'line',
      source: 'regions',
      paint: {
        'line-color': '#3d4852',
        'line-width': ['match', ['get', 'level'], 'community', 1.6, 'street', 2.6, 3.2],
        'line-dasharray': ['match', ['get', 'level'], 'community', ['literal', [4, 2]], ['literal', [1, 0]]],
        'line-opacity': 0.8,
      },
    });
    m.addLayer({
      id: 'grids-selected',
      type: 'line',
      source: 'grids',
      filter: ['==', ['get', 'selected'], true],
      paint: { 'line-color': '#111827', 'line-width': 3 },
    });
    m.addLayer({
      id: 'coverage-fill',
      type: 'fill',
      source: 'coverage',
      paint: { 'fill-color': ['match', ['get', 'kind'], 'overlap', issueColors.overlap, 'gap', issueColors.gap, issueColors.outside], 'fill-opacity': 0.6 },
    });
    m.addLayer({
      id: 'coverage-line',
      type: 'line',
      source: 'coverage',
      paint: { 'line-color': ['match', ['get', 'kind'], 'overlap', issueColors.overlap, 'gap', issueColors.gap, issueColors.outside], 'line-width': 2 },
    });
    m.addLayer({ id: 'preview-fill', type: 'fill', source: 'preview', paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.35 } });
    m.addLayer({ id: 'preview-line', type: 'line', source: 'preview', paint: { 'line-color': ['get', 'color'], 'line-width': 2.5, 'line-dasharray': [3, 2] } });
  }

  private onMove = () => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 250);
  };

  private bboxString(): string {
    const b = this.map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((n) => n.toFixed(6)).join(',');
  }

  /** Refetches what is in view now. */
  async refresh() {
    const seq = ++this.seq;
    const bbox = this.bboxString();
    const zoomedOut = this.map.getZoom() < MIN_GRID_ZOOM;
    this.onState({ loading: true, zoomedOut, truncated: false, error: null, count: this.grids.size });
    try {
      const [regions, grids] = await Promise.all([gridsApi.regionFeatures(bbox), zoomedOut ? Promise.resolve(null) : gridsApi.features(bbox, this.on)]);
      if (seq !== this.seq || this.destroyed) return;
      this.regions.clear();
      for (const f of regions.features) {
        const p = regionProps(f);
        this.regions.set(p.id, { props: p, geometry: f.geometry });
      }
      this.grids.clear();
      for (const f of grids?.features ?? []) {
        const p = gridProps(f);
        this.grids.set(p.id, { props: p, geometry: f.geometry });
      }
      this.render();
      this.onState({
        loading: false,
        zoomedOut,
        truncated: grids?.truncated === true || (grids?.features.length ?? 0) >= 2000,
        error: null,
        count: this.grids.size,
      });
    } catch (e) {
      if (seq !== this.seq || this.destroyed) return;
      this.onState({ loading: false, zoomedOut, truncated: false, error: e instanceof Error ? e.message : String(e), count: this.grids.size });
    }
  }

  private render() {
    const sel = new Set(this.selected);
    (this.map.getSource('grids') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: [...this.grids.values()].map((g) => ({
        type: 'Feature',
        id: g.props.id,
        geometry: g.geometry,
        properties: { ...g.props, selected: sel.has(g.props.id) },
      })),
    });
    (this.map.getSource('regions') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: [...this.regions.values()].map((r) => ({
        type: 'Feature',
        geometry: r.geometry,
        properties: { id: r.props.id, name: r.props.name, level: r.props.level },
      })),
    });
    this.updateLabels();
  }

  private pointOf(g: AreaGeometry): Pos {
    let p = this.labelAt.get(g);
    if (!p) {
      p = labelPoint(g);
      this.labelAt.set(g, p);
    }
    return p;
  }

  updateLabels() {
    const b = this.map.getBounds();
    const inView = (p: Pos) => p[0] >= b.getWest() && p[0] <= b.getEast() && p[1] >= b.getSouth() && p[1] <= b.getNorth();
    const out: MapLabel[] = [];
    const zoom = this.map.getZoom();
    const gridLabels: MapLabel[] = [];
    if (zoom >= GRID_LABEL_ZOOM) {
      for (const g of this.grids.values()) {
        if (this.hiddenLabels.has(g.props.id)) continue;
        const at = this.pointOf(g.geometry);
        if (inView(at))
          gridLabels.push({ key: `g:${g.props.id}`, text: g.props.name, sub: g.props.code, at, variant: 'grid', data: { gridCode: g.props.code } });
      }
    }
    if (gridLabels.length > 0 && gridLabels.length <= MAX_GRID_LABELS) out.push(...gridLabels);
    else
      for (const r of this.regions.values()) {
        if (r.props.level !== 'community' && !(r.props.level === 'street' && zoom < 13)) continue;
        const at = r.props.label ?? this.pointOf(r.geometry);
        if (inView(at)) out.push({ key: `r:${r.props.id}`, text: r.props.name, at, variant: 'region', data: { regionCode: r.props.code } });
      }
    this.labels.set([...out, ...this.issueLabels, ...this.previewLabels]);
  }

  /** Shows the grids valid on `date` (history), or today's with null. */
  setDate(date: string | null) {
    this.on = date;
    void this.refresh();
  }

  setSelected(ids: string[]) {
    this.selected = ids;
    if (this.grids.size > 0) this.render();
  }

  setCoverage(issues: { kind: 'overlap' | 'gap' | 'outside'; areaM2: number; geometry: AreaGeometry }[], labelOf: (kind: string, area: number) => string) {
    (this.map.getSource('coverage') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: issues.map((i, n) => ({ type: 'Feature', id: n, geometry: i.geometry, properties: { kind: i.kind, areaM2: i.areaM2 } })),
    });
    this.issueLabels = issues.map((i, n) => ({ key: `i:${n}`, text: labelOf(i.kind, i.areaM2), at: this.pointOf(i.geometry), variant: 'issue' }));
    this.updateLabels();
  }

  setPreview(parts: { geometry: AreaGeometry; color: string; label?: string }[], replacing: string[] = []) {
    this.hiddenLabels = new Set(replacing);
    (this.map.getSource('preview') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: parts.map((p, n) => ({ type: 'Feature', id: n, geometry: p.geometry, properties: { color: p.color } })),
    });
    this.previewLabels = parts.flatMap((p, n) => (p.label ? [{ key: `p:${n}`, text: p.label, at: this.pointOf(p.geometry), variant: 'issue' as const }] : []));
    this.updateLabels();
  }

  /** Rings of the grids in view except `exceptId`: what new vertices snap to. */
  snapRings(exceptId?: string | null): Ring[] {
    const gs: AreaGeometry[] = [];
    for (const g of this.grids.values()) if (g.props.id !== exceptId) gs.push(g.geometry);
    for (const r of this.regions.values()) if (r.props.level === 'community') gs.push(r.geometry);
    return ringsOf(gs);
  }

  fitTo(g: AreaGeometry, maxZoom = 16) {
    const b: BBox = bboxOf(g);
    this.map.fitBounds(
      [
        [b[0], b[1]],
        [b[2], b[3]],
      ],
      { padding: 80, maxZoom, duration: 600 },
    );
  }

  destroy() {
    this.destroyed = true;
    if (this.timer) clearTimeout(this.timer);
    this.map.off('moveend', this.onMove);
    this.labels.clear();
  }
}
