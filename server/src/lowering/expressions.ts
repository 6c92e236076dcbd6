// C expressions → IR expressions. Side effects nested in an expression (an assignment inside a
// condition, `i++` in an argument) are hoisted into `Effects`: `pre` statements run before the
// expression, `post` statements (postfix ++/--) after it. Whatever is not understood becomes an
// opaque expression carrying its text and range, never nothing.

import type { Node } from 'web-tree-sitter';
import type { BinaryOp, IrExpr, IrLValue, IrStatement, SourceRange, UnaryOp } from '../../../simulator/src/ir';
import { declaratorShape, irType } from './cTypes';
import { firstKid, isConstantName, namedKids, operatorOf, plainChildren, punctuatorAt } from './syntax';
import type { UnitSource } from './unitSource';

export interface Effects {
  readonly pre: IrStatement[];
  readonly post: IrStatement[];
}

export function noEffects(): Effects {
  return { pre: [], post: [] };
}

/** Calls that only pass their first argument through, as far as the simulator is concerned. */
export const TRANSPARENT_CALLS: ReadonlySet<string> = new Set(['likely', 'unlikely', 'READ_ONCE', '__READ_ONCE', 'data_race', '__builtin_expect', 'ACCESS_ONCE']);

/** Calls that test a config symbol: `IS_ENABLED(CONFIG_X)`. */
export const CONFIG_TESTS: ReadonlySet<string> = new Set(['IS_ENABLED', 'IS_BUILTIN', 'IS_REACHABLE']);

const BINARY_OPS: ReadonlySet<string> = new Set(['&&', '||', '&', '|', '^', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '<<', '>>']);
const UNARY_OPS: ReadonlySet<string> = new Set(['!', '~', '-', '+']);

/** Identifiers the fragment wrapper invents (`__mmlens_cond`, `__mmlens_call`): unknowns, not variables. */
const WRAPPER_NAME = /^__mmlens_/;

/** Deeper expressions are kept as opaque text (the JavaScript stack is the limit otherwise). */
export const MAX_EXPRESSION_DEPTH = 256;

export class ExpressionLowerer {
  private depth = 0;

  constructor(private readonly source: UnitSource) {}

  opaque(node: Node): IrExpr {
    return { kind: 'opaque', text: this.source.textOf(node), range: this.source.rangeOf(node) };
  }

  opaqueOffsets(start: number, end: number): IrExpr {
    return { kind: 'opaque', text: this.source.slice(start, end), range: this.source.rangeOfOffsets(start, end) };
  }

  expr(node: Node, fx: Effects): IrExpr {
    if (this.depth >= MAX_EXPRESSION_DEPTH) return this.opaque(node);
    this.depth++;
    try {
      return this.lowerExpr(node, fx);
    } finally {
      this.depth--;
    }
  }

