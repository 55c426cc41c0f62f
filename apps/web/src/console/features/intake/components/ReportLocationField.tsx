import { AimOutlined } from '@ant-design/icons';
import { Button } from 'antd-mobile';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { Marker } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { useAuth } from '../../../../common/auth/AuthProvider';
import { useI18n } from '../../../../common/i18n/I18nProvider';
import { MapView } from '../../../../common/map/MapView';
import { gridsApi } from '../../grids/api';
import type { Point } from '../hooks/useReportSuggest';

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * The report's location as a form field (value/onChange): the phone's GPS, or a tap on the offline map.
 * Staff who may read grids see the grid outlines for orientation (residents see the plain map).
 */
export function ReportLocationField({ value, onChange }: { value?: Point | null; onChange?: (p: Point | null) => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [locating, setLocating] = useState(false);
  const [locError, setLocError] = useState<string | null>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const markerRef = useRef<Marker | null>(null);
  const change = useRef(onChange);
  change.current = onChange;

  // The marker follows the chosen point.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (!value) {
      markerRef.current?.remove();
      markerRef.current = null;
      return;
    }
    if (!markerRef.current) markerRef.current = new Marker({ color: '#d4380d' }).setLngLat([value.lng, value.lat]).addTo(map);
    else markerRef.current.setLngLat([value.lng, value.lat]);
  }, [value]);

  const locate = () => {
    if (!navigator.geolocation) {
      setLocError(t('intake.gpsUnavailable'));
      return;
    }
    setLocating(true);
    setLocError(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        const p = { lng: round(pos.coords.longitude), lat: round(pos.coords.latitude) };
        change.current?.(p);
        mapRef.current?.flyTo({ center: [p.lng, p.lat], zoom: Math.max(mapRef.current.getZoom(), 16) });
      },
      () => {
        setLocating(false);
        setLocError(t('intake.gpsFailed'));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  };

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      <Button block fill="outline" color="primary" onClick={locate} loading={locating} data-testid="report-gps">
        <AimOutlined /> {t('intake.useGps')}
      </Button>
      {locError && <div style={{ color: 'var(--adm-color-danger)', fontSize: 13 }}>{locError}</div>}
      <div style={{ fontSize: 13, color: 'var(--adm-color-weak)' }} data-testid="report-point">
        {value ? `${value.lng.toFixed(6)}, ${value.lat.toFixed(6)}` : t('intake.locationHint')}
      </div>
      <div style={{ height: 200, borderRadius: 8, overflow: 'hidden' }} data-testid="report-map">
        <MapView
          compact
          center={[117.02, 36.67]}
          zoom={13}
          style={{ height: '100%' }}
          onReady={(map) => {
            mapRef.current = map;
            map.on('click', (e) => change.current?.({ lng: round(e.lngLat.lng), lat: round(e.lngLat.lat) }));
            if (!can('grid.read')) return;
            map.addSource('report-grids', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
            map.addLayer({ id: 'report-grids-line', type: 'line', source: 'report-grids', paint: { 'line-color': '#1f5fbf', 'line-width': 1 } });
            map.addLayer({ id: 'report-grids-fill', type: 'fill', source: 'report-grids', paint: { 'fill-color': '#1f5fbf', 'fill-opacity': 0.04 } });
            const load = () => {
              const bb = map.getBounds();
              gridsApi
                .features([bb.getWest(), bb.getSouth(), bb.getEast(), bb.getNorth()].map((n) => n.toFixed(5)).join(','))
                .then((fc) => (map.getSource('report-grids') as GeoJSONSource | undefined)?.setData(fc as never))
                .catch(() => undefined);
            };
            map.on('moveend', load);
            load();
          }}
        />
      </div>
    </div>
  );
}
