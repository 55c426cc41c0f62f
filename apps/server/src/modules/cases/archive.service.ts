import { buffer } from 'node:stream/consumers';
import {
  type CaseDetail,
  type CaseStatus,
  caseActionLabels,
  caseChannelLabels,
  caseStatusLabels,
  handlingLevelLabels,
  ratingLabels,
  supervisionLabels,
  urgencyLabels,
} from '@gridgov/contracts/cases';
import { roleLabels } from '@gridgov/contracts/roles';
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { toCstIso } from '../calendar/working-time.js';
import type { BlobStores } from '../intake/blob-stores.js';
import type { ArchiveRepository } from './archive.repository.js';

/**
 * The electronic archive of one case (C24): a Word document in Chinese with the case's particulars, its whole
 * timeline, the photos (read from the attachment blob store, disk or S3), the location as text (no map
 * picture: rendering a base map needs tiles the installation may not have offline), ratings and callback, and
 * the indicator flags. Whoever may view the case may export it (the case detail decides: out of view →
 * NOT_FOUND); every export is audited.
 */
export interface ArchiveServiceDeps {
  /** The workflow's case detail (checks that the caller may view the case). */
  detail(p: Principal, id: string): Promise<CaseDetail>;
  repo: ArchiveRepository;
  audit: Pick<AuditRepository, 'append'>;
  /** The attachment stores: each photo is read from the store its row names. */
  stores: Pick<BlobStores, 'of'>;
  now?: () => Date;
}

const purposeZh: Record<string, string> = { report: '上报', before: '处置前', after: '处置后', verify: '核查', other: '其他' };
const sourceZh: Record<string, string> = { resident: '居民评价', callback: '回访记录' };
const FONT = { ascii: 'SimSun', hAnsi: 'SimSun', eastAsia: '宋体', cs: 'SimSun' };
const MAX_W = 480;
const MAX_H = 360;

const cst = (v: string | Date | null | undefined) => (v ? toCstIso(new Date(v).getTime()).slice(0, 16).replace('T', ' ') : '—');
const yesNo = (v: boolean | null | undefined, unknown = '未判定') => (v === null || v === undefined ? unknown : v ? '是' : '否');
const statusZh = (s: string | null) => (s ? (caseStatusLabels[s as CaseStatus]?.zh ?? s) : '—');
/** The zh label of a timeline action (the workflow's actions, then anything else by its key). */
export const actionZh = (a: string) => caseActionLabels[a as keyof typeof caseActionLabels]?.zh ?? (a === 'sla_warning' ? '超时预警' : a);
const roleZh = (r: string | null) => (r ? (roleLabels[r as keyof typeof roleLabels]?.zh ?? r) : '—');

/** Width and height of a PNG, JPEG or GIF from its header; null for anything else. */
export function imageSize(b: Buffer): { type: 'png' | 'jpg' | 'gif'; width: number; height: number } | null {
  if (b.length > 24 && b.readUInt32BE(0) === 0x89504e47) return { type: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length > 10 && b.toString('latin1', 0, 3) === 'GIF') return { type: 'gif', width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1] as number;
      const len = b.readUInt16BE(i + 2);
      // SOF0–SOF15 carry the frame size (C4 DHT, C8 JPG, CC DAC are not frames).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { type: 'jpg', height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      }
      i += 2 + len;
    }
  }
  return null;
}

function text(s: string, opts: { bold?: boolean; size?: number } = {}) {
  return new TextRun({ text: s, bold: opts.bold, size: opts.size, font: FONT });
}
const para = (s: string, opts: { bold?: boolean } = {}) => new Paragraph({ children: [text(s, opts)] });
const heading = (s: string) => new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 }, children: [text(s, { bold: true })] });

