// Counts over lowered IR: how much was understood and how much was kept as opaque text.
// Used by tests ("no construct silently dropped") and by the kernel-tree report.

import type { IrExpr, IrFunction, IrStatement, IrTerminator, IrUnit } from '../../../simulator/src/ir';

export interface IrStats {
  functions: number;
  blocks: number;
  statements: number;
  opaqueStatements: number;
  opaqueExpressions: number;
  calls: number;
  /** Functions whose lowering failed (a single opaque statement with reason "lowering failed: …"). */
  failedFunctions: number;
}

export function emptyStats(): IrStats {
  return { functions: 0, blocks: 0, statements: 0, opaqueStatements: 0, opaqueExpressions: 0, calls: 0, failedFunctions: 0 };
}

export function irStats(target: IrUnit | IrFunction | readonly IrFunction[], into: IrStats = emptyStats()): IrStats {
  const functions = Array.isArray(target) ? (target as readonly IrFunction[]) : 'functions' in (target as IrUnit) ? (target as IrUnit).functions : [target as IrFunction];
  for (const fn of functions) {
    into.functions++;
    for (const block of fn.blocks) {
      into.blocks++;
      for (const statement of block.statements) {
        into.statements++;
        countStatement(statement, into);
        if (statement.kind === 'opaque' && statement.reason.startsWith('lowering failed')) into.failedFunctions++;
      }
      countTerminator(block.terminator, into);
    }
  }
  return into;
}

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

function* statementExpressions(statement: IrStatement): Generator<IrExpr> {
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

function* terminatorExpressions(terminator: IrTerminator): Generator<IrExpr> {
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

function countStatement(statement: IrStatement, into: IrStats): void {
  if (statement.kind === 'opaque') into.opaqueStatements++;
  for (const expr of statementExpressions(statement)) countExpr(expr, into);
}

function countTerminator(terminator: IrTerminator, into: IrStats): void {
  for (const expr of terminatorExpressions(terminator)) countExpr(expr, into);
}

function countExpr(expr: IrExpr, into: IrStats): void {
  if (expr.kind === 'opaque') into.opaqueExpressions++;
  else if (expr.kind === 'call') into.calls++;
}
