import type { Map as MapLibreMap } from 'maplibre-gl';
import {
  type GeoJSONStoreFeatures,
  type SnapToCustom,
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  ValidateNotSelfIntersecting,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type { Pos, Ring } from './geometry';
import { snapTo } from './geometry';

const INK = '#d9480f';

/**
 * Drawing on the grid map with terra-draw: a cut line, a new polygon, or the vertices of an existing
 * polygon — each snapping to the vertices and edges of the neighbouring grids (`snapRings`), so a
 * redrawn boundary meets its neighbours exactly instead of leaving slivers.
 */
export class MapDrawing {
  private readonly draw: TerraDraw;
  private editingId: string | number | null = null;
  private finishListener: ((f: GeoJSONStoreFeatures) => void) | null = null;

  constructor(
    private readonly map: MapLibreMap,
    snapRings: () => Ring[],
  ) {
    const toCustom: SnapToCustom = (event, ctx) => snapTo({ x: event.containerX, y: event.containerY }, snapRings(), (p: Pos) => ctx.project(p[0], p[1]));
    const snapping = { toCustom, toCoordinate: true };
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, prefixId: 'gg-draw' }),
      modes: [
        new TerraDrawLineStringMode({
          snapping,
          styles: { lineStringColor: INK, lineStringWidth: 3, closingPointColor: INK, closingPointWidth: 6, snappingPointColor: '#1f5fbf' },
        }),
        new TerraDrawPolygonMode({
          snapping,
          validation: (feature, { updateType }) =>
            updateType === 'finish' || updateType === 'commit' ? ValidateNotSelfIntersecting(feature) : { valid: true },
          styles: { fillColor: INK, fillOpacity: 0.15, outlineColor: INK, outlineWidth: 2, closingPointColor: INK, snappingPointColor: '#1f5fbf' },
        }),
        new TerraDrawSelectMode({
          allowManualDeselection: false,
          keyEvents: null,
          flags: {
            polygon: {
              feature: {
                draggable: false,
                coordinates: { draggable: true, midpoints: true, deletable: true, snappable: snapping },
                validation: (feature) => ValidateNotSelfIntersecting(feature),
              },
            },
          },
          styles: {
            selectedPolygonColor: INK,
            selectedPolygonFillOpacity: 0.12,
            selectedPolygonOutlineColor: INK,
            selectedPolygonOutlineWidth: 2,
            selectionPointColor: '#ffffff',
            selectionPointOutlineColor: INK,
            selectionPointWidth: 5,
            selectionPointOutlineWidth: 2,
            midPointColor: INK,
            midPointWidth: 3,
          },
        }),
      ],
    });
    this.draw.start();
    this.draw.setMode('static');
    this.draw.on('finish', (id) => {
      const f = this.draw.getSnapshotFeature(id);
      if (f && this.finishListener) this.finishListener(f);
    });
  }

  /** Draw a polyline; `onFinish` gets its coordinates (clicking the last point again, or Enter). */
  drawLine(onFinish: (coords: Pos[]) => void) {
    this.reset();
    this.finishListener = (f) => {
      if (f.geometry.type === 'LineString') onFinish(f.geometry.coordinates as Pos[]);
    };
    this.draw.setMode('linestring');
  }

  /** Draw a polygon; `onFinish` gets its outer ring (closing it on the first point, or Enter). */
  drawPolygon(onFinish: (ring: Pos[]) => void) {
    this.reset();
    this.finishListener = (f) => {
      if (f.geometry.type === 'Polygon') onFinish(f.geometry.coordinates[0] as Pos[]);
    };
    this.draw.setMode('polygon');
  }

  /** Make a polygon's vertices editable; `current()` reads the edited rings. */
  editPolygon(rings: Ring[]) {
    this.reset();
    this.draw.setMode('select');
    const [v] = this.draw.addFeatures([{ type: 'Feature', geometry: { type: 'Polygon', coordinates: rings }, properties: { mode: 'polygon' } }]);
    if (!v?.valid || v.id === undefined) throw new Error(v?.reason ?? 'invalid polygon');
    this.editingId = v.id;
    this.draw.selectFeature(v.id);
  }

  /** The polygon being edited, as it is now. */
  current(): Ring[] | null {
    if (this.editingId === null) return null;
    const f = this.draw.getSnapshotFeature(this.editingId);
    return f?.geometry.type === 'Polygon' ? (f.geometry.coordinates as Ring[]) : null;
  }

  /** Ends a line or polygon being drawn, as Enter would. */
  finish() {
    this.map.getCanvas().dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter', bubbles: true }));
  }

  /** Back to looking: drawings and edits removed, clicks go to the map again. */
  reset() {
    this.finishListener = null;
    this.editingId = null;
    this.draw.setMode('static');
    this.draw.clear();
  }

  destroy() {
    this.finishListener = null;
    try {
      this.draw.stop();
    } catch {
      // the map may already be gone
    }
  }
}
