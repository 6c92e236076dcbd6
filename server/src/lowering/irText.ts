// A lowered function printed as text, one line per statement and terminator. Tests compare CFG
// shapes with it; a CLI or a trace view can show it to a user.
//
//   f(vma: vma, ptep: slot:pte) -> int
//   b0:
//     declare pte: entry:pte = ptep_get(ptep)
//     branch !pte_present(pte) ? b1 : b2
//   b1 (loop):
//     return 0

import type { IrFunction, IrStatement, IrTerminator, IrType, SourceRange } from '../../../simulator/src/ir';
import { exprText } from './exprText';

export interface FormatOptions {
  /** Append `@line:character` (1-based line, 0-based column, like compiler messages) to each line. */
  readonly positions?: boolean;
}

export function typeText(type: IrType): string {
  switch (type.kind) {
    case 'entry':
    case 'slot':
      return `${type.kind}:${type.level}`;
    case 'other':
      return `other:${type.text}`;
    default:
      return type.kind;
  }
}

export function statementText(statement: IrStatement): string {
  switch (statement.kind) {
    case 'declare':
      return `declare ${statement.name}: ${typeText(statement.type)}${statement.init ? ` = ${exprText(statement.init)}` : ''}`;
    case 'assign':
      return `${exprText(statement.target)} = ${exprText(statement.value)}`;
    case 'eval':
      return `eval ${exprText(statement.expr)}`;
    case 'opaque':
      return `opaque [${statement.reason}] ${statement.text.replace(/\s+/g, ' ')}`;
    case 'assert-state': {
      const a = statement.annotation;
      return `assert-state ${[a.subject, a.form, ...a.bits.map((b) => `${b.name}=${b.value ? 1 : 0}`)].filter(Boolean).join(' ')}`;
    }
  }
}

export function terminatorText(terminator: IrTerminator): string {
  switch (terminator.kind) {
    case 'goto':
      return `goto b${terminator.target}`;
    case 'branch':
      return `branch ${exprText(terminator.condition)} ? b${terminator.then} : b${terminator.otherwise}`;
    case 'switch':
      return `switch ${exprText(terminator.value)} { ${terminator.cases.map((c) => `${c.values.length === 0 ? 'default' : c.values.map(exprText).join(', ')}: b${c.target}`).join('; ')} }`;
    case 'return':
      return terminator.value ? `return ${exprText(terminator.value)}` : 'return';
    case 'fragment-end':
      return 'fragment-end';
  }
}

function at(range: SourceRange | undefined, options: FormatOptions): string {
  return options.positions && range ? `  @${range.start.line + 1}:${range.start.character}` : '';
}

export function formatFunction(fn: IrFunction, options: FormatOptions = {}): string {
  const lines = [`${fn.name}(${fn.params.map((p) => `${p.name}: ${typeText(p.type)}`).join(', ')}) -> ${typeText(fn.returnType)}${fn.fragment ? ' [fragment]' : ''}`];
  for (const block of fn.blocks) {
    lines.push(`b${block.id}:${block.loopHeader ? ' (loop)' : ''}`);
    for (const statement of block.statements) {
      const range = statement.kind === 'assert-state' ? statement.annotation.range : statement.range;
      lines.push(`  ${statementText(statement)}${at(range, options)}`);
    }
    lines.push(`  ${terminatorText(block.terminator)}${at(block.terminator.range, options)}`);
  }
  return lines.join('\n');
}
