// Branches: if/else, switch (cases with shared labels, fallthrough, GNU case ranges, an implicit
// default that leaves the switch), and `#if`/`#ifdef`/`#elif`/`#else` regions inside a body,
// which branch on `config` conditions (preprocessor.ts).

import type { Node } from 'web-tree-sitter';
import type { IrExpr } from '../../../simulator/src/ir';
import type { BodyContext, SwitchState } from './bodyContext';
import { lowerCondition } from './conditions';
import { noEffects } from './expressions';
import { preprocessorCondition, regionStatements } from './preprocessor';
import { firstKid, unparen } from './syntax';

export function ifStatement(ctx: BodyContext, node: Node): void {
  const condition = node.childForFieldName('condition');
  const consequence = node.childForFieldName('consequence');
  const alternative = node.childForFieldName('alternative');
  const elseStatement = alternative ? (alternative.type === 'else_clause' ? firstKid(alternative, ctx.source.text) : alternative) : undefined;
  const then = ctx.cfg.newBlock();
  const join = ctx.cfg.newBlock();
  const otherwise = elseStatement ? ctx.cfg.newBlock() : join;
  if (condition) lowerCondition(ctx, condition, then, otherwise);
  else ctx.cfg.terminate({ kind: 'branch', condition: ctx.exprs.opaque(node), then, otherwise, range: ctx.source.rangeOf(node) });
  ctx.cfg.startBlock(then);
  if (consequence) ctx.statement(consequence);
  if (elseStatement) ctx.flushStates(elseStatement.startIndex);
  ctx.cfg.jump(join);
  if (elseStatement) {
    ctx.cfg.startBlock(otherwise);
    ctx.statement(elseStatement);
  }
  ctx.cfg.startBlock(join);
}

export function switchStatement(ctx: BodyContext, node: Node): void {
  const condition = node.childForFieldName('condition');
  const body = node.childForFieldName('body');
  const fx = noEffects();
  const value = condition ? ctx.exprs.expr(unparen(condition, ctx.source.text), fx) : ctx.exprs.opaque(node);
  ctx.cfg.emitAll(fx.pre);
  ctx.cfg.emitAll(fx.post);
  const dispatch = ctx.cfg.currentBlock();
  const exit = ctx.cfg.newBlock();
  const state: SwitchState = { cases: [], hasDefault: false, lastLabel: undefined };
  ctx.cfg.terminate({ kind: 'goto', target: exit }); // replaced by the switch below
  ctx.pushScope({ kind: 'switch', breakTarget: exit, continueTarget: undefined, switchState: state });
  if (body) ctx.statement(body);
  ctx.popScope();
  ctx.cfg.startBlock(exit);
  const cases = state.hasDefault ? state.cases : [...state.cases, { values: [], target: exit }];
  ctx.cfg.setTerminator(dispatch, { kind: 'switch', value, cases, range: condition ? ctx.source.rangeOf(condition) : ctx.source.rangeOf(node) });
}

export function caseLabel(ctx: BodyContext, node: Node): void {
  const scope = ctx.innermostScope('switch');
  const valueNode = node.childForFieldName('value');
  let body: Node[] = [];
  for (let i = 0; i < node.namedChildCount; i++) {
    const child = node.namedChild(i)!;
    if (child.type !== 'comment' && node.fieldNameForNamedChild(i) !== 'value') body.push(child);
  }
  if (!scope?.switchState) {
    ctx.opaqueStatement(node, 'case label outside a switch');
    return ctx.sequence(body);
  }
  const state = scope.switchState;
  const values: IrExpr[] = [];
  if (valueNode) {
    const range = body[0]?.type === 'ERROR' && ctx.source.textOf(body[0]).trimStart().startsWith('...') ? body[0] : undefined;
    if (range) {
      values.push(ctx.exprs.opaqueOffsets(valueNode.startIndex, range.endIndex)); // GNU case range `case 1 ... 5:`
      body = body.slice(1);
    } else {
      values.push(ctx.exprs.expr(valueNode, noEffects()));
    }
  }
  const last = state.lastLabel;
  const reuse = last && ctx.cfg.currentId === last.block && ctx.cfg.isEmpty(last.block) && valueNode !== null && last.entry.values.length > 0;
  if (reuse) {
    last.entry.values.push(...values);
  } else {
    const block = ctx.cfg.newBlock();
    const entry = { values, target: block };
    state.cases.push(entry);
    ctx.cfg.startBlock(block); // fallthrough from the previous case
    state.lastLabel = { block, entry };
  }
  if (!valueNode) state.hasDefault = true;
  ctx.flushStates(node.startIndex);
  ctx.sequence(body);
}

/** `#ifdef CONFIG_X … #else … #endif` inside a body: a branch on the config symbol. */
export function conditionalRegion(ctx: BodyContext, node: Node): void {
  const condition = preprocessorCondition(node, ctx.source);
  const alternative = node.childForFieldName('alternative');
  const then = ctx.cfg.newBlock();
  const join = ctx.cfg.newBlock();
  const otherwise = alternative ? ctx.cfg.newBlock() : join;
  ctx.cfg.terminate({ kind: 'branch', condition, then, otherwise, range: condition.range });
  ctx.cfg.startBlock(then);
  ctx.sequence(regionStatements(node));
  ctx.flushStates(alternative ? alternative.startIndex : node.endIndex);
  ctx.cfg.jump(join);
  if (alternative) {
    ctx.cfg.startBlock(otherwise);
    if (alternative.type === 'preproc_else') ctx.sequence(regionStatements(alternative));
    else conditionalRegion(ctx, alternative); // #elif, #elifdef: another region
    ctx.flushStates(alternative.endIndex);
  }
  ctx.cfg.startBlock(join);
}
