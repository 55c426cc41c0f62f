import type { Pos } from '../../../../common/map/geometry';
import type { AreaFeature } from '../api';

export type GridTypeKey = '01' | '02' | '03';

export interface GridProps {
  id: string;
  code: string;
  name: string;
  gridType: GridTypeKey;
  flagged: boolean;
  communityId: string | null;
}
export interface RegionProps {
  id: string;
  name: string;
  level: string;
  code: string;
  /** The server's label point, when it sends one. */
  label: Pos | null;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** The server's feature properties, read leniently (flags may come as a count, a list or a boolean). */
export function gridProps(f: AreaFeature): GridProps {
  const p = f.properties ?? {};
  const flags = p.flags ?? p.flagCount ?? p.flagged;
  const flagged = Array.isArray(flags) ? flags.length > 0 : typeof flags === 'number' ? flags > 0 : flags === true;
  const t = str(p.gridType ?? p.type);
  return {
    id: str(p.id ?? f.id),
    code: str(p.code),
    name: str(p.name),
    gridType: (t === '02' || t === '03' ? t : '01') as GridTypeKey,
    flagged,
    communityId: p.communityId ? str(p.communityId) : null,
  };
}

export function regionProps(f: AreaFeature): RegionProps {
  const p = f.properties ?? {};
  const label: Pos | null = typeof p.labelLng === 'number' && typeof p.labelLat === 'number' ? [p.labelLng, p.labelLat] : null;
  return { id: str(p.id ?? f.id), name: str(p.name), level: str(p.level), code: str(p.code), label };
}
