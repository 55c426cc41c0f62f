import type { AreaGeometry } from '@gridgov/contracts/geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { type BBox, bboxOf, labelPoint, unionBBox } from '../../../../common/map/geometry';
import { HtmlLabels } from '../../../../common/map/labels';
import { MapView } from '../../../../common/map/MapView';

export interface PreviewArea {
  geometry: AreaGeometry;
  color: string;
  label?: string;
  sub?: string;
  dashed?: boolean;
}

function boundsOf(areas: PreviewArea[]): BBox | undefined {
  let b: BBox | undefined;
  for (const a of areas) b = b ? unionBBox(b, bboxOf(a.geometry)) : bboxOf(a.geometry);
  return b;
}

/** A small map of a few areas (before / after an adjustment), fitted to them, labelled. */
export function AreaPreviewMap({ areas, height = 240, testId }: { areas: PreviewArea[]; height?: number; testId?: string }) {
  const mapRef = useRef<MapLibreMap | null>(null);
  const labelsRef = useRef<HtmlLabels | null>(null);
  const areasRef = useRef(areas);
  areasRef.current = areas;

  const draw = () => {
    const map = mapRef.current;
    if (!map) return;
    const list = areasRef.current;
    (map.getSource('preview') as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: list.map((a, i) => ({ type: 'Feature', id: i, geometry: a.geometry, properties: { color: a.color, dashed: a.dashed === true } })),
    });
    labelsRef.current?.set(
      list.flatMap((a, i) => (a.label ? [{ key: String(i), text: a.label, sub: a.sub, at: labelPoint(a.geometry), variant: 'grid' as const }] : [])),
    );
    const b = boundsOf(list);
    if (b)
      map.fitBounds(
        [
          [b[0], b[1]],
          [b[2], b[3]],
        ],
        { padding: 16, duration: 0, maxZoom: 17 },
      );
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw when the areas change; draw reads them from the ref
  useEffect(() => draw(), [areas]);

  return (
    <MapView
      compact
      bounds={boundsOf(areas)}
      style={{ height, border: '1px solid #d9dee5', borderRadius: 3, overflow: 'hidden' }}
      data-testid={testId}
      onReady={(map) => {
        map.addSource('preview', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        map.addLayer({ id: 'preview-fill', type: 'fill', source: 'preview', paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.3 } });
        map.addLayer({ id: 'preview-line', type: 'line', source: 'preview', paint: { 'line-color': ['get', 'color'], 'line-width': 2 } });
        mapRef.current = map;
        labelsRef.current = new HtmlLabels(map);
        draw();
      }}
    />
  );
}
