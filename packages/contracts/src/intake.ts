/**
 * Intake (issue 4, requirements C1–C4, C28): reports from grid workers, residents and staff entering for a
 * caller; the 12345 hotline and device alarms through API tokens; attachments; category suggestions and
 * duplicate candidates. The case itself is described in cases.ts.
 */
import { z } from 'zod';
import { CaseLocation, CaseStatus, CaseSummary, Urgency } from './cases.js';
import { IsoDateTime, Uuid } from './common.js';

// ─── Attachments ───────────────────────────────────────────────────────────────────────────────

export const AttachmentKind = z.enum(['photo', 'audio', 'video']);
export type AttachmentKind = z.infer<typeof AttachmentKind>;

/** What the server accepts, recognised by the file's first bytes (not by its name or declared type). */
export const attachmentTypes: Record<AttachmentKind, { mimes: readonly string[]; zh: string; en: string }> = {
  photo: { mimes: ['image/jpeg', 'image/png', 'image/webp'], zh: '照片（JPEG/PNG/WebP）', en: 'Photo (JPEG/PNG/WebP)' },
  audio: { mimes: ['audio/mpeg', 'audio/aac', 'audio/amr', 'audio/mp4'], zh: '音频（MP3/AAC/AMR/M4A）', en: 'Audio (MP3/AAC/AMR/M4A)' },
  video: { mimes: ['video/mp4'], zh: '视频（MP4）', en: 'Video (MP4)' },
};

/** Default size limits in MiB (ATTACHMENT_PHOTO_MAX_MB / _AUDIO_ / _VIDEO_ change them). */
/** What a photo shows, sent as the multipart field `purpose` before the file (anything else counts as 'report'). */
export const AttachmentPurpose = z.enum(['report', 'before', 'after', 'verify', 'other']);
export type AttachmentPurpose = z.infer<typeof AttachmentPurpose>;

export const defaultAttachmentLimitsMb: Record<AttachmentKind, number> = { photo: 10, audio: 10, video: 50 };

export const AttachmentInfo = z.object({
  id: Uuid,
  kind: AttachmentKind,
  mime: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  originalName: z.string().nullable(),
  caseId: Uuid.nullable(),
  createdAt: IsoDateTime,
});
export type AttachmentInfo = z.infer<typeof AttachmentInfo>;
export const AttachmentIdParams = z.strictObject({ id: Uuid });

// ─── Report ────────────────────────────────────────────────────────────────────────────────────

export const ProxyChannel = z.enum(['phone', 'walk_in', 'opinion_box', 'other']);
export type ProxyChannel = z.infer<typeof ProxyChannel>;
export const proxyChannelLabels: Record<ProxyChannel, { zh: string; en: string }> = {
  phone: { zh: '来电', en: 'Phone call' },
  walk_in: { zh: '来访', en: 'Walk-in' },
  opinion_box: { zh: '意见箱', en: 'Opinion box' },
  other: { zh: '其他', en: 'Other' },
};

const Phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-() ]{5,20}$/, '电话号码格式不正确');

/** Staff entering a report for a caller (代录): how it came in and who the caller is. */
export const ProxyCaller = z.strictObject({
  channelDetail: ProxyChannel,
  callerName: z.string().trim().min(1).max(40),
  callerPhone: Phone.optional(),
});
export type ProxyCaller = z.infer<typeof ProxyCaller>;

export const IdempotencyKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{8,100}$/, '幂等键为 8–100 位字母、数字或 _.:-');

export const CaseReportRequest = z.strictObject({
  description: z.string().trim().min(1).max(4000),
  /** Default: the category's name + the address (or the region's name). */
  title: z.string().trim().min(1).max(120).optional(),
  /** Default: the best keyword match of the description (the catch-all item when nothing matches). */
  categoryId: Uuid.optional(),
  location: CaseLocation.optional(),
  /** Without a location: looked up by the grid lookup's address search. */
  address: z.string().trim().min(2).max(200).optional(),
  urgency: Urgency.default('normal'),
  peopleInvolved: z.string().trim().max(500).optional(),
  attachmentIds: z.array(Uuid).max(20).default([]),
  /** When it happened (default: now); more than 5 minutes ahead is refused. */
  occurredAt: IsoDateTime.optional(),
  /** A grid worker closing a self-disposable matter on the spot (自行处置); needs a note. */
  selfDispose: z.boolean().default(false),
  selfDisposeNote: z.string().trim().min(1).max(2000).optional(),
  /** Staff entering for a caller (channel staff_proxy). */
  proxy: ProxyCaller.optional(),
  /** Same as the Idempotency-Key header. */
  idempotencyKey: IdempotencyKey.optional(),
});
export type CaseReportRequest = z.input<typeof CaseReportRequest>;

