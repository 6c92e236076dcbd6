// Walks over IR expressions: every expression of a function, of a statement, of a terminator.

import type { IrExpr, IrFunction, IrStatement, IrTerminator } from './ir';

/** Every expression of a function (statements and terminators), depth first. */
export function* expressionsOf(fn: IrFunction): Generator<IrExpr> {
  for (const block of fn.blocks) {
    for (const statement of block.statements) yield* statementExpressions(statement);
    yield* terminatorExpressions(block.terminator);
  }
}

/** An expression and all its subexpressions. */
export function* subexpressions(expr: IrExpr): Generator<IrExpr> {
  yield expr;
  switch (expr.kind) {
    case 'call':
      for (const arg of expr.args) yield* subexpressions(arg);
      break;
    case 'field':
      yield* subexpressions(expr.base);
      break;
    case 'deref':
      yield* subexpressions(expr.pointer);
      if (expr.index) yield* subexpressions(expr.index);
      break;
    case 'address-of':
    case 'unary':
    case 'cast':
      yield* subexpressions(expr.operand);
      break;
    case 'binary':
      yield* subexpressions(expr.left);
      yield* subexpressions(expr.right);
      break;
    case 'ternary':
      yield* subexpressions(expr.condition);
      yield* subexpressions(expr.then);
      yield* subexpressions(expr.otherwise);
      break;
    default:
      break;
  }
}

export function* statementExpressions(statement: IrStatement): Generator<IrExpr> {
  switch (statement.kind) {
    case 'declare':
      if (statement.init) yield* subexpressions(statement.init);
      break;
    case 'assign':
      yield* subexpressions(statement.target);
      yield* subexpressions(statement.value);
      break;
    case 'eval':
      yield* subexpressions(statement.expr);
      break;
    default:
      break;
  }
}

export function* terminatorExpressions(terminator: IrTerminator): Generator<IrExpr> {
  switch (terminator.kind) {
    case 'branch':
      yield* subexpressions(terminator.condition);
      break;
    case 'switch':
      yield* subexpressions(terminator.value);
      for (const c of terminator.cases) for (const v of c.values) yield* subexpressions(v);
      break;
    case 'return':
      if (terminator.value) yield* subexpressions(terminator.value);
      break;
    default:
      break;
  }
}


/** Every name a function calls. */
export function calledNames(fn: IrFunction): Set<string> {
  const names = new Set<string>();
  for (const expr of expressionsOf(fn)) if (expr.kind === 'call') names.add(expr.callee);
  return names;
}
