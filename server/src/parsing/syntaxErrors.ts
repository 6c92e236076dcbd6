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

/** ERROR nodes and MISSING tokens, outermost first; only subtrees flagged `hasError` are visited. */
export function syntaxIssues(tree: Tree): SyntaxIssue[] {
  const issues: SyntaxIssue[] = [];
  const visit = (node: Node): void => {
    if (node.isMissing) {
      issues.push({ kind: 'missing', nodeType: node.type, range: nodeRange(node), iteratorMacro: isIteratorMacroSemicolon(node) });
      return;
    }
    if (node.isError) {
      issues.push({ kind: 'error', nodeType: 'ERROR', range: nodeRange(node), iteratorMacro: false });
    }
    if (!node.hasError) return;
    for (let i = 0; i < node.childCount; i++) {
      const child = node.child(i);
      if (child && (child.hasError || child.isMissing)) visit(child);
    }
  };
  visit(tree.rootNode);
  return issues;
}

/** The number of ERROR nodes plus MISSING tokens in `tree`, iterator-macro semicolons excepted. */
export function countSyntaxIssues(tree: Tree): number {
  if (!tree.rootNode.hasError) return 0;
  return syntaxIssues(tree).filter((issue) => !issue.iteratorMacro).length;
}

function isIteratorMacroSemicolon(missing: Node): boolean {
  if (missing.type !== ';') return false;
  const statement = missing.parent;
  if (statement?.type !== 'expression_statement') return false;
  return statement.firstNamedChild?.type === 'call_expression' && statement.nextNamedSibling?.type === 'compound_statement';
}
