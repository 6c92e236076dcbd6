// Counts over lowered IR: how much was understood and how much was kept as opaque text.
// Used by tests ("no construct silently dropped") and by the kernel-tree report.

import type { IrExpr, IrFunction, IrStatement, IrTerminator, IrUnit } from '../../../simulator/src/ir';
import { statementExpressions, terminatorExpressions } from '../../../simulator/src/irWalk';

export { expressionsOf, subexpressions } from '../../../simulator/src/irWalk';

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
