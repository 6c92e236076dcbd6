// The one place that turns a tree-sitter node into an LSP-style range.
// web-tree-sitter parses JavaScript strings, so its columns are UTF-16 code units, like LSP's.
// Rows count '\n' only; C text is parsed with each lone '\r' read as '\n' (text/lines.ts), so rows are LSP's lines.

import type { Node } from 'web-tree-sitter';
import type { Range } from '../text/positions';

export function nodeRange(node: Node): Range {
  const start = node.startPosition;
  const end = node.endPosition;
  return { start: { line: start.row, character: start.column }, end: { line: end.row, character: end.column } };
}
