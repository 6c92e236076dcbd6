// Parses a stretch of a unit again on its own, as the body of a dummy function: used for the
// bodies of iterator macros that tree-sitter misread (`for_each_node(n)\n\tkfree(p->info[n]);`
// comes out as a declaration). The new tree's positions map back through the unit's map, so the
// IR points at the original text. Needs no parser from the caller: one is made for the tree's
// language (the runtime is initialised, since the tree exists).

import { Parser, type Language, type Node } from 'web-tree-sitter';
import { blankKernelAnnotations } from '../parsing/kernelAnnotations';
import { namedKids } from './syntax';
import { UnitSource } from './unitSource';

export const REPARSE_FUNCTION = '__mmlens_reparsed';

const parsers = new WeakMap<Language, Parser>();

export interface Reparsed {
  /** The snippet's text and its map to the document. */
  readonly source: UnitSource;
  /** The statements of the stretch, in order. */
  readonly statements: readonly Node[];
  /** The unit offset of a snippet offset. */
  toUnitOffset(offset: number): number;
  /** Frees the snippet's tree: call after lowering the statements. */
  release(): void;
}

/** Parses `unit` text `start..end` as statements; undefined when it cannot. */
export function reparseStatements(language: Language, unit: UnitSource, start: number, end: number): Reparsed | undefined {
  let parser = parsers.get(language);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(language);
    parsers.set(language, parser);
  }
  const at = unit.positionAt(start);
  const body = unit.slice(start, end);
  const lastLine = 1 + (body.match(/\n/g)?.length ?? 0);
  // the first line is padded so that columns stay those of the unit
  const prefix = `void ${REPARSE_FUNCTION}(void) {\n${' '.repeat(at.character)}`;
  const text = `${prefix}${body}\n}\n`;
  const tree = parser.parse(blankKernelAnnotations(text));
  if (!tree) return undefined;
  const definition = tree.rootNode.namedChildren.find((n) => n.type === 'function_definition');
  const block = definition?.childForFieldName('body');
  if (!block) {
    tree.delete();
    return undefined;
  }
  const source = new UnitSource(text, (position) =>
    position.line < 1 || position.line > lastLine ? undefined : unit.mapPosition({ line: at.line + position.line - 1, character: position.character }),
  );
  return { source, statements: namedKids(block, text), toUnitOffset: (offset) => offset - prefix.length + start, release: () => tree.delete() };
}
