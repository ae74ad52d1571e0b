/** The one error type: a code for programs, an HTTP status, and a message for people. */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);
export const unauthenticated = (message = 'sign in first') => new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'your role does not allow this') => new AppError(403, 'forbidden', message);
export const notFound = (what = 'object') => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (message: string) => new AppError(409, 'conflict', message);
