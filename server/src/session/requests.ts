// Checks on request parameters (they come from any client, in any shape) and the errors
// handlers answer with when a request was cancelled or its document changed meanwhile.

import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type Position } from 'vscode-languageserver/node';

export function contentModified(uri: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.ContentModified, `${uri} changed while mmlens was answering; ask again`);
}

export function requestCancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
}

export function invalidParams(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw requestCancelled();
}

/** Waits for `promise`, or rejects (with `cancelled()`, default RequestCancelled) as soon as `token` is cancelled. */
export function untilCancelled<T>(promise: Promise<T>, token: CancellationToken, cancelled: () => ResponseError<void> = requestCancelled): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = token.onCancellationRequested(() => reject(cancelled()));
    promise.then(resolve, reject).finally(() => listener.dispose());
  });
}

/** `params.textDocument.uri`, or an InvalidParams error naming what is missing. */
export function documentUri(params: unknown): string {
  const textDocument = isRecord(params) ? params['textDocument'] : undefined;
  const uri = isRecord(textDocument) ? textDocument['uri'] : undefined;
  if (typeof uri !== 'string' || uri === '') throw invalidParams('the request needs textDocument.uri');
  return uri;
}

/** A position with whole, non-negative line and character; anything else is undefined. */
export function validPosition(value: unknown): Position | undefined {
  if (!isRecord(value)) return undefined;
  const { line, character } = value;
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  return whole(line) && whole(character) ? { line, character } : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
