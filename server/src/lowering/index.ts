// Public surface of the lowering stage: tree-sitter trees of kernel C → the simulator's IR.
//
//   const tree = parser.parse(unit.text);
//   try {
//     const ir = lowerUnit(tree, unit.text, { positionMap: unit.positionMap, fragment: unit.kind === 'fragment' });
//   } finally {
//     parser.release(tree);
//   }

export { lowerUnit, functionDefinitions, type LowerOptions } from './lowerUnit';
export { lowerSourceUnit, lowerText } from './lowerSource';
export { lowerFunction, functionExtent, type FunctionOptions } from './lowerFunction';
export { annotationSources, parseAnnotation, ANNOTATION_MARKER, type AnnotationSource } from './annotations';
export { placeAnnotations, STATE_OUTSIDE_BODY, type FunctionExtent, type PlacedAnnotations } from './annotationPlacement';
export { irType, normaliseTypeName } from './cTypes';
export { contentHash } from './contentHash';
export { exprText } from './exprText';
export { irStats, emptyStats, expressionsOf, subexpressions, type IrStats } from './irStats';
export { UnitSource, type PositionMapper } from './unitSource';
export { formatFunction, statementText, terminatorText, typeText, type FormatOptions } from './irText';
export { successors } from '../../../simulator/src/ir';