/** The answer to a report: the case (the existing one when the idempotency key was seen before). */
export const CaseReportResult = CaseSummary.pick({
  id: true,
  caseNo: true,
  title: true,
  status: true,
  channel: true,
  categoryId: true,
  categoryName: true,
  regionId: true,
  regionName: true,
  gridId: true,
  gridName: true,
  noGrid: true,
  reportedAt: true,
}).extend({
  /** false: an earlier submission with the same idempotency key (or hotline 工单号) made this case. */
  created: z.boolean(),
  /** Set when a self_dispose was asked for but the workflow could not apply it (the case stays reported). */
  selfDisposeError: z.string().nullable(),
});
export type CaseReportResult = z.infer<typeof CaseReportResult>;

// ─── Suggestions ───────────────────────────────────────────────────────────────────────────────

export const CaseSuggestRequest = z
  .strictObject({
    text: z.string().trim().max(4000).optional(),
    location: CaseLocation.optional(),
    categoryId: Uuid.optional(),
  })
  .refine((b) => b.text || b.location, { message: '请提供描述文字或位置', path: ['text'] });
export type CaseSuggestRequest = z.input<typeof CaseSuggestRequest>;

export const CategorySuggestion = z.object({
  id: Uuid,
  code: z.string(),
  name: z.string(),
  className: z.string(),
  score: z.number(),
  matched: z.array(z.string()),
  selfDispose: z.boolean(),
});
export type CategorySuggestion = z.infer<typeof CategorySuggestion>;

export const DuplicateCandidate = z.object({
  id: Uuid,
  caseNo: z.string(),
  title: z.string(),
  status: CaseStatus,
  categoryName: z.string(),
  distanceM: z.number(),
  reportedAt: IsoDateTime,
});
export type DuplicateCandidate = z.infer<typeof DuplicateCandidate>;

export const CaseSuggestResult = z.object({
  categories: z.array(CategorySuggestion),
  duplicates: z.array(DuplicateCandidate),
  /** The radius and time window the duplicate search used. */
  radiusM: z.number(),
  windowHours: z.number(),
});
export type CaseSuggestResult = z.infer<typeof CaseSuggestResult>;

// ─── Integrations ──────────────────────────────────────────────────────────────────────────────

/** A 12345 hotline 工单 (field names as the hotline platform sends them). */
export const HotlineCaseRequest = z.strictObject({
  工单号: z.string().trim().min(1).max(64),
  来电人: z.string().trim().max(40).optional(),
  电话: Phone.optional(),
  诉求内容: z.string().trim().min(1).max(4000),
  标题: z.string().trim().min(1).max(120).optional(),
  地址: z.string().trim().min(2).max(200).optional(),
  坐标: CaseLocation.optional(),
  /** Our category code (e.g. 0306); suggested from the text when missing. */
  类别: z.string().trim().max(12).optional(),
  紧急程度: Urgency.default('normal'),
  受理时间: IsoDateTime.optional(),
  附件: z.array(Uuid).max(20).default([]),
});
export type HotlineCaseRequest = z.input<typeof HotlineCaseRequest>;

/** Device / video alarm types and the catalogue item each becomes (overridable per alarm with categoryCode). */
export const deviceAlarmTypes = {
  garbage_overflow: { code: '0301', zh: '垃圾满溢/暴露垃圾' },
  illegal_parking: { code: '0306', zh: '机动车违停' },
  bicycle_parking: { code: '0307', zh: '非机动车乱停' },
  street_vendor: { code: '0304', zh: '游商摆摊' },
  outside_shop: { code: '0305', zh: '店外经营' },
  fire_lane_blocked: { code: '0201', zh: '消防通道占用' },
  ebike_indoor: { code: '0203', zh: '电动车进楼/违规充电' },
  manhole: { code: '0206', zh: '井盖异常' },
  waterlogging: { code: '0214', zh: '积水' },
  smoke_fire: { code: '0219', zh: '烟火' },
  open_burning: { code: '0309', zh: '露天烧烤' },
  muck_spill: { code: '0319', zh: '渣土撒漏' },
} as const;
export const DeviceAlarmType = z.enum(Object.keys(deviceAlarmTypes) as [keyof typeof deviceAlarmTypes, ...(keyof typeof deviceAlarmTypes)[]]);

export const DeviceAlarmRequest = z.strictObject({
  /** The device's own alarm id (kept as external_id: a re-sent alarm returns the existing case). */
  alarmId: z.string().trim().min(1).max(64),
  deviceId: z.string().trim().min(1).max(64),
  alarmType: DeviceAlarmType,
  categoryCode: z.string().trim().max(12).optional(),
  location: CaseLocation,
  occurredAt: IsoDateTime,
  description: z.string().trim().max(2000).optional(),
  urgency: Urgency.default('normal'),
  /** Snapshot uploaded beforehand through POST /api/attachments with the same token. */
  snapshotAttachmentId: Uuid.optional(),
});
export type DeviceAlarmRequest = z.input<typeof DeviceAlarmRequest>;

/** What the hotline receives at HOTLINE_WEBHOOK_URL when one of its cases changes status. */
export const HotlineStatusPush = z.object({
  工单号: z.string(),
  caseId: Uuid,
  caseNo: z.string(),
  status: CaseStatus,
  statusName: z.string(),
  version: z.number().int(),
  at: IsoDateTime,
});
export type HotlineStatusPush = z.infer<typeof HotlineStatusPush>;
