// The natural loops of a function's CFG, found from its back edges (an edge to a block that
// dominates its source). That covers every loop the lowering writes (for, while, do-while,
// iterator macros) and the ones kernel code writes with goto (`retry:`), so the engine can
// bound each of them by counting arrivals at its header.

import { successors, type BlockId, type IrFunction } from '../ir';

/** Each loop header and the blocks of its loop (header included). */
export type LoopBodies = ReadonlyMap<BlockId, ReadonlySet<BlockId>>;

const cache = new WeakMap<IrFunction, LoopBodies>();
const orders = new WeakMap<IrFunction, ReadonlyMap<BlockId, number>>();

/** Each block's place in reverse postorder: a block comes before every block it reaches, back edges aside. */
export function blockOrder(fn: IrFunction): ReadonlyMap<BlockId, number> {
  let order = orders.get(fn);
  if (!order) {
    const next = new Map<BlockId, BlockId[]>(fn.blocks.map((b) => [b.id, successors(b.terminator)]));
    order = new Map(reversePostorder(fn.entry, next).map((block, i) => [block, i]));
    orders.set(fn, order);
  }
  return order;
}

export function loopBodies(fn: IrFunction): LoopBodies {
  let bodies = cache.get(fn);
  if (!bodies) {
    bodies = findLoops(fn);
    cache.set(fn, bodies);
  }
  return bodies;
}

function findLoops(fn: IrFunction): LoopBodies {
  const next = new Map<BlockId, BlockId[]>(fn.blocks.map((b) => [b.id, successors(b.terminator)]));
  const order = reversePostorder(fn.entry, next);
  const dominator = immediateDominators(order, next);
  const predecessors = new Map<BlockId, BlockId[]>();
  for (const from of order) for (const to of next.get(from) ?? []) if (dominator.has(to)) predecessors.set(to, [...(predecessors.get(to) ?? []), from]);

  const bodies = new Map<BlockId, Set<BlockId>>();
  for (const from of order) {
    for (const header of next.get(from) ?? []) {
      if (!dominates(dominator, header, from)) continue;
      const body = bodies.get(header) ?? new Set([header]);
      bodies.set(header, body);
      const stack = [from];
      while (stack.length > 0) {
        const block = stack.pop()!;
        if (body.has(block)) continue;
        body.add(block);
        stack.push(...(predecessors.get(block) ?? []));
      }
    }
  }
  return bodies;
}

function reversePostorder(entry: BlockId, next: ReadonlyMap<BlockId, readonly BlockId[]>): BlockId[] {
  const seen = new Set<BlockId>([entry]);
  const postorder: BlockId[] = [];
  const stack: Array<{ block: BlockId; index: number }> = [{ block: entry, index: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const targets = next.get(top.block) ?? [];
    if (top.index < targets.length) {
      const target = targets[top.index++]!;
      if (!seen.has(target) && next.has(target)) {
        seen.add(target);
        stack.push({ block: target, index: 0 });
      }
    } else {
      postorder.push(top.block);
      stack.pop();
    }
  }
  return postorder.reverse();
}

/** Cooper, Harvey and Kennedy's iterative algorithm over reverse postorder. */
function immediateDominators(order: readonly BlockId[], next: ReadonlyMap<BlockId, readonly BlockId[]>): Map<BlockId, BlockId> {
  const position = new Map(order.map((block, i) => [block, i]));
  const predecessors = new Map<BlockId, BlockId[]>();
  for (const from of order) for (const to of next.get(from) ?? []) if (position.has(to)) predecessors.set(to, [...(predecessors.get(to) ?? []), from]);
  const entry = order[0]!;
  const dominator = new Map<BlockId, BlockId>([[entry, entry]]);
  const intersect = (a: BlockId, b: BlockId): BlockId => {
    while (a !== b) {
      while (position.get(a)! > position.get(b)!) a = dominator.get(a)!;
      while (position.get(b)! > position.get(a)!) b = dominator.get(b)!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const block of order.slice(1)) {
      const processed = (predecessors.get(block) ?? []).filter((p) => dominator.has(p));
      if (processed.length === 0) continue;
      const idom = processed.slice(1).reduce(intersect, processed[0]!);
      if (dominator.get(block) !== idom) {
        dominator.set(block, idom);
        changed = true;
      }
    }
  }
  return dominator;
}

function dominates(dominator: ReadonlyMap<BlockId, BlockId>, a: BlockId, b: BlockId): boolean {
  if (!dominator.has(b)) return false;
  for (let block = b; ; block = dominator.get(block)!) {
    if (block === a) return true;
    if (dominator.get(block) === block) return false;
  }
}
