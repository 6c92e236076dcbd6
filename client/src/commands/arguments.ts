// Checks for command arguments: code lenses, hovers and the trace view pass them, but a
// command can also be run from the palette or a keybinding with anything or nothing.

import type { RunScenarioArguments, ShowTraceArguments } from '../../../server/src/protocol';

const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SIDES: readonly unknown[] = ['pre', 'post', 'source'];

export function isRuleId(value: unknown): value is string {
  return typeof value === 'string' && RULE_ID.test(value);
}

/** `mmlens.openRule` takes the id itself or `{ rule }` (a diagnostic code, a command link). */
export function ruleArgument(value: unknown): string | undefined {
  const rule = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['rule'] : value;
  return isRuleId(rule) ? rule : undefined;
}

export function parseShowTraceArguments(value: unknown): ShowTraceArguments | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { uri, function: name, side, path } = value as Record<string, unknown>;
  if (typeof uri !== 'string' || uri === '' || typeof name !== 'string' || name === '' || !SIDES.includes(side)) return undefined;
  if (path !== undefined && !(typeof path === 'number' && Number.isInteger(path) && path >= 0)) return undefined;
  return { uri, function: name, side: side as ShowTraceArguments['side'], ...(path !== undefined ? { path } : {}) };
}

export function parseRunScenarioArguments(value: unknown): RunScenarioArguments | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { uri } = value as Record<string, unknown>;
  return typeof uri === 'string' && uri !== '' ? { uri } : undefined;
}
