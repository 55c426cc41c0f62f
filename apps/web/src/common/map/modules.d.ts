declare module 'polylabel' {
  /** Pole of inaccessibility of a polygon (rings of [x, y]); `distance` is set on the result. */
  export default function polylabel(polygon: number[][][], precision?: number, debug?: boolean): number[] & { distance: number };
}

declare module 'maplibre-gl/dist/maplibre-gl-worker.mjs?url' {
  /** Vite: the URL of the emitted asset. */
  const url: string;
  export default url;
}
