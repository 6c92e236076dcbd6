// Public surface of the inputs stage: read a document (C, diff, format-patch, mbox, a reply
// with quoted hunks) into hunks and parseable source units mapped back to the original.

export { readInputDocument, type ReadInputOptions } from './readInput';
export { classifyDocument, hintsSayC, textQuality, type ClassifyHints, type TextQuality } from './classify';
export { scanDocument, type DocumentLine, type ScannedDocument } from './documentLines';
export { splitMessages, type MessageLayout } from './mailMessages';
export { extractPatches, functionNameFromContext, parseHunkHeader, type Extraction, type HunkBody } from './hunkExtractor';
export { rebuildImages, sideLines } from './hunkImages';
export { applyHunksToFile, type AppliedFile, type ApplyOptions, type HunkPlacement, type LineMap } from './applyHunks';
export { fragmentShape, wrapFragment, wrapperCandidates, FRAGMENT_FUNCTION, type FragmentShape, type WrappedFragment, type WrapperCandidate } from './fragmentWrapper';
export { buildUnits, type UnitOptions, type UnitsResult } from './sourceUnits';
export { isCPath, isSnipMarker, looksLikeC } from './codeHeuristics';
export { workspaceFilesAt, workspaceFilesFrom, MAX_WORKSPACE_FILE_BYTES, type WorkspaceFiles } from './workspaceFiles';
export {
  documentLine,
  documentRange,
  IDENTITY_MAP,
  originalPosition,
  sliceLineMap,
  type FragmentOffsets,
  type LinePiece,
  type OriginalPosition,
  type OriginSource,
  type PositionMap,
} from './positionMap';
export type * from './types';
