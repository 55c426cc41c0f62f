import type { GeoJSONSource } from 'maplibre-gl';
import { MapView } from '../../../../common/map/MapView';

/** A small offline map with the case's point (a ring, so the spot under it stays visible). */
export function CasePointMap({ lng, lat, height = 220 }: { lng: number; lat: number; height?: number }) {
  return (
    <MapView
      compact
      center={[lng, lat]}
      zoom={16}
      style={{ height, border: '1px solid #d9dee5', borderRadius: 3, overflow: 'hidden' }}
      data-testid="case-map"
      onReady={(map) => {
        const data = {
          type: 'FeatureCollection' as const,
          features: [{ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [lng, lat] }, properties: {} }],
        };
        if (map.getSource('case-point')) (map.getSource('case-point') as GeoJSONSource).setData(data);
        else map.addSource('case-point', { type: 'geojson', data });
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
      }}
    />
  );
}
