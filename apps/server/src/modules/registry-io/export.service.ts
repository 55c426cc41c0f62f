import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ImportKind } from '@gridgov/contracts/imports';
import {
  educationLabels,
  facilityKindLabels,
  facilityStateLabels,
  houseUseLabels,
  keyPremisesLabels,
  maritalLabels,
  orgKindLabels,
  politicalLabels,
  populationTypeLabels,
  sexLabels,
} from '@gridgov/contracts/registry-codes';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import type { PiiCipher } from '../../lib/pii-crypto.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { GridFilter, RecordScope } from '../registry-common/record-scope.js';
import type { RegistryIoRepository } from './registry-io.repository.js';
import { writeExport } from './xlsx-writer.js';

const PAGE = 2000;
const label = (labels: Record<string, { zh: string }>, k: string | null) => (k ? (labels[k]?.zh ?? k) : null);

export interface ExportDeps {
  repo: Pick<RegistryIoRepository, 'exportPage' | 'personsForCrossCheck' | 'personsNotListed'>;
  audit: Pick<AuditRepository, 'append'>;
  scope: Pick<RecordScope, 'gridFilter'>;
  pii: PiiCipher;
}

const TABLE: Record<ImportKind, 'person' | 'house' | 'organisation' | 'facility'> = {
  persons: 'person',
  houses: 'house',
  organisations: 'organisation',
  facilities: 'facility',
};

/** Registry exports: the caller's view scope (narrowed by region/grid), masked unless an audited unmasked export was granted. */
export function createExportService({ repo, audit, scope, pii }: ExportDeps) {
  /** Rows of a kind in the grids of `filter`, page by page (keyset on id), as export cells. */
  async function* rowsOf(kind: ImportKind, filter: GridFilter, unmasked: boolean): AsyncGenerator<Record<string, string | number | null>> {
    let after = '00000000-0000-0000-0000-000000000000';
    const table = TABLE[kind];
    for (;;) {
      const rows = await repo.exportPage(table, filter, after, PAGE);
      for (const x of rows) yield cellsOf(kind, x, unmasked);
      if (rows.length < PAGE) return;
      after = (rows[rows.length - 1] as { id: string }).id;
    }
  }

  function cellsOf(kind: ImportKind, x: Record<string, unknown>, unmasked: boolean): Record<string, string | number | null> {
    const s = (k: string) => (x[k] === null || x[k] === undefined ? null : String(x[k]));
    const place = { gridCode: s('grid_code'), lng: (x.lng as number | null) ?? null, lat: (x.lat as number | null) ?? null };
    const phone = () => (unmasked && x.phone_enc ? pii.decrypt(x.phone_enc as Uint8Array) : s('phone_masked'));
    switch (kind) {
      case 'persons':
        return {
          name: s('name'),
          idNumber: unmasked && x.id_number_enc ? pii.decrypt(x.id_number_enc as Uint8Array) : s('id_number_masked'),
          sex: label(sexLabels, s('sex')),
          birthDate: x.birth_date ? (x.birth_date instanceof Date ? x.birth_date.toISOString().slice(0, 10) : String(x.birth_date).slice(0, 10)) : null,
          ethnicity: s('ethnicity'),
          phone: phone(),
          populationType: label(populationTypeLabels, s('population_type')),
          hukouPlace: s('hukou_place'),
          hukouAddress: s('hukou_address'),
          currentAddress: s('current_address'),
          occupation: s('occupation'),
          workplace: s('workplace'),
          marital: label(maritalLabels, s('marital')),
          political: label(politicalLabels, s('political')),
          education: label(educationLabels, s('education')),
          ...place,
        };
      case 'houses':
        return {
          address: s('address'),
          unit: s('unit'),
          floor: s('floor'),
          room: s('room'),
          use: label(houseUseLabels, s('use')),
          areaM2: s('area_m2'),
          ...place,
        };
      case 'organisations':
        return {
          name: s('name'),
          kind: label(orgKindLabels, s('kind')),
          uscc: s('uscc'),
          legalRepName: s('legal_rep_name'),
          phone: phone(),
          address: s('address'),
          employees: s('employees'),
          keyPremisesType: label(keyPremisesLabels, s('key_premises_type')),
          ...place,
        };
      case 'facilities':
        return {
          kind: label(facilityKindLabels, s('kind')),
          name: s('name'),
          code: s('code'),
          state: label(facilityStateLabels, s('state')),
          address: s('address'),
          owner: s('owner'),
          ...place,
        };
    }
  }

  return {
    async xlsx(
      actor: Principal,
      kind: ImportKind,
      q: { regionId?: string; gridId?: string; unmasked: 'true' | 'false'; reason?: string },
      meta: RequestMeta,
    ): Promise<{ filename: string; body: Buffer; rows: number }> {
      const unmasked = q.unmasked === 'true';
      if (unmasked && !actor.permissions.has('pii.export_unmasked')) throw new AppError('FORBIDDEN');
      if (unmasked && !q.reason) throw new AppError('REASON_REQUIRED', { fields: [{ path: 'reason', code: 'required', message: '导出明文须说明原因' }] });
      if (q.regionId || q.gridId) {
        // A region or grid outside the caller's view is NOT_FOUND, not an empty file.
        const probe = await scope.gridFilter(actor, 'view', { regionId: q.regionId, gridId: q.gridId });
        if (probe !== null && probe.length === 0) throw new AppError('NOT_FOUND');
      }
      const filter = await scope.gridFilter(actor, 'view', { regionId: q.regionId, gridId: q.gridId });
      const file = path.join(os.tmpdir(), `gridgov-export-${randomUUID()}.xlsx`);
      try {
        const rows = await writeExport(file, kind, rowsOf(kind, filter, unmasked));
        await audit.append({
          ...auditContext(actor, meta),
          action: 'export',
          outcome: 'ok',
          targetType: kind,
          regionId: q.regionId ?? actor.view[0]?.regionId,
          regionPath: actor.view[0]?.path,
          details: { kind, rows, unmasked, ...(unmasked ? { reason: q.reason } : {}), regionId: q.regionId ?? null, gridId: q.gridId ?? null },
        });
        const day = new Date().toISOString().slice(0, 10);
        return { filename: `${kind}-${day}${unmasked ? '-明文' : ''}.xlsx`, body: await readFile(file), rows };
      } finally {
        await rm(file, { force: true });
      }
    },
  };
}
export type ExportService = ReturnType<typeof createExportService>;
