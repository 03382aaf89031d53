/**
 * The one catalogue of domain errors. Every refusal the product can give has a stable
 * code (for tests, logs and API clients) and a short message a person can act on.
 * Channels render `message`; they never show stack traces.
 */
export type DomainErrorKind = 'validation' | 'not_found' | 'forbidden' | 'conflict' | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable machine id, e.g. `approval.self_approval`. */
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class ValidationError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super('validation', code, message, details);
    this.name = 'ValidationError';
  }
}
export class NotFoundError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super('not_found', code, message, details);
    this.name = 'NotFoundError';
  }
}
export class ForbiddenError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super('forbidden', code, message, details);
    this.name = 'ForbiddenError';
  }
}
export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super('conflict', code, message, details);
    this.name = 'ConflictError';
  }
}
export class UnavailableError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super('unavailable', code, message, details);
    this.name = 'UnavailableError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** Turns the first zod-style issue into one sentence: "severity: expected one of sev1..sev4". */
export function validationFromIssues(
  code: string,
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): ValidationError {
  const first = issues[0];
  const where = first && first.path.length ? `${first.path.map(String).join('.')}: ` : '';
  return new ValidationError(code, `${where}${first ? first.message : 'invalid input'}`, {
    issues: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
}
