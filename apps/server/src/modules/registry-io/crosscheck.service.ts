import { checkIdNumber, checkPhone, maskIdNumber, maskPhone } from '@gridgov/contracts/identifiers';
import type { CrossCheckReport } from '@gridgov/contracts/imports';
import { importColumns } from '@gridgov/contracts/imports';
import { keyOfLabel, normaliseEthnicity, populationTypeLabels, sexLabels } from '@gridgov/contracts/registry-codes';
import type { z } from 'zod';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import type { PiiCipher } from '../../lib/pii-crypto.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { RecordScope } from '../registry-common/record-scope.js';
import type { CrossCheckPerson, RegistryIoRepository } from './registry-io.repository.js';
import { parseDate } from './row-validation.js';
import { openTable } from './table-reader.js';

type Report = z.infer<typeof CrossCheckReport>;

const norm = (s: string) => s.replace(/[\s*＊]/g, '').toLowerCase();
const BATCH = 2000;

export interface CrossCheckDeps {
  repo: Pick<RegistryIoRepository, 'exportPage' | 'personsForCrossCheck' | 'personsNotListed'>;
  audit: Pick<AuditRepository, 'append'>;
  scope: Pick<RecordScope, 'gridFilter'>;
  pii: PiiCipher;
}

type Here = CrossCheckPerson;

/**
 * 数据比对: a list from another department (身份证号 + 姓名 at least) against the persons of the compared
 * subtree. Matching is by the 身份证号's blind index; numbers in the report are masked.
 */
export function createCrossCheckService({ repo, audit, scope, pii }: CrossCheckDeps) {
  return {
    async persons(actor: Principal, q: { source: string; fileName: string; regionId?: string }, file: string, meta: RequestMeta): Promise<Report> {
      const filter = await scope.gridFilter(actor, 'view', { regionId: q.regionId });
      if (q.regionId && filter !== null && filter.length === 0) throw new AppError('NOT_FOUND');
      const table = await openTable(file, q.fileName);
      const cols = importColumns.persons;
      const report: Report = { source: q.source, rowsRead: 0, matched: 0, missingHere: [], missingThere: [], differing: [], invalid: [] };
      let index: Map<string, number> | null = null;
      const seen = new Set<string>();
      let batch: { row: number; get: (k: string) => string; bidx: Buffer; id: string }[] = [];

      const flush = async () => {
        const rows = batch;
        batch = [];
        if (!rows.length) return;
        const byBidx = await repo.personsForCrossCheck(
          filter,
          rows.map((x) => x.bidx.toString('hex')),
        );
        for (const row of rows) {
          const here = byBidx.get(row.bidx.toString('hex'));
          if (!here) {
            report.missingHere.push({ row: row.row, name: row.get('name') || null, idNumberMasked: maskIdNumber(row.id) });
            continue;
          }
          report.matched++;
          const diffs = compare(here, row.get);
          if (diffs.length) report.differing.push({ row: row.row, personId: here.id, name: here.name, diffs });
        }
      };

      const compare = (here: Here, get: (k: string) => string) => {
        const diffs: Report['differing'][number]['diffs'] = [];
        const d = (field: string, h: string | null, t: string | null, same: boolean) => {
          if (!same) diffs.push({ field, here: h, there: t });
        };
        const name = get('name');
        if (name) d('姓名', here.name, name, name === here.name);
        const sex = get('sex');
        if (sex) d('性别', sexLabels[here.sex as 'male']?.zh ?? here.sex, sex, keyOfLabel(sexLabels, sex) === here.sex);
        const birth = get('birthDate');
        if (birth) d('出生日期', here.birth_date, birth, parseDate(birth) === here.birth_date);
        const eth = get('ethnicity');
        if (eth) d('民族', here.ethnicity, eth, normaliseEthnicity(eth) === here.ethnicity);
        const phone = get('phone');
        if (phone) {
          const p = checkPhone(phone);
          const same = p.ok && here.phone_bidx !== null && Buffer.compare(Buffer.from(here.phone_bidx), pii.blindIndex('phone', p.value)) === 0;
          d('联系方式', here.phone_masked, p.ok ? maskPhone(p.value) : '（格式错误）', same);
        }
        const pt = get('populationType');
        if (pt)
          d(
            '人口类型',
            populationTypeLabels[here.population_type as 'registered']?.zh ?? here.population_type,
            pt,
            keyOfLabel(populationTypeLabels, pt) === here.population_type,
          );
        const addr = get('currentAddress');
        if (addr) d('现住门（楼）详址', here.current_address, addr, addr.replace(/\s+/g, '') === (here.current_address ?? '').replace(/\s+/g, ''));
        return diffs;
      };

      for await (const r of table.rows()) {
        if (!index) {
          const lookup = new Map<string, string>();
          for (const c of cols) for (const n of [c.zh, c.en, c.key, ...(c.aliases ?? [])]) lookup.set(norm(n), c.key);
          index = new Map();
          r.cells.forEach((cell, i) => {
            const k = lookup.get(norm(cell ?? ''));
            if (k && !index?.has(k)) index?.set(k, i);
          });
          const missing = ['name', 'idNumber'].filter((k) => !index?.has(k)).map((k) => cols.find((c) => c.key === k)?.zh);
          if (missing.length) throw new AppError('IMPORT_HEADER_MISSING', { message: `文件缺少必填列：${missing.join('、')}`, details: { missing } });
          continue;
        }
        report.rowsRead++;
        if (r.fault) {
          report.invalid.push({ row: r.row, column: null, reason: r.fault });
          continue;
        }
        const ix = index;
        const get = (k: string) => {
          const i = ix.get(k);
          return i === undefined ? '' : (r.cells[i] ?? '').trim();
        };
        const id = checkIdNumber(get('idNumber'));
        if (!id.ok) {
          report.invalid.push({ row: r.row, column: '公民身份号码', reason: id.zh });
          continue;
        }
        if (seen.has(id.value)) {
          report.invalid.push({ row: r.row, column: '公民身份号码', reason: '与前面的行重复' });
          continue;
        }
        seen.add(id.value);
        batch.push({ row: r.row, get, bidx: pii.blindIndex('id_card', id.value), id: id.value });
        if (batch.length >= BATCH) await flush();
      }
      if (!index) throw new AppError('IMPORT_EMPTY', { message: '文件中没有表头和数据' });
      await flush();

      // Persons of the compared subtree that the other list lacks.
      const listed = [...seen].map((v) => pii.blindIndex('id_card', v).toString('hex'));
      const there = await repo.personsNotListed(filter, listed, 100_000);
      report.missingThere = there.map((x) => ({ personId: x.id, name: x.name, idNumberMasked: x.id_number_masked, gridName: x.grid_name }));

      await audit.append({
        ...auditContext(actor, meta),
        action: 'crosscheck.run',
        outcome: 'ok',
        targetType: 'person',
        regionId: q.regionId ?? actor.view[0]?.regionId,
        regionPath: actor.view[0]?.path,
        details: {
          source: q.source,
          fileName: q.fileName,
          rowsRead: report.rowsRead,
          matched: report.matched,
          missingHere: report.missingHere.length,
          missingThere: report.missingThere.length,
          differing: report.differing.length,
          invalid: report.invalid.length,
        },
      });
      return report;
    },
  };
}
export type CrossCheckService = ReturnType<typeof createCrossCheckService>;
