import { gridTypeLabels } from '@gridgov/contracts/grids';
import { AppError } from '../../http/app-error.js';
import { canView, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { GridsRepository } from './grids.repository.js';
import type { RosterStaff, StaffRepository } from './staff.repository.js';
import { todayInChina } from './today.js';

export interface GridExportServiceDeps {
  staff: Pick<StaffRepository, 'roster'>;
  grids: Pick<GridsRepository, 'region'>;
  audit: Pick<AuditRepository, 'append'>;
  today?: () => string;
}

/** Column headers of the grid roster workbook, in order. */
export const GRID_EXPORT_HEADERS = [
  '网格编码',
  '网格名称',
  '类型',
  '所属社区',
  '面积(平方米)',
  '户数',
  '人口',
  '网格长',
  '专职网格员',
  '兼职网格员',
  '联络员',
  '楼栋长',
  '服务站地址',
  '服务站电话',
] as const;

const EXPORTABLE = new Set(['community', 'street']);

/** The grids of a community or street with codes and staffing as an .xlsx workbook (audited as an export). */
export function createGridExportService({ staff, grids, audit, today = todayInChina }: GridExportServiceDeps) {
  return {
    async xlsx(actor: Principal, regionId: string, meta: RequestMeta): Promise<{ filename: string; body: Buffer; rows: number }> {
      const region = await grids.region(regionId);
      if (!region || !canView(actor, region.path)) throw new AppError('NOT_FOUND');
      if (!EXPORTABLE.has(region.level)) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ path: 'query.regionId', code: 'level', message: '请选择社区/村或街道/乡镇 / choose a community or street' }],
        });
      }
      const on = today();
      const roster = await staff.roster(region.path, on);
      const byGrid = new Map<string, RosterStaff[]>();
      for (const s of roster.staff) byGrid.set(s.grid_id, [...(byGrid.get(s.grid_id) ?? []), s]);
      const names = (gridId: string, duty: RosterStaff['duty']) =>
        (byGrid.get(gridId) ?? [])
          .filter((s) => s.duty === duty)
          .map((s) => s.display_name)
          .join('、') || null;

      // Loaded on first export: exceljs costs ~235 ms to import, which start-up should not pay.
      const { default: ExcelJS } = await import('exceljs');
      const wb = new ExcelJS.Workbook();
      wb.creator = 'gridgov 网格化服务管理平台';
      wb.created = new Date();
      const ws = wb.addWorksheet('网格', { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = GRID_EXPORT_HEADERS.map((header, i) => ({ header, key: `c${i}`, width: i === 0 ? 22 : i === 12 ? 32 : 14 }));
      ws.getRow(1).font = { bold: true };
      for (const g of roster.grids) {
        // Values are plain strings and numbers (never formulas), so a name cannot run in a spreadsheet.
        ws.addRow([
          g.code,
          g.name,
          gridTypeLabels[g.grid_type].zh,
          g.community_name,
          g.area === null ? null : Math.round(g.area * 10) / 10,
          g.households,
          g.population,
          names(g.id, 'leader'),
          names(g.id, 'full_time'),
          names(g.id, 'part_time'),
          names(g.id, 'liaison'),
          names(g.id, 'building_head'),
          g.station?.address ?? null,
          g.station?.phone ?? null,
        ]);
      }
      ws.getColumn(1).numFmt = '@';
      const body = Buffer.from(await wb.xlsx.writeBuffer());
      await audit.append({
        ...auditContext(actor, meta),
        action: 'export',
        outcome: 'ok',
        targetType: 'region',
        targetId: region.id,
        regionId: region.id,
        regionPath: region.path,
        details: { what: 'grids.xlsx', region: region.name, code: region.code, rows: roster.grids.length, on },
      });
      return { filename: `网格_${region.name}_${on}.xlsx`, body, rows: roster.grids.length };
    },
  };
}
export type GridExportService = ReturnType<typeof createGridExportService>;
