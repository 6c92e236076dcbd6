// Prints IR expressions back as C-like text: for branch decisions shown to
// the user and for naming opaque unknowns (the same text is the same unknown).

import type { IrExpr } from './ir';

const PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

export function printExpr(expr: IrExpr, parent = 0): string {
  switch (expr.kind) {
    case 'call':
      return `${expr.callee}(${expr.args.map((a) => printExpr(a)).join(', ')})`;
    case 'var':
      return expr.name;
    case 'field':
      return `${printExpr(expr.base, 12)}${expr.arrow ? '->' : '.'}${expr.field}`;
    case 'deref':
      return expr.index ? `${printExpr(expr.pointer, 12)}[${printExpr(expr.index)}]` : `*${printExpr(expr.pointer, 11)}`;
    case 'address-of':
      return `&${printExpr(expr.operand, 11)}`;
    case 'number':
      return expr.text;
    case 'bool':
      return String(expr.value);
    case 'constant':
      return expr.name;
    case 'unary':
      return `${expr.op}${printExpr(expr.operand, 11)}`;
    case 'binary': {
      const own = PRECEDENCE[expr.op] ?? 0;
      const text = `${printExpr(expr.left, own)} ${expr.op} ${printExpr(expr.right, own + 1)}`;
      return own < parent ? `(${text})` : text;
    }
    case 'ternary': {
      const text = `${printExpr(expr.condition, 1)} ? ${printExpr(expr.then)} : ${printExpr(expr.otherwise)}`;
      return parent > 0 ? `(${text})` : text;
    }
    case 'config':
      return `IS_ENABLED(${expr.symbol})`;
    case 'cast':
      return printExpr(expr.operand, parent);
    case 'opaque':
      return expr.text;
  }
}
