// IR expressions printed back as C-like text, for tests, traces and hovers:
// `pte_mkwrite(pte_mkdirty(pte), vma)`, `vma->vm_flags & VM_SHARED`, `!config(CONFIG_X)`.

import type { IrExpr } from '../../../simulator/src/ir';

const PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

const BITWISE = new Set(['&', '|', '^', '<<', '>>']);

export function exprText(expr: IrExpr): string {
  return print(expr, 0);
}

function print(expr: IrExpr, outer: number): string {
  switch (expr.kind) {
    case 'call':
      return `${expr.callee}(${expr.args.map((a) => print(a, 0)).join(', ')})`;
    case 'var':
      return expr.name;
    case 'constant':
      return expr.name;
    case 'number':
      return expr.text;
    case 'bool':
      return String(expr.value);
    case 'field':
      return `${print(expr.base, 12)}${expr.arrow ? '->' : '.'}${expr.field}`;
    case 'deref':
      return expr.index ? `${print(expr.pointer, 12)}[${print(expr.index, 0)}]` : `*${print(expr.pointer, 11)}`;
    case 'address-of':
      return `&${print(expr.operand, 11)}`;
    case 'unary':
      return `${expr.op}${print(expr.operand, 11)}`;
    case 'binary': {
      const p = PRECEDENCE[expr.op] ?? 0;
      const side = (operand: IrExpr, min: number): string =>
        // bit operations inside other operators get parentheses even where C does not need them
        operand.kind === 'binary' && BITWISE.has(operand.op) && operand.op !== expr.op ? `(${print(operand, 0)})` : print(operand, min);
      const text = `${side(expr.left, p)} ${expr.op} ${side(expr.right, p + 1)}`;
      return p < outer ? `(${text})` : text;
    }
    case 'ternary': {
      const text = `${print(expr.condition, 1)} ? ${print(expr.then, 0)} : ${print(expr.otherwise, 0)}`;
      return outer > 0 ? `(${text})` : text;
    }
    case 'config':
      return `config(${expr.symbol})`;
    case 'cast': {
      const type = expr.type.kind === 'other' ? expr.type.text : expr.type.kind === 'entry' || expr.type.kind === 'slot' ? `${expr.type.kind}:${expr.type.level}` : expr.type.kind;
      return `(${type})${print(expr.operand, 11)}`;
    }
    case 'opaque':
      return `opaque(${expr.text.replace(/\s+/g, ' ')})`;
  }
}
