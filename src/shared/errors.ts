// Errors as every side reports them. Pure: no Node, no vscode.

/** The message of anything thrown, for logs and user-facing text. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The stack where there is one (for logs a developer reads), else the message. */
export function errorDetail(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** Why a request failed, as the worker protocol and the live feed carry it. */
export const ERROR_CODES = ['bad-request', 'not-ready', 'cancelled', 'io', 'refused', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as a value on the wire: what a thrown VitalsError becomes, and comes back as. */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
}

/**
 * The errors the backend throws on purpose. `code` is the discriminant the protocol carries, so a
 * caller on the other side of a worker port or a socket gets the same kind back (fromProtocolError).
 */
export abstract class VitalsError extends Error {
  abstract readonly code: ErrorCode;
}

/** The request itself is wrong (malformed, out of range). */
export class BadRequestError extends VitalsError {
  readonly code = 'bad-request';
  override readonly name = 'BadRequestError';
}

/** The backend is still starting, or the history cannot be read right now: try again shortly. */
export class NotReadyError extends VitalsError {
  readonly code = 'not-ready';
  override readonly name = 'NotReadyError';
}

/** The caller cancelled the request (an export's abort signal). */
export class CancelledError extends VitalsError {
  readonly code = 'cancelled';
  override readonly name = 'CancelledError';
}

/** A file or socket operation failed. */
export class IoError extends VitalsError {
  readonly code = 'io';
  override readonly name = 'IoError';
}

/** Understood, but not done here (a viewer asking the recorder for what it does not serve). */
export class RefusedError extends VitalsError {
  readonly code = 'refused';
  override readonly name = 'RefusedError';
}

/** Anything else: a bug or an unexpected failure. */
export class InternalError extends VitalsError {
  readonly code = 'internal';
  override readonly name = 'InternalError';
}

const BY_CODE: { [C in ErrorCode]: new (message: string) => VitalsError } = {
  'bad-request': BadRequestError,
  'not-ready': NotReadyError,
  cancelled: CancelledError,
  io: IoError,
  refused: RefusedError,
  internal: InternalError,
};

/** What a thrown value becomes on the wire. Anything that is not a VitalsError is `internal`. */
export function toProtocolError(e: unknown): ProtocolError {
  if (e instanceof VitalsError) return { code: e.code, message: e.message };
  return { code: 'internal', message: errorText(e) };
}

/** The error class a protocol error value stands for, to throw on the receiving side. */
export function fromProtocolError(p: ProtocolError): VitalsError {
  return new BY_CODE[p.code](p.message);
}
