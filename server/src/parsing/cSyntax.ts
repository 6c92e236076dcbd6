// Plain-data answers about a piece of C, for modules that must not see tree-sitter types
// (inputs/ uses it to pick fragment wrappers and to find the functions a hunk touches).

import type { CParser } from './cParser';
import { functionSpans, type FunctionSpan } from './functions';
import { countSyntaxIssues } from './syntaxErrors';

export interface CSyntaxChecker {
  /** ERROR nodes plus MISSING tokens when `text` is parsed (kernel annotations blanked). */
  countSyntaxIssues(text: string): number;
  /** Function definitions in `text`. */
  functionSpans(text: string): FunctionSpan[];
}

/** A checker that parses with `parser` and frees each tree before returning. */
export function cSyntaxChecker(parser: CParser): CSyntaxChecker {
  const withTree = <T>(text: string, read: (tree: ReturnType<CParser['parse']>) => T): T => {
    const tree = parser.parse(text);
    try {
      return read(tree);
    } finally {
      parser.release(tree);
    }
  };
  return {
    countSyntaxIssues: (text) => withTree(text, countSyntaxIssues),
    functionSpans: (text) => withTree(text, functionSpans),
  };
}
