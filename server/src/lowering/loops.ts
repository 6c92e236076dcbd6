// Loops: for, while, do-while (`do { } while (0)` as a plain block), iterator macros with an
// opaque condition (including the shapes tree-sitter misreads, whose bodies are parsed again,
// and `for_each_x(a) { … }` read as a nested function definition), and scoped_guard blocks.
// The block that tests a loop's condition before its body (while, for, iterator macros) is
// marked `loopHeader`; the engine finds every loop itself and bounds the rest at their back edges.

import type { Node } from 'web-tree-sitter';
import type { BlockId, IrExpr, IrStatement } from '../../../simulator/src/ir';
import type { BodyContext } from './bodyContext';
import { lowerCondition } from './conditions';
import { noEffects } from './expressions';
import type { IteratorMatch } from './iteratorMacros';
import { reparseStatements } from './reparse';
import { unparen } from './syntax';
import type { UnitSource } from './unitSource';

export function whileLoop(ctx: BodyContext, node: Node): void {
  const condition = node.childForFieldName('condition');
  const bodyNode = node.childForFieldName('body');
  if (condition && bodyNode && !ctx.source.text.startsWith('while', node.startIndex)) {
    // an iterator macro the parser read as `while` (kernelAnnotations.ts): an opaque loop, as the source says
    const header = ctx.source.slice(node.startIndex, condition.endIndex);
    ctx.flushStates(bodyNode.startIndex);
    opaqueLoop(ctx, { kind: 'opaque', text: header, range: ctx.source.rangeOfOffsets(node.startIndex, condition.endIndex) }, () => ctx.statement(bodyNode));
    return;
  }
  const header = ctx.cfg.newBlock(true);
  const body = ctx.cfg.newBlock();
  const exit = ctx.cfg.newBlock();
  ctx.cfg.startBlock(header);
  if (condition) lowerCondition(ctx, condition, body, exit);
  else ctx.cfg.jump(body);
  loopBody(ctx, bodyNode, body, exit, header);
  ctx.cfg.jump(header);
  ctx.cfg.startBlock(exit);
}

export function doLoop(ctx: BodyContext, node: Node): void {
  const condition = node.childForFieldName('condition');
  const bodyNode = node.childForFieldName('body');
  const exit = ctx.cfg.newBlock();
  if (condition && isFalse(unparen(condition, ctx.source.text), ctx.source)) {
    // do { … } while (0): a block that `break` and `continue` leave
    const body = ctx.cfg.newBlock();
    ctx.cfg.startBlock(body);
    loopBody(ctx, bodyNode, body, exit, exit);
    ctx.cfg.startBlock(exit);
    return;
  }
  // not a loopHeader: the body runs before the test, so the engine bounds it at the back edge
  const body = ctx.cfg.newBlock();
  const test = ctx.cfg.newBlock();
  ctx.cfg.startBlock(body);
  loopBody(ctx, bodyNode, body, exit, test);
  ctx.cfg.startBlock(test);
  if (condition) lowerCondition(ctx, condition, body, exit);
  else ctx.cfg.jump(body);
  ctx.cfg.startBlock(exit);
}

export function forLoop(ctx: BodyContext, node: Node): void {
  const initializer = node.childForFieldName('initializer');
  const condition = node.childForFieldName('condition');
  const update = node.childForFieldName('update');
  const bodyNode = node.childForFieldName('body');
  if (initializer) {
    if (initializer.type === 'declaration') ctx.statement(initializer);
    else ctx.effect(initializer);
  }
  const header = ctx.cfg.newBlock(true);
  const body = ctx.cfg.newBlock();
  const exit = ctx.cfg.newBlock();
  const step = update ? ctx.cfg.newBlock() : header;
  ctx.cfg.startBlock(header);
  if (condition) lowerCondition(ctx, condition, body, exit);
  else ctx.cfg.jump(body);
  loopBody(ctx, bodyNode, body, exit, step);
  if (update) {
    ctx.cfg.startBlock(step);
    ctx.effect(update);
  }
  ctx.cfg.jump(header);
  ctx.cfg.startBlock(exit);
}

/** Lowers a loop body starting in `body`, with `break` → `exit` and `continue` → `next`. */
export function loopBody(ctx: BodyContext, bodyNode: Node | null | undefined, body: BlockId, exit: BlockId, next: BlockId): void {
  ctx.cfg.startBlock(body);
  ctx.pushScope({ kind: 'loop', breakTarget: exit, continueTarget: next });
  if (bodyNode) ctx.statement(bodyNode);
  ctx.popScope();
  ctx.cfg.jump(next);
}

