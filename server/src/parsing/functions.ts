// Function definitions in a tree, as plain data (name and line span).

import type { Node, Tree } from 'web-tree-sitter';
import type { Range } from '../text/positions';
import { nodeRange } from './nodeRange';
import { query } from './queries';

/** A function definition: its name (undefined when the declarator is malformed) and extent. */
export interface FunctionSpan {
  readonly name: string | undefined;
  readonly range: Range;
  /** The extent of the body `{ … }`. */
  readonly bodyRange: Range | undefined;
}

/** Function definitions not nested in another one (those under `#ifdef` included), in source order. */
export function functionSpans(tree: Tree): FunctionSpan[] {
  const spans: FunctionSpan[] = [];
  for (const capture of query(tree.language, 'functionDefinitions').captures(tree.rootNode)) {
    const node = capture.node;
    if (insideFunction(node)) continue;
    const body = node.childForFieldName('body');
    spans.push({ name: functionName(node), range: nodeRange(node), bodyRange: body ? nodeRange(body) : undefined });
  }
  return spans;
}

/** The identifier a function definition declares: follows declarators through pointers and parentheses. */
export function functionName(definition: Node): string | undefined {
  let declarator = definition.childForFieldName('declarator');
  for (let depth = 0; declarator && depth < 16; depth++) {
    if (declarator.type === 'identifier') return declarator.text;
    if (declarator.type === 'function_declarator') {
      const inner = declarator.childForFieldName('declarator');
      if (inner?.type === 'identifier') return inner.text;
      declarator = inner;
      continue;
    }
    declarator = declarator.childForFieldName('declarator') ?? declarator.namedChild(0);
  }
  return undefined;
}

function insideFunction(node: Node): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type === 'function_definition') return true;
  }
  return false;
}
