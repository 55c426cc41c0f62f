import type { Case } from '../../../test/permission-matrix.types.js';
import { matrixCase } from './cases.permission-cases.js';

/** Permission-matrix case of the archive export (merged by src/http/permission-matrix.int.test.ts): whoever may view the case. */
export const archiveCases: Record<string, Case> = {
  // In: the caller's own report (every role may view it); out: a case in a district outside every demo scope (404).
  'GET /api/cases/:id/archive.docx': { build: async (f, w, target) => ({ method: 'GET', url: `/api/cases/${await matrixCase(f, w, target)}/archive.docx` }) },
};