/** Lowers an iterator macro found at `nodes[index]`; returns how many of `nodes` it used. */
export function iteratorLoop(ctx: BodyContext, match: IteratorMatch, nodes: readonly Node[], index: number): number {
  if (match.shape === 'call-then-statement') {
    ctx.flushStates(match.body.startIndex);
    const range = ctx.source.rangeOf(match.call);
    if (match.once) {
      // scoped_guard(lock, &l) { … }: the body runs once, under the guard
      const fx = noEffects();
      const guard = ctx.exprs.expr(match.call, fx);
      ctx.cfg.emitAll(fx.pre);
      ctx.cfg.emit({ kind: 'eval', expr: guard, range });
      const exit = ctx.cfg.newBlock();
      loopBody(ctx, match.body, ctx.cfg.newBlock(), exit, exit);
      ctx.cfg.startBlock(exit);
    } else {
      opaqueLoop(ctx, { kind: 'opaque', text: ctx.source.textOf(match.call), range }, () => ctx.statement(match.body));
    }
    return 2;
  }
  // misparsed: the body is read again from the text, up to the end of this statement list;
  // the statements the misreading swallowed after the body are lowered after the loop
  const header: IrExpr = { kind: 'opaque', text: ctx.source.slice(match.headerStart, match.headerEnd), range: ctx.source.rangeOfOffsets(match.headerStart, match.headerEnd) };
  const limit = Math.max(nodes[nodes.length - 1]!.endIndex, match.bodyEnd ?? 0);
  const reparsed = reparseStatements(nodes[index]!.tree.language, ctx.source, match.bodyStart, limit);
  const body = reparsed?.statements[0];
  if (!reparsed || !body) {
    reparsed?.release();
    const end = match.bodyEnd ?? nodes[index]!.endIndex;
    const used = consumedUpTo(nodes, index, end);
    opaqueLoop(ctx, header, () => ctx.cfg.emit(opaqueStatementAt(ctx, match.bodyStart, end, 'loop body of an iterator macro not understood')));
    if (used.coverEnd > end) ctx.cfg.emit(opaqueStatementAt(ctx, end, used.coverEnd, 'syntax error: the parser could not read this'));
    return used.count;
  }
  try {
    // take reparsed statements until they line up with a statement boundary of the original list
    let taken = 1;
    let used = consumedUpTo(nodes, index, reparsed.toUnitOffset(body.endIndex));
    while (taken < reparsed.statements.length && reparsed.toUnitOffset(reparsed.statements[taken]!.startIndex) < used.coverEnd) {
      used = consumedUpTo(nodes, index, reparsed.toUnitOffset(reparsed.statements[taken]!.endIndex));
      taken++;
    }
    const rest = reparsed.statements.slice(1, taken);
    ctx.withSource(reparsed.source, () => {
      opaqueLoop(ctx, header, () => ctx.statement(body));
      ctx.sequence(rest);
    });
    return used.count;
  } finally {
    reparsed.release();
  }
}

/** How many of `nodes` from `index` start before `end`, and where the last of them ends. */
function consumedUpTo(nodes: readonly Node[], index: number, end: number): { count: number; coverEnd: number } {
  let count = 1;
  let coverEnd = Math.max(end, nodes[index]!.endIndex);
  while (index + count < nodes.length && nodes[index + count]!.startIndex < coverEnd) {
    coverEnd = Math.max(coverEnd, nodes[index + count]!.endIndex);
    count++;
  }
  return { count, coverEnd };
}

/** A loop with an opaque condition: header → body → header, exit on the condition being false. */
export function opaqueLoop(ctx: BodyContext, condition: IrExpr, body: () => void): void {
  const header = ctx.cfg.newBlock(true);
  const first = ctx.cfg.newBlock();
  const exit = ctx.cfg.newBlock();
  ctx.cfg.startBlock(header);
  ctx.cfg.terminate({ kind: 'branch', condition, then: first, otherwise: exit, range: condition.range });
  ctx.cfg.startBlock(first);
  ctx.pushScope({ kind: 'loop', breakTarget: exit, continueTarget: header });
  body();
  ctx.popScope();
  ctx.cfg.jump(header);
  ctx.cfg.startBlock(exit);
}

/** `for_each_online_node(nid) { … }` read as a function definition nested in this one: an iterator loop. */
export function nestedDefinition(ctx: BodyContext, node: Node): void {
  const body = node.childForFieldName('body');
  if (!body || body.type !== 'compound_statement') {
    return ctx.opaqueStatement(node, 'a function definition inside a function (the parser recovered from an error here)');
  }
  const start = node.startIndex;
  const end = body.startIndex;
  const headerText = ctx.source.slice(start, end).trimEnd();
  opaqueLoop(ctx, { kind: 'opaque', text: headerText, range: ctx.source.rangeOfOffsets(start, start + headerText.length) }, () => ctx.statement(body));
}

function opaqueStatementAt(ctx: BodyContext, start: number, end: number, reason: string): IrStatement {
  return { kind: 'opaque', text: ctx.source.slice(start, end), reason, range: ctx.source.rangeOfOffsets(start, end) };
}

function isFalse(node: Node, source: UnitSource): boolean {
  const text = source.textOf(node).trim();
  return text === '0' || text === 'false';
}