const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
const borders = { top: border, bottom: border, left: border, right: border };
function cell(s: string, header = false) {
  return new TableCell({
    borders,
    shading: header ? { type: ShadingType.CLEAR, color: 'auto', fill: 'E8EEF5' } : undefined,
    children: s.split('\n').map((line) => para(line, { bold: header })),
  });
}
function table(head: string[] | null, rows: string[][]) {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      ...(head ? [new TableRow({ tableHeader: true, children: head.map((h) => cell(h, true)) })] : []),
      ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) })),
    ],
  });
}
/** Two columns of label / value pairs per row (four cells). */
function facts(pairs: [string, string][]) {
  const rows: string[][] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const a = pairs[i] as [string, string];
    const b = pairs[i + 1] ?? ['', ''];
    rows.push([a[0], a[1], b[0], b[1]]);
  }
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: rows.map((r) => new TableRow({ children: r.map((c, k) => (k % 2 === 0 ? cell(c, true) : cell(c))) })),
  });
}

export function createArchiveService(deps: ArchiveServiceDeps) {
  const now = deps.now ?? (() => new Date());

  return {
    /** The .docx of one case, for a caller who may view it (NOT_FOUND otherwise); audited as an export. */
    async export(p: Principal, id: string, meta: RequestMeta): Promise<{ fileName: string; data: Buffer }> {
      const d = await deps.detail(p, id);
      const [photos, ratings, region] = await Promise.all([deps.repo.photos(id), deps.repo.ratings(id), deps.repo.regionOf(id)]);
      const at = now();

      const particulars = facts([
        ['案卷编号', d.caseNo],
        ['当前状态', statusZh(d.status)],
        ['事项类别', `${d.categoryCode} ${d.categoryName}`],
        ['紧急程度', urgencyLabels[d.urgency]?.zh ?? d.urgency],
        ['来源渠道', caseChannelLabels[d.channel]?.zh ?? d.channel],
        ['处置层级', handlingLevelLabels[d.handlingLevel as keyof typeof handlingLevelLabels]?.zh ?? String(d.handlingLevel)],
        ['上报时间', cst(d.reportedAt)],
        ['结案时间', cst(d.closedAt)],
        ['所属区域', d.regionName],
        ['所属网格', d.gridName ?? (d.noGrid ? '不在任何网格（由上级中心处理）' : '—')],
        ['主办单位', d.leadOrgUnitName ?? '—'],
        ['协办单位', d.coOrgUnits.map((u) => u.name).join('、') || '—'],
        ['报告人', d.reporterName ?? '—'],
        ['联系电话', d.reporterPhone ?? '—'],
        ['地址', d.address ?? '—'],
        ['涉及人员', d.peopleInvolved ?? '—'],
      ]);

      const location = d.location
        ? `坐标（WGS84）：经度 ${d.location.lng.toFixed(6)}，纬度 ${d.location.lat.toFixed(6)}；${d.gridName ? `所在网格：${d.gridName}` : '不在任何网格'}（${d.regionName}）。`
        : `未标注坐标；${d.gridName ? `所在网格：${d.gridName}` : '不在任何网格'}（${d.regionName}）。`;

      const timeline = table(
        ['序号', '时间', '环节', '状态变化', '操作人', '角色', '说明'],
        d.timeline.map((e) => [
          String(e.seq),
          cst(e.at),
          actionZh(e.action),
          e.fromStatus === e.toStatus || !e.toStatus ? statusZh(e.toStatus ?? e.fromStatus) : `${statusZh(e.fromStatus)} → ${statusZh(e.toStatus)}`,
          e.actorName ?? '—',
          roleZh(e.actorRole),
          e.note ?? '',
        ]),
      );

      const photoBlocks: (Paragraph | Table)[] = [];
      let embedded = 0;
      for (const ph of photos) {
        const caption = `${purposeZh[ph.purpose] ?? ph.purpose}照片 · ${cst(ph.created_at)}${ph.seq ? ` · 第 ${ph.seq} 步「${actionZh(ph.action ?? '')}」` : ''}${ph.original_name ? ` · ${ph.original_name}` : ''}`;
        let data: Buffer | null = null;
        try {
          data = await buffer(await deps.stores.of(ph.storage).get(ph.storage_key));
        } catch {
          data = null;
        }
        const size = data ? imageSize(data) : null;
        if (!data || !size || size.width <= 0 || size.height <= 0) {
          photoBlocks.push(para(`${caption}（${data ? '该格式无法嵌入 Word，请在系统中查看' : '文件缺失'}）`));
          continue;
        }
        const scale = Math.min(1, MAX_W / size.width, MAX_H / size.height);
        photoBlocks.push(
          new Paragraph({
            children: [
              new ImageRun({ type: size.type, data, transformation: { width: Math.round(size.width * scale), height: Math.round(size.height * scale) } }),
            ],
          }),
          para(caption),
        );
        embedded++;
      }
      if (!photos.length) photoBlocks.push(para('本案无照片。'));

      const ratingBlock = ratings.length
        ? table(
            ['来源', '评价', '意见', '时间'],
            ratings.map((r) => [
              sourceZh[r.source] ?? r.source,
              ratingLabels[r.rating as keyof typeof ratingLabels]?.zh ?? r.rating,
              r.comment ?? '',
              cst(r.created_at),
            ]),
          )
        : para('尚无评价。');

      const flags = facts([
        ['按期处置', yesNo(d.onTimeHandle)],
        ['按期结案', yesNo(d.onTimeClose)],
        ['自行处置', yesNo(d.selfDisposed)],
        ['首报', yesNo(d.firstReport)],
        ['返工次数', String(d.reworkCount)],
        ['回退次数', String(d.returnCount)],
        ['延期次数', String(d.extensionCount)],
        ['督办', supervisionLabels[d.supervision]?.zh ?? d.supervision],
        ['处置时限', cst(d.handleDueAt)],
        ['满意度', d.satisfaction ? (ratingLabels[d.satisfaction]?.zh ?? d.satisfaction) : '—'],
      ]);

      const doc = new Document({
        creator: 'gridgov 网格化服务管理平台',
        title: `案件电子档案 ${d.caseNo}`,
        styles: { default: { document: { run: { font: FONT, size: 21 } } } },
        sections: [
          {
            children: [
              new Paragraph({ alignment: AlignmentType.CENTER, heading: HeadingLevel.TITLE, children: [text('案件电子档案', { bold: true, size: 36 })] }),
              new Paragraph({ alignment: AlignmentType.CENTER, children: [text(`案卷编号：${d.caseNo}`, { bold: true })] }),
              new Paragraph({ alignment: AlignmentType.CENTER, children: [text(`导出时间：${cst(at)}　导出人：${p.displayName}（${roleZh(p.role)}）`)] }),
              heading('一、基本信息'),
              para(`标题：${d.title}`, { bold: true }),
              particulars,
              heading('二、问题描述'),
              ...d.description.split(/\r?\n/).map((l) => para(l)),
              heading('三、位置'),
              para(location),
              para('说明：档案不附地图图片（离线安装没有底图瓦片）；可在系统案件详情的地图上按上述坐标查看。'),
              heading('四、办理流转记录'),
              timeline,
              heading('五、现场照片'),
              ...photoBlocks,
              heading('六、回访与评价'),
              para(`回访：${d.callbackDone ? '已回访' : '未回访'}；满意度：${d.satisfaction ? (ratingLabels[d.satisfaction]?.zh ?? d.satisfaction) : '尚无'}`),
              ratingBlock,
              heading('七、考核指标'),
              flags,
              ...(d.children.length ? [heading('八、并案'), para(d.children.map((c) => `${c.caseNo}（${cst(c.reportedAt)}）`).join('；'))] : []),
            ],
          },
        ],
      });
      const data = await Packer.toBuffer(doc);

      await deps.audit.append({
        ...auditContext(p, meta),
        action: 'export',
        outcome: 'ok',
        targetType: 'event_case',
        targetId: id,
        regionId: region?.region_id ?? null,
        regionPath: region?.region_path ?? null,
        details: { kind: 'case_archive', caseNo: d.caseNo, timeline: d.timeline.length, photos: photos.length, embedded },
      });
      return { fileName: `案件电子档案-${d.caseNo}.docx`, data };
    },
  };
}
export type ArchiveService = ReturnType<typeof createArchiveService>;
