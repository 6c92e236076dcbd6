// Parse-and-lower in one call, for a source unit from the inputs stage or a plain text.
// The tree is released before returning.

import type { IrUnit } from '../../../simulator/src/ir';
import type { SourceUnit } from '../inputs/types';
import type { CParser } from '../parsing/cParser';
import { lowerUnit, type LowerOptions } from './lowerUnit';

/** Lowers a source unit (a C file, a function from an applied patch, a wrapped fragment). */
export function lowerSourceUnit(parser: CParser, unit: SourceUnit): IrUnit {
  return lowerText(parser, unit.text, {
    positionMap: unit.positionMap,
    fragment: unit.kind === 'fragment',
    ...(unit.functionName ? { fragmentName: unit.functionName } : {}),
  });
}

/** Parses `text` (kernel annotations blanked) and lowers it. */
export function lowerText(parser: CParser, text: string, options: LowerOptions = {}): IrUnit {
  const tree = parser.parse(text);
  try {
    return lowerUnit(tree, text, options);
  } finally {
    parser.release(tree);
  }
}
