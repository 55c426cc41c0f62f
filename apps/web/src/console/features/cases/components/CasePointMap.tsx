import { useQuery } from '@tanstack/react-query';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { bboxOf } from '../../../../common/map/geometry';
import { MapView } from '../../../../common/map/MapView';
import { gridKeys, gridsApi } from '../../grids/api';

/**
 * A small offline map with the case's point (a ring, so the spot under it stays visible) and, for
 * staff who may read grids, the outline of the case's grid.
 */
export function CasePointMap({ lng, lat, gridId, height = 220 }: { lng: number; lat: number; gridId?: string | null; height?: number }) {
  const mapRef = useRef<MapLibreMap | null>(null);
  const grid = useQuery({ queryKey: gridKeys.detail(gridId ?? ''), queryFn: () => gridsApi.get(gridId ?? ''), enabled: !!gridId, retry: false });
  const geometry = grid.data?.geometry ?? null;

  const drawGrid = () => {
    const map = mapRef.current;
    if (!map || !geometry) return;
    (map.getSource('case-grid') as GeoJSONSource | undefined)?.setData({ type: 'Feature', geometry, properties: {} });
    const b = bboxOf(geometry);
    map.fitBounds(
      [
        [Math.min(b[0], lng), Math.min(b[1], lat)],
        [Math.max(b[2], lng), Math.max(b[3], lat)],
      ],
      { padding: 16, duration: 0, maxZoom: 17 },
    );
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw when the grid arrives; drawGrid reads the refs
  useEffect(() => drawGrid(), [geometry]);

  return (
    <MapView
      compact
      center={[lng, lat]}
      zoom={16}
      style={{ height, border: '1px solid #d9dee5', borderRadius: 3, overflow: 'hidden' }}
      data-testid="case-map"
      onReady={(map) => {
        map.addSource('case-grid', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        map.addLayer({ id: 'case-grid-fill', type: 'fill', source: 'case-grid', paint: { 'fill-color': '#1f5fbf', 'fill-opacity': 0.06 } });
        map.addLayer({
          id: 'case-grid-line',
          type: 'line',
          source: 'case-grid',
          paint: { 'line-color': '#1f5fbf', 'line-width': 1.5, 'line-dasharray': [3, 2] },
        });
        map.addSource('case-point', {
          type: 'geojson',
          data: { type: 'Feature', geometry: { type: 'Point', coordinates: [lng, lat] }, properties: {} },
        });
        map.addLayer({
          id: 'case-point-halo',
          type: 'circle',
          source: 'case-point',
          paint: { 'circle-radius': 14, 'circle-color': '#d4380d', 'circle-opacity': 0.18 },
        });
        map.addLayer({
          id: 'case-point',
          type: 'circle',
          source: 'case-point',
          paint: { 'circle-radius': 6, 'circle-color': '#d4380d', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
        });
        mapRef.current = map;
        drawGrid();
      }}
    />
  );
}
