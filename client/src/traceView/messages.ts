// What the trace view's script may ask of the extension host (media/traceView.js posts these).
// The page is ours, but its messages are still checked before the host acts on them.

import { isRuleId } from '../commands/arguments';

export type TraceViewMessage =
  | { readonly type: 'pickPath'; readonly path: number }
  | { readonly type: 'reveal'; readonly step: number }
  | { readonly type: 'copyText' }
  | { readonly type: 'openRule'; readonly rule: string };

/** The message, or undefined when it is not one of ours. */
export function parseTraceViewMessage(data: unknown): TraceViewMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const message = data as Record<string, unknown>;
  const index = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0;
  switch (message['type']) {
    case 'pickPath':
      return index(message['path']) ? { type: 'pickPath', path: message['path'] as number } : undefined;
    case 'reveal':
      return index(message['step']) ? { type: 'reveal', step: message['step'] as number } : undefined;
    case 'copyText':
      return { type: 'copyText' };
    case 'openRule':
      return isRuleId(message['rule']) ? { type: 'openRule', rule: message['rule'] } : undefined;
    default:
      return undefined;
  }
}
