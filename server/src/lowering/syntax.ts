// Small questions about tree-sitter C nodes that several lowering modules ask.

import type { Node } from 'web-tree-sitter';

// Reading a node's type costs a call into WebAssembly; `text` (the unit text) lets these helpers
// rule comments out by their first character instead, which matters on 200 KB files.

/** Whether a named child may be a comment: only comments start with '/' among named nodes. */
function maybeComment(child: Node, text: string | undefined): boolean {
  if (text === undefined) return child.type === 'comment';
  return text.charCodeAt(child.startIndex) === 47 /* / */ && child.type === 'comment';
}

/** Named children without comments (comments are extras and may sit anywhere). */
export function namedKids(node: Node, text?: string): Node[] {
  const kids: Node[] = [];
  for (const child of node.namedChildren) if (!maybeComment(child, text)) kids.push(child);
  return kids;
}

/** The first named child that is not a comment. */
export function firstKid(node: Node, text?: string): Node | undefined {
  // sibling by sibling: the first is usually it, and a body's list of children is long
  for (let child = node.firstNamedChild; child; child = child.nextNamedSibling) if (!maybeComment(child, text)) return child;
  return undefined;
}

/** `((x))` → `x`; a statement expression `({ … })` stays as it is. */
export function unparen(node: Node, text?: string): Node {
  let current = node;
  for (let depth = 0; depth < 64 && (text === undefined || text.charCodeAt(current.startIndex) === 40) && current.type === 'parenthesized_expression'; depth++) {
    const kids = namedKids(current, text);
    if (kids.length !== 1 || kids[0]!.type === 'compound_statement') break;
    current = kids[0]!;
  }
  return current;
}

const MAY_ASSIGN = /(?:^|[^=!<>])=(?!=)|<<=|>>=|\+\+|--/;

/** Assignments and `++`/`--` anywhere inside (statement expressions included: harmless over-approximation). */
export function hasSideEffects(node: Node, text?: string): boolean {
  if (text !== undefined && !MAY_ASSIGN.test(text.slice(node.startIndex, node.endIndex))) return false;
  if (node.type === 'assignment_expression' || node.type === 'update_expression') return true;
  if (node.childCount === 0) return false;
  return node.descendantsOfType(['assignment_expression', 'update_expression']).length > 0;
}

const PUNCTUATORS_3 = new Set(['<<=', '>>=', '...']);
const PUNCTUATORS_2 = new Set(['->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=']);

/** The C punctuator starting at `offset` (maximal munch, as the C lexer reads it). */
export function punctuatorAt(text: string, offset: number): string {
  const three = text.slice(offset, offset + 3);
  if (PUNCTUATORS_3.has(three)) return three;
  const two = three.slice(0, 2);
  if (PUNCTUATORS_2.has(two)) return two;
  return three.slice(0, 1);
}

/**
 * A node's children when none is a comment (children sit at fixed places then: `left op right`,
 * `function arguments`); undefined otherwise. One call into WebAssembly for all of them.
 */
export function plainChildren(node: Node, text: string): Node[] | undefined {
  const children = node.children;
  for (const child of children) {
    const at = child.startIndex;
    if (text.charCodeAt(at) === 47 && (text.charCodeAt(at + 1) === 42 || text.charCodeAt(at + 1) === 47)) return undefined;
  }
  return children;
}

/** The anonymous operator token of a unary/binary/update/pointer/field/assignment expression. */
export function operatorOf(node: Node): string {
  const op = node.childForFieldName('operator');
  if (op) return op.type;
  for (const child of node.children) if (!child.isNamed) return child.type;
  return '';
}

/** A statement expression `({ … })`. */
export function isStatementExpression(node: Node): boolean {
  return node.type === 'parenthesized_expression' && firstKid(node)?.type === 'compound_statement';
}

/** All-caps identifiers (macros and enum constants): `VM_WRITE`, `_PAGE_RW`, `PAGE_SIZE`. */
export function isConstantName(name: string): boolean {
  return /^_*[A-Z][A-Z0-9_]*$/.test(name);
}

/** Words of C that can never start a declaration's type: their presence there is a misparse. */
export const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set([
  'else', 'if', 'return', 'goto', 'break', 'continue', 'case', 'default', 'switch', 'while', 'do', 'for', 'sizeof',
]);

/** The offset after the bracket matching the one at `open` (strings, characters and comments skipped); undefined if unbalanced. */
export function matchingBracket(text: string, open: number, limit = text.length): number | undefined {
  let depth = 0;
  for (let i = open; i < limit; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      for (i++; i < limit && text[i] !== ch && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return undefined;
      i = close + 1;
    } else if (ch === '/' && text[i + 1] === '/') {
      const eol = text.indexOf('\n', i);
      if (eol < 0) return undefined;
      i = eol;
    } else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return undefined;
    }
  }
  return undefined;
}

/** The offset of the first character at or after `from` that is neither whitespace nor in a comment. */
export function skipSpaceAndComments(text: string, from: number, limit = text.length): number {
  let i = from;
  while (i < limit) {
    const ch = text.charCodeAt(i);
    if (ch === 32 || ch === 9 || ch === 10 || ch === 13 || ch === 12 || ch === 11) i++;
    else if (ch === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? limit : close + 2;
    } else if (ch === 47 && text.charCodeAt(i + 1) === 47) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? limit : eol + 1;
    } else break;
  }
  return Math.min(i, limit);
}

/** The end (after the `;`) of the simple statement starting at `from`, or after its `{ … }` block. */
export function statementEnd(text: string, from: number, limit = text.length): number | undefined {
  if (text[from] === '{') return matchingBracket(text, from, limit);
  if (/^(if|for|while|do|switch|else|case|default|return|goto)\b/.test(text.slice(from, from + 8))) return undefined;
  for (let i = from; i < limit; i++) {
    const ch = text[i]!;
    if (ch === '(' || ch === '[' || ch === '{') {
      const close = matchingBracket(text, i, limit);
      if (close === undefined) return undefined;
      i = close - 1;
    } else if (ch === '"' || ch === "'") {
      for (i++; i < limit && text[i] !== ch && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
    } else if (ch === ';') return i + 1;
    else if (ch === '}' || ch === ')' || ch === ']') return undefined;
  }
  return undefined;
}
