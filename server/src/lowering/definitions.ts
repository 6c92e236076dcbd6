// Where a unit's function definitions are.

import type { Node } from 'web-tree-sitter';

/** Nodes that may hold function definitions: the file, `#if` regions, `extern "C" {`, and ERROR recovery. */
const CONTAINERS = new Set([
  'translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef',
  'linkage_specification', 'declaration_list', 'ERROR', 'compound_statement',
]);

/**
 * Function definitions not nested in another one (nested ones are parse-recovery artefacts), in
 * source order. Walks containers only: visiting every node of a 200 KB file costs more.
 */
export function functionDefinitions(root: Node): Node[] {
  return root.type === 'function_definition' ? [root] : topLevel(root, 'function_definition');
}

/** Declarations outside functions (`static const struct mm_walk_ops ops = { … };`), in source order. */
export function fileDeclarations(root: Node): Node[] {
  return topLevel(root, 'declaration');
}

function topLevel(root: Node, wanted: string): Node[] {
  const found: Node[] = [];
  const visit = (node: Node, depth: number): void => {
    for (const child of node.namedChildren) {
      const type = child.type;
      if (type === wanted) found.push(child);
      else if (depth < 64 && CONTAINERS.has(type)) visit(child, depth + 1);
    }
  };
  visit(root, 0);
  return found;
}
