// What the statement, branch, condition and loop lowering share while one function body is
// lowered: the CFG under construction, the text being read, the expression lowerer, the
// break/continue scopes, and the pending `@mm state` assertions. BodyLowerer (statements.ts)
// implements it; branches.ts, conditions.ts and loops.ts receive it.

import type { Node } from 'web-tree-sitter';
import type { BlockId, IrExpr, StateAnnotation } from '../../../simulator/src/ir';
import type { CfgBuilder } from './cfg';
import type { ExpressionLowerer } from './expressions';
import type { UnitSource } from './unitSource';

/** A `@mm state` annotation waiting for the statement boundary at its comment's offset. */
export interface PendingState {
  /** Unit offset of the comment. */
  readonly offset: number;
  /** Unit line of the code the comment applies to (its own line when trailing). */
  readonly line: number;
  readonly annotation: StateAnnotation;
}

/** Where `break` and `continue` go inside a loop or a switch. */
export interface JumpScope {
  readonly kind: 'loop' | 'switch';
  readonly breakTarget: BlockId;
  readonly continueTarget: BlockId | undefined;
  readonly switchState?: SwitchState;
}

/** A switch being lowered: its cases so far. */
export interface SwitchState {
  readonly cases: { values: IrExpr[]; target: BlockId }[];
  hasDefault: boolean;
  /** The block the last label opened, while it is still empty (consecutive labels share it). */
  lastLabel: { block: BlockId; entry: { values: IrExpr[]; target: BlockId } } | undefined;
}

export interface BodyContext {
  readonly cfg: CfgBuilder;
  /** The text being lowered (the unit, or a reparsed stretch of it). */
  readonly source: UnitSource;
  readonly exprs: ExpressionLowerer;
  statement(node: Node): void;
  /** Statements in order, with iterator macros that span two of them recognised. */
  sequence(nodes: readonly Node[]): void;
  /** An expression evaluated for its effect. */
  effect(node: Node): void;
  opaqueStatement(node: Node, reason: string): void;
  pushScope(scope: JumpScope): void;
  popScope(): void;
  /** The innermost loop or switch (of `kind`, when given). */
  innermostScope(kind?: JumpScope['kind']): JumpScope | undefined;
  /** Emits the `@mm state` assertions whose comments come before `offset` (and before `beforeLine`). */
  flushStates(offset: number, beforeLine?: number): void;
  /** Lowers nodes of another text (a reparsed stretch) into the same graph. */
  withSource(source: UnitSource, run: () => void): void;
}
