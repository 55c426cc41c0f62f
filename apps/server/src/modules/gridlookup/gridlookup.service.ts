import type { CoordSystem } from '@gridgov/contracts/geojson';
import type { GridLocateQuery, GridLocateResult, PublicGridLookupResult } from '@gridgov/contracts/gridlookup';
import type { GridLookupQuery } from '@gridgov/contracts/grids';
import type { z } from 'zod';

type PublicQuery = z.infer<typeof GridLookupQuery>;

import { AppError } from '../../http/app-error.js';
import { canView, type Principal } from '../../http/principal.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { toWgs84Position } from '../grids/geometry.js';
import { todayInChina } from '../grids/today.js';
import type { GridIndexKeeper, GridIndexSource } from './grid-index.js';
import type { GridLookupRepository, LocatedGridRow } from './gridlookup.repository.js';
import type { RateLimiter } from './rate-limit.js';

export interface GridLookupServiceDeps {
  repo: GridLookupRepository;
  index: GridIndexKeeper;
  /** Limits the public lookup per client address. */
  limiter: RateLimiter;
  /** Today in China Standard Time (grid validity dates). */
  today?: () => string;
}

/** Where the in-process index reads from: the version row, and the grids valid today. */
export function gridIndexSource(repo: GridLookupRepository, today: () => string = todayInChina): GridIndexSource {
  return {
    readVersion: async () => ({ version: await repo.indexVersion(), day: today() }),
    async loadCurrent() {
      const day = today();
      const { version, grids } = await repo.loadIndex(day);
      return { version, day, grids };
    },
  };
}

/** An address scoring at least this (0–1 similarity, 1 = written out in full) identifies a grid. */
export const ADDRESS_MIN_SCORE = 0.5;

const msg = {
  outside: '该位置不在本平台服务的区域内 / The location is outside the area this service covers',
  noGrid: (region: string) => `该位置在${region}内，但尚未划入任何网格 / The location is in ${region} but not yet in any grid`,
  noGridOn: (on: string) => `${on} 时该位置不在任何网格内 / On ${on} the location was in no grid`,
  notVisible: '该位置所在网格不在您的查看范围内 / The grid at this location is outside what you may view',
  noAddress:
    '未能根据地址找到网格，请填写小区、道路或村庄名称等更具体的地址，或使用定位 / No grid matches this address; give a residential compound, road or village, or use your location',
  onlyCommunity: (name: string) =>
    `地址只能确定到${name}，其下有多个网格，请补充小区、道路或门牌 / The address only identifies ${name}, which has several grids; add the compound, road or house number`,
  coordsOrAddress: '请提供经纬度（lng 与 lat）或地址 / Give lng and lat, or an address',
  bothCoords: '经度与纬度须同时提供 / Give both lng and lat',
};

type PublicStation = z.infer<typeof PublicGridLookupResult>['station'];

/** The station as published: only the known fields, with the types the contract promises. */
function stationOf(raw: Record<string, unknown> | null): PublicStation {
  if (!raw) return null;
  const str = (k: string) => (typeof raw[k] === 'string' && (raw[k] as string).length <= 128 ? (raw[k] as string) : undefined);
  const num = (k: string, lim: number) => (typeof raw[k] === 'number' && Math.abs(raw[k] as number) <= lim ? (raw[k] as number) : undefined);
  const s = { address: str('address'), phone: str('phone'), hours: str('hours'), lng: num('lng', 180), lat: num('lat', 90) };
  const out = Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));
  return Object.keys(out).length ? out : null;
}

/**
 * Point → grid for staff (scoped, today from the in-process index or a past date from the boundary
 * history) and for the public (coordinates or an address; grid, worker names and the station).
 */
