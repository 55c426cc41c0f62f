import { DEFAULT_GRID_CODE_TEMPLATE, GridCodeTemplate, generateGridCode, maxGridSeq } from '@gridgov/contracts/grid-code';
import { AppError } from '../../http/app-error.js';

/** The deployment's template from app_setting 'grid.code_template' (a JSON string); the default when unset. */
export function templateOf(setting: unknown): GridCodeTemplate {
  const parsed = GridCodeTemplate.safeParse(setting);
  return parsed.success ? parsed.data : DEFAULT_GRID_CODE_TEMPLATE;
}

/**
 * The next free sequence number in a community and its code. `used` holds the community's
 * sequence numbers and codes (retired grids included: a code is never given twice) and is
 * updated, so successive calls in one transaction hand out distinct numbers.
 */
export function nextGridCode(input: {
  template: unknown;
  communityCode: string;
  areaCode: string;
  gridType: '01' | '02' | '03';
  used: { seqs: Set<number>; codes: Set<string> };
}): { code: string; seq: number } {
  const template = templateOf(input.template);
  const max = maxGridSeq(template);
  const highest = Math.max(0, ...input.used.seqs);
  const candidates = highest < max ? [highest + 1] : [];
  for (let s = 1; s <= max; s++) if (!input.used.seqs.has(s)) candidates.push(s);
  for (const seq of candidates) {
    const r = generateGridCode(template, { communityCode12: input.communityCode, areaCode: input.areaCode, seq, gridType: input.gridType });
    if (!r.ok) {
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ path: 'proposal', code: 'grid_code', message: `第 ${r.position} 位：${r.reason.zh} / position ${r.position}: ${r.reason.en}` }],
      });
    }
    if (input.used.codes.has(r.code)) continue;
    input.used.seqs.add(seq);
    input.used.codes.add(r.code);
    return { code: r.code, seq };
  }
  throw new AppError('VALIDATION_FAILED', {
    fields: [{ path: 'proposal', code: 'seq_exhausted', message: `社区网格顺序码已满（最多 ${max}） / no free grid sequence number left (max ${max})` }],
  });
}
