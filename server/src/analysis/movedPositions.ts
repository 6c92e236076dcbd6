// An edit that changes where a function's code is but not what it says (a space typed, a comment
// or a line break within it): its IR is the same but for positions, and so is its analysis. The
// IR's shape (irShape) keys the analysis; a kept analysis is moved onto the new text by pairing
// the positions of the two IRs, which the engine only compares and orders (never computes with).

import type { IrFunction, SourcePosition } from '../../../simulator/src/ir';
import { StructureHash } from './structureHash';

/** A hash of the IR without its positions and without the hash of its text: equal for two texts that say the same. */
export function irShape(ir: IrFunction): string {
  const hash = new StructureHash('none');
  hash.value(ir, 0);
  return hash.digest();
}

/** Each position of one IR, by `line:character`, to where it is in another of the same shape. */
export interface PositionMove {
  readonly positions: ReadonlyMap<string, SourcePosition>;
  /** The lines of the first IR's function: a position outside them is another function's. */
  readonly from: { readonly first: number; readonly last: number };
  /** How far everything outside the function moved (the function's own move: the key of an analysis names its callees relative to it). */
  readonly rows: number;
}

/** Pairs the positions of `from` and `to`, walked side by side (undefined when they are not of one shape). */
export function positionMove(from: IrFunction, to: IrFunction): PositionMove | undefined {
  const positions = new Map<string, SourcePosition>();
  const pair = (a: unknown, b: unknown): boolean => {
    if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
      return a.every((item, i) => pair(item, b[i]));
    }
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    if (typeof x['line'] === 'number' && typeof x['character'] === 'number') {
      if (typeof y['line'] !== 'number' || typeof y['character'] !== 'number') return false;
      const key = `${x['line']}:${x['character']}`;
      const known = positions.get(key);
      if (known && (known.line !== y['line'] || known.character !== y['character'])) return false;
      positions.set(key, { line: y['line'], character: y['character'] });
      return true;
    }
    for (const key of Object.keys(x)) if (key !== 'contentHash' && !pair(x[key], y[key])) return false;
    return true;
  };
  if (!pair(from, to)) return undefined;
  return { positions, from: { first: from.range.start.line, last: from.range.end.line }, rows: to.range.start.line - from.range.start.line };
}

/**
 * `value` (an analysis or summary of the first IR) with its positions moved to the second's.
 * Undefined when it holds a position within the function that the IR does not: then it cannot be
 * told where that is now, and the function is analysed again.
 */
export function movePositions<T>(value: T, move: PositionMove): T | undefined {
  try {
    return moved(value, move) as T;
  } catch (error) {
    if (error === UNMAPPED) return undefined;
    throw error;
  }
}

const UNMAPPED = new Error('a position the IR does not have');

function moved(value: unknown, move: PositionMove): unknown {
  if (Array.isArray(value)) return value.map((item) => moved(item, move));
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  const record = value as Record<string, unknown>;
  // another file's objects stay where they are
  if (typeof record['file'] === 'string') return value;
  const line = record['line'];
  if (typeof line === 'number') {
    const inside = line >= move.from.first && line <= move.from.last;
    if (!inside) return { ...record, line: line + move.rows };
    if (typeof record['character'] !== 'number') throw UNMAPPED;
    const to = move.positions.get(`${line}:${record['character']}`);
    if (!to) throw UNMAPPED;
    return { ...record, line: to.line, character: to.character };
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) copy[key] = moved(item, move);
  return copy;
}
