import 'maplibre-gl/dist/maplibre-gl.css';
import { AttributionControl, type Map as MapLibreMap, Map as MapLibreMapClass, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { type CSSProperties, type ReactNode, useEffect, useRef } from 'react';
import { applyBaseMap, type BaseMapSetting, loadBaseMap, offlineStyle } from './basemap';
import type { BBox } from './geometry';

// The bundler moves MapLibre's module worker next to the app's assets; tell MapLibre where.
setWorkerUrl(workerUrl);

export interface MapViewProps {
  /** Fitted once the map is ready. */
  bounds?: BBox;
  center?: [number, number];
  zoom?: number;
  /** Called once, when the style has loaded and layers may be added. */
  onReady: (map: MapLibreMap) => void;
  style?: CSSProperties;
  /** A small map (previews): no controls, no rotation. */
  compact?: boolean;
  children?: ReactNode;
  'data-testid'?: string;
}

/**
 * A MapLibre map with gridgov's offline style and the browser's chosen raster base (off by default).
 * Layers are the caller's business (in onReady). The map is removed when the component unmounts.
 */
export function MapView({ bounds, center, zoom, onReady, style, compact, children, ...rest }: MapViewProps) {
  const box = useRef<HTMLDivElement>(null);
  const ready = useRef(onReady);
  ready.current = onReady;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once; later prop changes are the caller's to apply
  useEffect(() => {
    if (!box.current) return;
    const map = new MapLibreMapClass({
      container: box.current,
      style: offlineStyle(),
      center: center ?? [117.0, 36.67],
      zoom: zoom ?? 12,
      bounds: bounds ? [bounds[0], bounds[1], bounds[2], bounds[3]] : undefined,
      fitBoundsOptions: { padding: compact ? 12 : 40 },
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      maxPitch: 0,
    });
    map.touchZoomRotate.disableRotation();
    if (!compact) {
      map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
      map.addControl(new ScaleControl({ maxWidth: 120, unit: 'metric' }), 'bottom-left');
      map.addControl(new AttributionControl({ compact: true }), 'bottom-right');
    }
    let base: BaseMapSetting = loadBaseMap();
    const onBase = (e: Event) => {
      base = (e as CustomEvent<BaseMapSetting>).detail;
      if (map.isStyleLoaded()) applyBaseMap(map, base);
    };
    window.addEventListener('gridgov:basemap', onBase);
    // The view in the DOM (data-bounds="w,s,e,n"): lets a test or a support person relate screen and ground.
    const publish = () => {
      const b = map.getBounds();
      const el = box.current?.parentElement;
      if (el) {
        el.dataset.bounds = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].join(',');
        el.dataset.zoom = map.getZoom().toFixed(2);
      }
    };
    map.on('moveend', publish);
    map.on('resize', publish);
    map.on('load', () => {
      applyBaseMap(map, base);
      publish();
      ready.current(map);
    });
    const ro = new ResizeObserver(() => map.resize());
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      window.removeEventListener('gridgov:basemap', onBase);
      map.remove();
    };
  }, []);

  return (
    <div style={{ position: 'relative', ...style }} data-testid={rest['data-testid']}>
      <div ref={box} style={{ position: 'absolute', inset: 0 }} />
      {children}
    </div>
  );
}
