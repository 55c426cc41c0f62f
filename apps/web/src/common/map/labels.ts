import { type Map as MapLibreMap, Marker } from 'maplibre-gl';
import type { Pos } from './geometry';

export interface MapLabel {
  key: string;
  text: string;
  /** Second line, smaller (e.g. a grid's code). */
  sub?: string;
  at: Pos;
  variant: 'region' | 'grid' | 'issue';
  /** For tests and screen readers: data-* on the label element. */
  data?: Record<string, string>;
}

const STYLE_ID = 'gg-map-label-style';
const CSS = `
.gg-map-label{pointer-events:none;white-space:nowrap;text-align:center;line-height:1.2;
  text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 4px #fff;}
.gg-map-label b{font-weight:600}
.gg-map-label small{display:block;font-size:10px;color:#52606d}
.gg-map-label--region{font-size:14px;color:#2d3748;letter-spacing:1px}
.gg-map-label--grid{font-size:12px;color:#1a202c}
.gg-map-label--issue{font-size:11px;color:#9b2c2c}
`;

function ensureStyle() {
  if (document.getElementById(STYLE_ID)) return;
  const el = document.createElement('style');
  el.id = STYLE_ID;
  el.textContent = CSS;
  document.head.appendChild(el);
}

/**
 * Map labels as HTML elements over the map rather than MapLibre symbol layers: symbol text needs a
 * glyph server (PBF font ranges), and an offline deployment has none. The browser draws the text
 * with the system's CJK font. Meant for the features in view (a few hundred at most).
 */
export class HtmlLabels {
  private markers = new Map<string, { marker: Marker; sig: string }>();

  constructor(private readonly map: MapLibreMap) {
    ensureStyle();
  }

  set(labels: MapLabel[]) {
    const keep = new Set<string>();
    for (const l of labels) {
      keep.add(l.key);
      const sig = `${l.variant}|${l.text}|${l.sub ?? ''}|${l.at[0]},${l.at[1]}`;
      const cur = this.markers.get(l.key);
      if (cur?.sig === sig) continue;
      cur?.marker.remove();
      const el = document.createElement('div');
      el.className = `gg-map-label gg-map-label--${l.variant}`;
      const b = document.createElement('b');
      b.textContent = l.text;
      el.appendChild(b);
      if (l.sub) {
        const s = document.createElement('small');
        s.textContent = l.sub;
        el.appendChild(s);
      }
      for (const [k, v] of Object.entries(l.data ?? {})) el.dataset[k] = v;
      const marker = new Marker({ element: el, anchor: 'center' }).setLngLat(l.at).addTo(this.map);
      // Labels never take clicks: the grid under them does.
      marker.getElement().style.pointerEvents = 'none';
      this.markers.set(l.key, { marker, sig });
    }
    for (const [k, v] of this.markers)
      if (!keep.has(k)) {
        v.marker.remove();
        this.markers.delete(k);
      }
  }

  clear() {
    this.set([]);
  }
}
