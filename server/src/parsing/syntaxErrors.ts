// Finding the places where tree-sitter had to recover: ERROR nodes and MISSING tokens.

import type { Node, Tree } from 'web-tree-sitter';
import type { Range } from '../text/positions';
import { nodeRange } from './nodeRange';

/** One recovery point in a tree. */
export interface SyntaxIssue {
  readonly kind: 'error' | 'missing';
  /** For `missing`: the token tree-sitter inserted, e.g. ";". */
  readonly nodeType: string;
  readonly range: Range;
  /**
   * The `;` tree-sitter inserts after an iterator macro such as
   * `list_for_each_entry(pos, head, member) { … }`: a call followed by a block. Harmless; the
   * lowering treats the pair as a loop.
   */
  readonly iteratorMacro: boolean;
}

/** A node met on the walk, with where it sits (so nothing has to ask tree-sitter for a parent). */
interface Visit {
  readonly node: Node;
  readonly parent: Visit | undefined;
  readonly siblings: readonly (Node | null)[];
  readonly index: number;
}

/**
 * ERROR nodes and MISSING tokens, outermost first; only subtrees flagged `hasError` are visited.
 * Iterative, with children read all at once and parents remembered: `node.child(i)` costs i
 * steps, recursion has a depth limit, and `node.parent` corrupted web-tree-sitter's memory on a
 * tree with thousands of comments in a block (every later parse then failed) — junk makes such
 * trees, and nodes with thousands of children or nesting thousands deep (one mail took 11 s).
 */
export function syntaxIssues(tree: Tree): SyntaxIssue[] {
  const issues: SyntaxIssue[] = [];
  const root = tree.rootNode;
  const stack: Visit[] = [{ node: root, parent: undefined, siblings: [root], index: 0 }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { node } = visit;
    if (node.isMissing) {
      issues.push({ kind: 'missing', nodeType: node.type, range: nodeRange(node), iteratorMacro: isIteratorMacroSemicolon(visit) });
      continue;
    }
    if (node.isError) issues.push({ kind: 'error', nodeType: 'ERROR', range: nodeRange(node), iteratorMacro: false });
    if (!node.hasError) continue;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child && (child.hasError || child.isMissing)) stack.push({ node: child, parent: visit, siblings: children, index: i });
    }
  }
  return issues;
}

/** The number of ERROR nodes plus MISSING tokens in `tree`, iterator-macro semicolons excepted. */
export function countSyntaxIssues(tree: Tree): number {
  if (!tree.rootNode.hasError) return 0;
  return syntaxIssues(tree).filter((issue) => !issue.iteratorMacro).length;
}

function isIteratorMacroSemicolon(missing: Visit): boolean {
  if (missing.node.type !== ';') return false;
  const statement = missing.parent;
  if (statement?.node.type !== 'expression_statement') return false;
  const next = statement.siblings.slice(statement.index + 1).find((sibling) => sibling?.isNamed);
  return statement.node.firstNamedChild?.type === 'call_expression' && next?.type === 'compound_statement';
}
