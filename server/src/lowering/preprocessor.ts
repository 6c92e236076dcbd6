// `#ifdef` / `#ifndef` / `#if` / `#elif` regions inside a function become branches. Conditions
// on CONFIG_ symbols (`defined(CONFIG_X)`, `IS_ENABLED(CONFIG_X)`, bare `CONFIG_X`) combined
// with `!`, `&&`, `||` become `config` expressions the profile decides; `#if 0`/`#if 1` become
// booleans; anything else (`__HAVE_ARCH_…`, `PAGETABLE_LEVELS > 2`) an opaque condition.

import type { Node } from 'web-tree-sitter';
import type { IrExpr } from '../../../simulator/src/ir';
import { CONFIG_TESTS } from './expressions';
import { firstKid, namedKids, operatorOf } from './syntax';
import type { UnitSource } from './unitSource';

const CONFIG = /^CONFIG_[A-Za-z0-9_]+$/;

/** The condition under which the first part of a `preproc_if`/`preproc_ifdef`/`preproc_elif…` node is compiled. */
export function preprocessorCondition(node: Node, source: UnitSource): IrExpr {
  const directive = node.child(0)?.type ?? '';
  if (node.type === 'preproc_ifdef' || node.type === 'preproc_elifdef') {
    const name = node.childForFieldName('name');
    if (!name) return opaque(node, source);
    const symbol = source.textOf(name);
    const range = source.rangeBetween(node.child(0) ?? node, name);
    const defined: IrExpr = CONFIG.test(symbol) ? { kind: 'config', symbol, range: source.rangeOf(name) } : { kind: 'opaque', text: `defined(${symbol})`, range };
    return /ndef$/.test(directive) ? { kind: 'unary', op: '!', operand: defined, range } : defined;
  }
  const condition = node.childForFieldName('condition');
  return condition ? conditionExpr(condition, source) : opaque(node, source);
}

/** The statements of a conditional region (its `name`/`condition`/`alternative` left out). */
export function regionStatements(node: Node): Node[] {
  const statements: Node[] = [];
  const count = node.namedChildCount;
  for (let i = 0; i < count; i++) {
    const child = node.namedChild(i)!;
    if (child.type === 'comment') continue;
    const field = node.fieldNameForNamedChild(i);
    if (field === 'name' || field === 'condition' || field === 'alternative') continue;
    statements.push(child);
  }
  return statements;
}

function conditionExpr(node: Node, source: UnitSource): IrExpr {
  const range = source.rangeOf(node);
  switch (node.type) {
    case 'parenthesized_expression': {
      const kids = namedKids(node, source.text);
      return kids.length === 1 ? conditionExpr(kids[0]!, source) : opaque(node, source);
    }
    case 'unary_expression': {
      const operand = node.childForFieldName('argument');
      if (operatorOf(node) !== '!' || !operand) return opaque(node, source);
      const inner = conditionExpr(operand, source);
      return inner.kind === 'opaque' ? opaque(node, source) : { kind: 'unary', op: '!', operand: inner, range };
    }
    case 'binary_expression': {
      const op = operatorOf(node);
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if ((op !== '&&' && op !== '||') || !left || !right) return opaque(node, source);
      return { kind: 'binary', op, left: conditionExpr(left, source), right: conditionExpr(right, source), range };
    }
    case 'preproc_defined': {
      const name = firstKid(node, source.text);
      const symbol = name ? source.textOf(name) : '';
      return CONFIG.test(symbol) ? { kind: 'config', symbol, range } : opaque(node, source);
    }
    case 'identifier': {
      const symbol = source.textOf(node);
      return CONFIG.test(symbol) ? { kind: 'config', symbol, range } : opaque(node, source);
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments');
      const kids = args ? namedKids(args, source.text) : [];
      const symbol = kids.length === 1 ? source.textOf(kids[0]!) : '';
      if (fn && CONFIG_TESTS.has(source.textOf(fn)) && CONFIG.test(symbol)) return { kind: 'config', symbol, range };
      return opaque(node, source);
    }
    case 'number_literal': {
      const text = source.textOf(node);
      if (text === '0' || text === '1') return { kind: 'bool', value: text === '1', range };
      return opaque(node, source);
    }
    default:
      return opaque(node, source);
  }
}

function opaque(node: Node, source: UnitSource): IrExpr {
  return { kind: 'opaque', text: source.textOf(node).trim(), range: source.rangeOf(node) };
}