export function createGridLookupService({ repo, index, limiter, today = todayInChina }: GridLookupServiceDeps) {
  /** The grid holding a WGS84 point today, from the index (fresh within a second of any grid write). */
  async function gridToday(point: [number, number]): Promise<string | null> {
    return (await index.ensureFresh()).lookup(point[0], point[1]);
  }

  /** Why a point is in no grid: outside every drawn division, or inside one but not yet divided. */
  async function whyNoGrid(point: [number, number]): Promise<string> {
    const region = await repo.regionAt(point[0], point[1]);
    return region ? msg.noGrid(region.name) : msg.outside;
  }

  async function publicAnswer(row: LocatedGridRow): Promise<Omit<PublicGridLookupResult, 'point' | 'matched' | 'message'>> {
    const staff = await repo.staffOf(row.id);
    return {
      found: true,
      grid: { code: row.code, name: row.name, gridType: row.grid_type, communityName: row.community_name, streetName: row.street_name ?? '' },
      // Names and duties only: workers are reached through the station's phone, not their own.
      workers: staff.map((s) => ({ displayName: s.display_name, duty: s.duty, phone: null })),
      station: stationOf(row.station),
    };
  }

  const none = () => ({ found: false, grid: null, workers: [], station: null });

  return {
    /** Staff lookup: a grid outside the caller's view scope is answered as no grid (found: false). */
    async locate(actor: Principal, q: GridLocateQuery): Promise<GridLocateResult> {
      const point = toWgs84Position([q.lng, q.lat], q.coordSystem);
      const now = today();
      const on = q.on ?? now;
      const gridId = on === now ? await gridToday(point) : await repo.gridAt(point[0], point[1], on);
      if (!gridId) return { found: false, grid: null, point, on, message: on === now ? await whyNoGrid(point) : msg.noGridOn(on) };
      const row = await repo.located(gridId);
      if (!row || !canView(actor, row.community_path)) return { found: false, grid: null, point, on, message: msg.notVisible };
      return {
        found: true,
        grid: {
          id: row.id,
          code: row.code,
          name: row.name,
          gridType: row.grid_type,
          communityId: row.community_id,
          communityName: row.community_name,
          streetId: row.street_id,
          streetName: row.street_name,
        },
        point,
        on,
        message: null,
      };
    },

    /** Public lookup by coordinates (WGS84, GCJ-02 or BD-09) or by address; limited per client address. */
    async publicLookup(q: PublicQuery, meta: RequestMeta): Promise<PublicGridLookupResult> {
      const wait = limiter.take(meta.ip);
      if (wait > 0) throw new AppError('RATE_LIMITED', { details: { retryAfterSeconds: wait } });

      if (q.lng !== undefined || q.lat !== undefined) {
        if (q.lng === undefined || q.lat === undefined) {
          throw new AppError('VALIDATION_FAILED', {
            fields: [{ path: q.lng === undefined ? 'query.lng' : 'query.lat', code: 'required', message: msg.bothCoords }],
          });
        }
        const point = toWgs84Position([q.lng, q.lat], q.coordSystem as CoordSystem);
        const gridId = await gridToday(point);
        const row = gridId ? await repo.located(gridId) : undefined;
        if (!row) return { ...none(), point, matched: null, message: await whyNoGrid(point) };
        return { ...(await publicAnswer(row)), point, matched: null, message: null };
      }

      if (!q.address) {
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'query.lng', code: 'required', message: msg.coordsOrAddress }] });
      }
      const [best] = await repo.matchAddress(q.address, today());
      if (!best || best.score < ADDRESS_MIN_SCORE) return { ...none(), point: null, matched: null, message: msg.noAddress };
      if (best.kind === 'community') return { ...none(), point: null, matched: { kind: best.kind, text: best.text }, message: msg.onlyCommunity(best.text) };
      const row = await repo.located(best.grid_id);
      if (!row) return { ...none(), point: null, matched: null, message: msg.noAddress };
      return { ...(await publicAnswer(row)), point: null, matched: { kind: best.kind, text: best.text }, message: null };
    },
  };
}

export type GridLookupService = ReturnType<typeof createGridLookupService>;
