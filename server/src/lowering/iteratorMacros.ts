// Iterator macros (`list_for_each_entry(pos, head, member) { … }`, `for_each_vma_range(…)`,
// `xa_for_each(…)`) are loops tree-sitter cannot know. They come out in several shapes:
//   1. a call whose `;` is MISSING, followed by the body statement (a block, or any statement
//      when the name looks like an iterator) — the common, clean shape;
//   2. misparsed: `for_each_x(a, b)\n\tv = f(v);` read as an assignment to the call (the real
//      target in an ERROR), `for_each_x(a)\n\tfoo(a->b[i]);` read as a declaration with the
//      macro as its type, or an ERROR node starting with the macro. For these the header and
//      the body are found in the text, and the body is parsed again on its own (reparse.ts);
//   3. `for_each_x(a) { … }` read as a function definition nested in the function (handled
//      where nested definitions are met, statements.ts).
// `scoped_guard(…) { … }` has shape 1 but runs its body once.

import type { Node } from 'web-tree-sitter';
import { looksLikeIterator, ONCE_MACROS } from '../parsing/iteratorNames';
import { firstKid, matchingBracket, skipSpaceAndComments, statementEnd } from './syntax';

export type IteratorMatch =
  | { readonly shape: 'call-then-statement'; readonly call: Node; readonly name: string; readonly body: Node; readonly once: boolean }
  | {
      readonly shape: 'misparsed';
      readonly name: string;
      /** The macro call `for_each_x(a, b)` in the unit text. */
      readonly headerStart: number;
      readonly headerEnd: number;
      /** Where the body statement starts in the unit text. */
      readonly bodyStart: number;
      /** Where it ends, when the text says so plainly (a block or a simple statement; not `if …`). */
      readonly bodyEnd: number | undefined;
    };


const STATEMENTS = new Set([
  'compound_statement', 'expression_statement', 'if_statement', 'switch_statement', 'while_statement', 'do_statement',
  'for_statement', 'return_statement', 'break_statement', 'continue_statement', 'goto_statement', 'labeled_statement',
  'declaration',
]);

const CALL_START = /[A-Za-z_]\w*(?=\s*\()/y;

/** The iterator macro starting at `nodes[index]` (comments removed), if any. `text` is the unit text. */
export function iteratorAt(nodes: readonly Node[], index: number, text: string): IteratorMatch | undefined {
  const node = nodes[index]!;
  CALL_START.lastIndex = node.startIndex;
  const nameMatch = CALL_START.exec(text);
  if (!nameMatch) return undefined; // cheap text test first: most statements are not `name(`
  const name = nameMatch[0];
  const type = node.type;
  if (type === 'expression_statement' && text.charCodeAt(node.endIndex - 1) !== 59 /* ; */) {
    const expression = firstKid(node, text);
    const last = node.lastChild;
    if (expression?.type === 'call_expression' && last?.isMissing && last.type === ';') {
      const next = nodes[index + 1];
      if (next && STATEMENTS.has(next.type) && (next.type === 'compound_statement' || looksLikeIterator(name))) {
        return { shape: 'call-then-statement', call: expression, name, body: next, once: ONCE_MACROS.has(name) };
      }
      return undefined;
    }
  }
  if (type !== 'expression_statement' && type !== 'declaration' && type !== 'ERROR') return undefined;
  if (!looksLikeIterator(name) || !misparsed(node, type, text)) return undefined;
  const open = text.indexOf('(', node.startIndex + name.length);
  const headerEnd = matchingBracket(text, open);
  if (headerEnd === undefined) return undefined;
  const bodyStart = skipSpaceAndComments(text, headerEnd);
  const bodyEnd = statementEnd(text, bodyStart);
  return { shape: 'misparsed', name, headerStart: node.startIndex, headerEnd, bodyStart, bodyEnd };
}

/** The statement is one of the broken readings of `macro(args) body;`. */
function misparsed(node: Node, type: string, text: string): boolean {
  if (type === 'ERROR') return true;
  if (type === 'declaration') return node.childForFieldName('type')?.type === 'macro_type_specifier';
  const expression = firstKid(node, text);
  return expression?.type === 'assignment_expression' && expression.childForFieldName('left')?.type === 'call_expression' && expression.children.some((c) => c.isError);
}
