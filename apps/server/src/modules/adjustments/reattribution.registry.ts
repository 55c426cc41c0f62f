/**
 * Located record types: tables whose rows carry a grid and a position. When a grid adjustment
 * takes effect, each registered type is re-attributed by location in one set-based UPDATE (see
 * adjustments.repository.ts `reattribute`). The modules that own those tables (houses, persons,
 * organisations, cases …) register them at start-up; the effect step only reads this list.
 */
export interface LocatedRecordType {
  /** Stable key used in the report: 'person', 'house', 'organisation', 'case' … */
  type: string;
  label: { zh: string; en: string };
  /** Table name (a plain identifier, optionally schema-qualified). */
  table: string;
  /** Primary-key column; reported as text. */
  idColumn: string;
  /** uuid column referencing grid(id). */
  gridColumn: string;
  /**
   * SQL expression of the record's point geometry (SRID 4326), written against the table aliased
   * `r`, e.g. `r.geom` or `ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326)`. Code, never user input.
   */
  pointSql: string;
  /** SQL condition on `r` limiting the move to open records, e.g. `r.closed_at IS NULL`. */
  openOnly?: string;
  /**
   * Column of `r` referencing house(id): a record without a point of its own is placed by its house's
   * point (or the house's building's), e.g. a resident registered only by address.
   */
  houseColumn?: string;
}

/** The point expression of a type, falling back to its house's (or that house's building's) point when it has a house column. */
export function pointExpression(t: LocatedRecordType): string {
  if (!t.houseColumn) return t.pointSql;
  return `coalesce(${t.pointSql}, (SELECT coalesce(rh.geom, rhb.geom) FROM house rh LEFT JOIN building rhb ON rhb.id = rh.building_id WHERE rh.id = r.${t.houseColumn}))`;
}

const IDENT = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;
const TYPE_KEY = /^[a-z][a-z0-9_]*$/;

export interface ReattributionRegistry {
  register(def: LocatedRecordType): void;
  unregister(type: string): void;
  list(): readonly LocatedRecordType[];
}

export function createReattributionRegistry(): ReattributionRegistry {
  const types = new Map<string, LocatedRecordType>();
  return {
    register(def) {
      if (!TYPE_KEY.test(def.type)) throw new Error(`located record type: bad key ${def.type}`);
      for (const id of [def.table, def.idColumn, def.gridColumn, ...(def.houseColumn ? [def.houseColumn] : [])]) {
        if (!IDENT.test(id)) throw new Error(`located record type ${def.type}: bad identifier ${id}`);
      }
      if (types.has(def.type)) throw new Error(`located record type ${def.type} is registered twice`);
      types.set(def.type, def);
    },
    unregister(type) {
      types.delete(type);
    },
    list() {
      return [...types.values()];
    },
  };
}

/** The process-wide registry the owning modules register into and the adjustment effect step reads. */
export const reattributionRegistry = createReattributionRegistry();