  private lowerExpr(node: Node, fx: Effects): IrExpr {
    const range = (): SourceRange => this.source.rangeOf(node);
    const text = this.source.text;
    switch (node.type) {
      case 'identifier':
        return this.identifier(node);
      case 'number_literal': {
        const literal = this.source.textOf(node);
        const value = parseNumber(literal);
        return value === undefined ? this.opaque(node) : { kind: 'number', value, text: literal, range: range() };
      }
      case 'char_literal': {
        const literal = this.source.textOf(node);
        const value = parseChar(literal);
        return value === undefined ? this.opaque(node) : { kind: 'number', value, text: literal, range: range() };
      }
      case 'true':
      case 'false':
        return { kind: 'bool', value: node.type === 'true', range: range() };
      case 'null':
        return { kind: 'constant', name: this.source.textOf(node), range: range() };
      case 'parenthesized_expression': {
        const kids = namedKids(node, this.source.text);
        if (kids.length !== 1 || kids[0]!.type === 'compound_statement') return this.opaque(node); // ({ … }) or damaged
        return this.expr(kids[0]!, fx);
      }
      case 'extension_expression': {
        const inner = firstKid(node, this.source.text);
        return inner ? this.expr(inner, fx) : this.opaque(node);
      }
      case 'field_expression': {
        const kids = plainChildren(node, text);
        const base = kids?.length === 3 ? kids[0] : node.childForFieldName('argument');
        const field = kids?.length === 3 ? kids[2] : node.childForFieldName('field');
        if (!base || !field) return this.opaque(node);
        const arrow = kids?.length === 3 ? punctuatorAt(text, kids[1]!.startIndex) === '->' : operatorOf(node) === '->';
        return { kind: 'field', base: this.expr(base, fx), field: this.source.textOf(field), arrow, range: range() };
      }
      case 'pointer_expression': {
        const kids = plainChildren(node, text);
        const operand = kids?.length === 2 ? kids[1] : node.childForFieldName('argument');
        if (!operand) return this.opaque(node);
        const op = kids?.length === 2 ? punctuatorAt(text, kids[0]!.startIndex) : operatorOf(node);
        if (op === '*') return { kind: 'deref', pointer: this.expr(operand, fx), range: range() };
        if (op === '&') return { kind: 'address-of', operand: this.expr(operand, fx), range: range() };
        return this.opaque(node);
      }
      case 'subscript_expression': {
        const array = node.childForFieldName('argument');
        const index = node.childForFieldName('index');
        if (!array || !index) return this.opaque(node);
        return { kind: 'deref', pointer: this.expr(array, fx), index: this.expr(index, fx), range: range() };
      }
      case 'unary_expression': {
        const kids = plainChildren(node, text);
        const operand = kids?.length === 2 ? kids[1] : node.childForFieldName('argument');
        const op = kids?.length === 2 ? punctuatorAt(text, kids[0]!.startIndex) : operatorOf(node);
        if (!operand || !UNARY_OPS.has(op)) return this.opaque(node);
        return { kind: 'unary', op: op as UnaryOp, operand: this.expr(operand, fx), range: range() };
      }
      case 'binary_expression': {
        const kids = plainChildren(node, text);
        const left = kids?.length === 3 ? kids[0] : node.childForFieldName('left');
        const right = kids?.length === 3 ? kids[2] : node.childForFieldName('right');
        const op = kids?.length === 3 ? punctuatorAt(text, kids[1]!.startIndex) : operatorOf(node);
        if (!left || !right || !BINARY_OPS.has(op)) return this.opaque(node);
        return { kind: 'binary', op: op as BinaryOp, left: this.expr(left, fx), right: this.expr(right, fx), range: range() };
      }
      case 'conditional_expression': {
        const condition = node.childForFieldName('condition');
        const consequence = node.childForFieldName('consequence');
        const alternative = node.childForFieldName('alternative');
        if (!condition || !alternative) return this.opaque(node);
        const cond = this.expr(condition, fx);
        // GNU `a ?: b` yields the condition's value when it is true
        const then = consequence ? this.expr(consequence, fx) : cond;
        return { kind: 'ternary', condition: cond, then, otherwise: this.expr(alternative, fx), range: range() };
      }
      case 'cast_expression': {
        const type = node.childForFieldName('type');
        const value = node.childForFieldName('value');
        if (!type || !value) return this.opaque(node);
        return { kind: 'cast', type: this.typeDescriptor(type), operand: this.expr(value, fx), range: range() };
      }
      case 'call_expression':
        return this.call(node, fx);
      case 'assignment_expression': {
        const statement = this.assignment(node, fx);
        fx.pre.push(statement);
        return statement.kind === 'assign' ? statement.target : this.opaque(node);
      }
      case 'update_expression': {
        const prefix = node.firstChild?.isNamed === false;
        const operand = node.childForFieldName('argument');
        if (!prefix && operand?.type === 'unary_expression') {
          // tree-sitter reads `!ptep++` as `(!ptep)++`; C means `!(ptep++)`
          const inner = operand.childForFieldName('argument');
          const op = operatorOf(operand);
          const statement = inner ? this.update(node, fx, inner) : undefined;
          if (inner && statement?.kind === 'assign' && UNARY_OPS.has(op)) {
            fx.post.push(statement);
            return { kind: 'unary', op: op as UnaryOp, operand: statement.target, range: this.source.rangeOf(node) };
          }
        }
        const statement = this.update(node, fx);
        (prefix ? fx.pre : fx.post).push(statement);
        return statement.kind === 'assign' ? statement.target : this.opaque(node);
      }
      case 'comma_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !right) return this.opaque(node);
        const value = this.expr(left, fx);
        if (!isPure(value)) fx.pre.push({ kind: 'eval', expr: value, range: value.range });
        return this.expr(right, fx);
      }
      default:
        // string literals, sizeof/alignof/offsetof, compound literals, initializer lists,
        // _Generic, inline asm, statement expressions, ERROR: kept as text
        return this.opaque(node);
    }
  }

  private identifier(node: Node): IrExpr {
    const start = node.startIndex;
    const end = node.endIndex;
    const name = this.source.slice(start, end);
    const range = this.source.rangeOfLine(node.startPosition, start, end);
    if (WRAPPER_NAME.test(name)) return { kind: 'opaque', text: name, range };
    if (name === 'true' || name === 'false') return { kind: 'bool', value: name === 'true', range };
    if (isConstantName(name)) return { kind: 'constant', name, range };
    return { kind: 'var', name, range };
  }

  private call(node: Node, fx: Effects): IrExpr {
    const kids = plainChildren(node, this.source.text);
    const fn = kids?.length === 2 ? kids[0] : node.childForFieldName('function');
    const argList = kids?.length === 2 ? kids[1] : node.childForFieldName('arguments');
    if (!fn || !argList) return this.opaque(node);
    const fnText = this.source.textOf(fn);
    const name = /^[A-Za-z_]\w*$/.test(fnText) ? fnText : undefined;
    if (name !== undefined && (WRAPPER_NAME.test(name) || TRANSPARENT_CALLS.has(name) || CONFIG_TESTS.has(name))) {
      if (WRAPPER_NAME.test(name)) return this.opaque(node);
      const kids = namedKids(argList, this.source.text);
      if (TRANSPARENT_CALLS.has(name) && kids.length >= 1 && !argList.hasError) return this.expr(kids[0]!, fx);
      if (CONFIG_TESTS.has(name) && kids.length === 1 && kids[0]!.type === 'identifier') {
        return { kind: 'config', symbol: this.source.textOf(kids[0]!), range: this.source.rangeOf(node) };
      }
    }
    const callee = name ?? fnText.replace(/\s+/g, ' ');
    return { kind: 'call', callee, args: this.args(argList, fx), range: this.source.rangeOf(node) };
  }

  /** Call arguments. A damaged list (`container_of(p, struct foo, m)`) is split at its commas and damaged pieces kept as text. */
  args(argList: Node, fx: Effects): IrExpr[] {
    const kids = namedKids(argList, this.source.text);
    if (!argList.hasError) return kids.map((kid) => this.expr(kid, fx));
    const text = this.source.text;
    const open = argList.startIndex;
    const close = text.charCodeAt(argList.endIndex - 1) === 41 /* ) */ ? argList.endIndex - 1 : argList.endIndex;
    return splitArguments(text, open + 1, close).map(([start, end]) => {
      const exact = kids.find((k) => k.startIndex === start && k.endIndex === end && !k.hasError && k.type !== 'ERROR');
      return exact ? this.expr(exact, fx) : this.opaqueOffsets(start, end);
    });
  }

  /** An lvalue: a variable, a field, `*p` or `p[i]`; undefined for anything else. */
  lvalue(node: Node, fx: Effects): IrLValue | undefined {
    const target = this.expr(node, fx);
    if (target.kind === 'var' || target.kind === 'field' || target.kind === 'deref') return target;
    if (target.kind === 'constant') return { kind: 'var', name: target.name, range: target.range }; // a macro used as a variable
    return undefined;
  }

  /** `a = b`, `a |= b` (as `a = a | b`): an assign statement, or an opaque one when the target cannot be tracked. */
  assignment(node: Node, fx: Effects): IrStatement {
    const kids = plainChildren(node, this.source.text);
    const plain = kids?.length === 3;
    const left = plain ? kids[0] : node.childForFieldName('left');
    const right = plain ? kids[2] : node.childForFieldName('right');
    const range = this.source.rangeOf(node);
    if (!left || !right || (!plain && node.children.some((c) => c.isError))) {
      return { kind: 'opaque', text: this.source.textOf(node), reason: 'damaged assignment (syntax error)', range };
    }
    const target = this.lvalue(left, fx);
    let value = this.expr(right, fx);
    if (!target) return { kind: 'opaque', text: this.source.textOf(node), reason: `assignment to ${left.type.replace(/_/g, ' ')}, which is not tracked`, range };
    const op = plain ? punctuatorAt(this.source.text, kids[1]!.startIndex) : operatorOf(node);
    if (op !== '=') {
      const binary = op.slice(0, -1);
      if (!BINARY_OPS.has(binary)) return { kind: 'opaque', text: this.source.textOf(node), reason: `unknown assignment operator ${op}`, range };
      value = { kind: 'binary', op: binary as BinaryOp, left: target, right: value, range };
    }
    return { kind: 'assign', target, value, range };
  }

  /** `x++`, `--x` as `x = x + 1` / `x = x - 1`. */
  update(node: Node, fx: Effects, operandNode?: Node): IrStatement {
    const operand = operandNode ?? node.childForFieldName('argument');
    const range = this.source.rangeOf(node);
    const target = operand ? this.lvalue(operand, fx) : undefined;
    if (!target) return { kind: 'opaque', text: this.source.textOf(node), reason: 'increment of an expression that is not tracked', range };
    const op = operatorOf(node) === '--' ? '-' : '+';
    return { kind: 'assign', target, value: { kind: 'binary', op, left: target, right: { kind: 'number', value: 1, text: '1', range }, range }, range };
  }

  /** The IR type of a `type_descriptor` (casts, sizeof). */
  typeDescriptor(descriptor: Node): ReturnType<typeof irType> {
    const base = descriptor.childForFieldName('type');
    const shape = declaratorShape(descriptor.childForFieldName('declarator'));
    // qualifiers before the type are separate children; only the type's own text matters
    return irType(base ? this.source.textOf(base) : this.source.textOf(descriptor), shape.pointers, shape.array);
  }
}

