import type { ErrorCode, FieldIssue } from '@gridgov/contracts/errors';

/**
 * The one error type services throw. It carries a stable code, never an HTTP status: the error
 * handler maps code → status through the contracts' catalogue.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldIssue[];
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, opts: { message?: string; fields?: FieldIssue[]; details?: Record<string, unknown> } = {}) {
    super(opts.message ?? code);
    this.code = code;
    this.fields = opts.fields;
    this.details = opts.details;
  }
}

export const notFound = () => new AppError('NOT_FOUND');
export const forbidden = () => new AppError('FORBIDDEN');
