// Conditions → branches. Assignments inside a condition are hoisted before the branch; when they
// sit in an operand that is evaluated only sometimes (right of `&&`/`||`, a ternary arm), the
// condition is split into branches so they happen only on that path. Postfix `++`/`--` in a
// condition happen on both edges.

import type { Node } from 'web-tree-sitter';
import type { BlockId } from '../../../simulator/src/ir';
import type { BodyContext } from './bodyContext';
import { noEffects } from './expressions';
import { hasSideEffects, operatorOf, unparen } from './syntax';

/** `c ? a++ : b++;` and `ok && (x = f());` as statements: the effects happen only on their branch. */
export function conditionalEffect(ctx: BodyContext, node: Node): boolean {
  if (node.type === 'conditional_expression') {
    const condition = node.childForFieldName('condition');
    const consequence = node.childForFieldName('consequence');
    const alternative = node.childForFieldName('alternative');
    if (!condition || !alternative || !(hasSideEffects(alternative, ctx.source.text) || (consequence && hasSideEffects(consequence, ctx.source.text)))) return false;
    const then = ctx.cfg.newBlock();
    const otherwise = ctx.cfg.newBlock();
    const join = ctx.cfg.newBlock();
    lowerCondition(ctx, condition, then, otherwise);
    ctx.cfg.startBlock(then);
    ctx.effect(consequence ?? condition);
    ctx.cfg.jump(join);
    ctx.cfg.startBlock(otherwise);
    ctx.effect(alternative);
    ctx.cfg.startBlock(join);
    return true;
  }
  const op = operatorOf(node);
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if ((op !== '&&' && op !== '||') || !left || !right || !hasSideEffects(right, ctx.source.text)) return false;
  const then = ctx.cfg.newBlock();
  const join = ctx.cfg.newBlock();
  if (op === '&&') lowerCondition(ctx, left, then, join);
  else lowerCondition(ctx, left, join, then);
  ctx.cfg.startBlock(then);
  ctx.effect(right);
  ctx.cfg.startBlock(join);
  return true;
}

/**
 * Branches to `then`/`otherwise` on a C condition. Assignments inside it are hoisted before the
 * branch; when they sit in an operand that is evaluated only sometimes (right of `&&`/`||`, a
 * ternary arm), the condition is split into branches so they happen only on that path.
 */
export function lowerCondition(ctx: BodyContext, node: Node, then: BlockId, otherwise: BlockId): void {
  const n = unparen(node, ctx.source.text);
  if (hasSideEffects(n, ctx.source.text)) {
    const op = n.type === 'unary_expression' || n.type === 'binary_expression' ? operatorOf(n) : '';
    if (n.type === 'unary_expression' && op === '!') {
      const operand = n.childForFieldName('argument');
      if (operand) return lowerCondition(ctx, operand, otherwise, then);
    }
    if (n.type === 'binary_expression' && (op === '&&' || op === '||')) {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left && right && hasSideEffects(right, ctx.source.text)) {
        const middle = ctx.cfg.newBlock();
        if (op === '&&') lowerCondition(ctx, left, middle, otherwise);
        else lowerCondition(ctx, left, then, middle);
        ctx.cfg.startBlock(middle);
        return lowerCondition(ctx, right, then, otherwise);
      }
    }
    if (n.type === 'conditional_expression') {
      const c = n.childForFieldName('condition');
      const a = n.childForFieldName('consequence');
      const b = n.childForFieldName('alternative');
      if (c && a && b && (hasSideEffects(a, ctx.source.text) || hasSideEffects(b, ctx.source.text))) {
        const first = ctx.cfg.newBlock();
        const second = ctx.cfg.newBlock();
        lowerCondition(ctx, c, first, second);
        ctx.cfg.startBlock(first);
        lowerCondition(ctx, a, then, otherwise);
        ctx.cfg.startBlock(second);
        return lowerCondition(ctx, b, then, otherwise);
      }
    }
    if (n.type === 'comma_expression') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left && right) {
        ctx.effect(left);
        return lowerCondition(ctx, right, then, otherwise);
      }
    }
  }
  const fx = noEffects();
  const expr = ctx.exprs.expr(n, fx);
  ctx.cfg.emitAll(fx.pre);
  const range = ctx.source.rangeOf(n);
  if (fx.post.length === 0) {
    ctx.cfg.terminate({ kind: 'branch', condition: expr, then, otherwise, range });
    return;
  }
  // `while (i-- > 0)`: the decrement happens on both edges
  const thenEdge = ctx.cfg.newBlock();
  const otherwiseEdge = ctx.cfg.newBlock();
  ctx.cfg.terminate({ kind: 'branch', condition: expr, then: thenEdge, otherwise: otherwiseEdge, range });
  for (const [edge, target] of [[thenEdge, then], [otherwiseEdge, otherwise]] as const) {
    ctx.cfg.startBlock(edge);
    ctx.cfg.emitAll(fx.post);
    ctx.cfg.jump(target);
  }
}