/** An expression with no effect worth keeping as a statement. */
function isPure(expr: IrExpr): boolean {
  return expr.kind === 'var' || expr.kind === 'constant' || expr.kind === 'number' || expr.kind === 'bool' || expr.kind === 'config';
}

/** Integer and floating literals with C prefixes and suffixes; undefined when not a number. */
export function parseNumber(text: string): number | undefined {
  const t = text.replace(/'/g, '').replace(/[uUlL]+$/, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[bB][01]+$/.test(t)) return parseInt(t.slice(2), 2);
  if (/^0[0-7]+$/.test(t)) return parseInt(t, 8);
  if (/^[0-9]+$/.test(t)) return parseInt(t, 10);
  const float = Number(t.replace(/[fF]$/, ''));
  return t !== '' && Number.isFinite(float) ? float : undefined;
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };

/** `'a'`, `'\n'`, `'\x1f'` → their code; undefined for wide or multi-character literals. */
export function parseChar(text: string): number | undefined {
  const match = /^'(\\x[0-9a-fA-F]+|\\[0-7]{1,3}|\\.|[^\\'])'$/.exec(text);
  if (!match) return undefined;
  const body = match[1]!;
  if (body.length === 1) return body.charCodeAt(0);
  if (body.startsWith('\\x')) return parseInt(body.slice(2), 16);
  if (/^\\[0-7]+$/.test(body)) return parseInt(body.slice(1), 8);
  return ESCAPES[body[1]!];
}

/** Offsets of the comma-separated pieces of `text[start, end)` at nesting depth 0, trimmed. */
export function splitArguments(text: string, start: number, end: number): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  let depth = 0;
  let pieceStart = start;
  const push = (from: number, to: number): void => {
    while (from < to && /\s/.test(text[from]!)) from++;
    while (to > from && /\s/.test(text[to - 1]!)) to--;
    if (to > from) pieces.push([from, to]);
  };
  for (let i = start; i < end; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      for (i++; i < end && text[i] !== ch; i++) if (text[i] === '\\') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 || close >= end ? end : close + 1;
    } else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      push(pieceStart, i);
      pieceStart = i + 1;
    }
  }
  push(pieceStart, end);
  return pieces;
}
