// A parsed source unit → IrUnit: every function definition (helpers in headers included, those
// under #ifdef too), the unit's `@mm` annotations, and their errors. Positions go through the
// unit's position map, so a finding in a quoted hunk lands on the email's line. Never throws:
// a function that fails to lower becomes an opaque function, bad annotations become errors.

import type { Node, Tree } from 'web-tree-sitter';
import type { AnnotationError, IrFunction, IrUnit } from '../../../simulator/src/ir';
import type { PositionMap } from '../inputs/positionMap';
import { placeAnnotations, type FunctionExtent, type PlacedAnnotations } from './annotationPlacement';
import { functionDefinitions } from './definitions';
import { functionExtent, lowerFunction } from './lowerFunction';
import { UnitSource, type PositionMapper } from './unitSource';

export interface LowerOptions {
  /**
   * From unit positions to the original document: the `positionMap` of a source unit (patch
   * image, wrapped fragment) or a function. Default: the unit is the document. Positions that do
   * not come from the document move to the nearest one that does.
   */
  readonly positionMap?: PositionMap | PositionMapper;
  /** The unit is a wrapped patch fragment (`SourceUnit.kind === 'fragment'`). */
  readonly fragment?: boolean;
  /** The name for the fragment wrapper's function, e.g. the function the @@ line names. */
  readonly fragmentName?: string;
}

/**
 * Lowers every function of a tree parsed from `text` (the unit's original text: the tree may
 * have been parsed from its blanked copy, which has the same offsets).
 */
export function lowerUnit(tree: Tree | Node, text: string, options: LowerOptions = {}): IrUnit {
  const root = 'rootNode' in tree ? tree.rootNode : tree;
  const source = new UnitSource(typeof text === 'string' ? text : '', options.positionMap);
  const definitions = functionDefinitions(root);
  const extents: FunctionExtent[] = definitions.map(functionExtent);
  let placed: PlacedAnnotations;
  const errors: AnnotationError[] = [];
  try {
    placed = placeAnnotations(source, extents);
  } catch (error) {
    placed = { unit: [], all: [], errors: [], functions: extents.map(() => ({ annotations: [], states: [], leadingText: [] })) };
    errors.push({ kind: 'annotation-error', message: `@mm annotations could not be read: ${(error as Error)?.message ?? error}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  }
  const functionOptions = { fragment: options.fragment === true, fragmentName: options.fragmentName };
  const functions: IrFunction[] = definitions.map((definition, i) => lowerFunction(definition, source, placed.functions[i], functionOptions));
  return { functions, annotations: placed.unit, allAnnotations: placed.all, annotationErrors: [...placed.errors, ...errors] };
}

export { functionDefinitions };
