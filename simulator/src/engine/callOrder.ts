// The order in which a set of functions is analysed: callees before callers, so that every
// call finds its callee's summary. Strongly connected components (recursion) are analysed
// together, their calls to each other left unknown. Iterative Tarjan, so deep call chains
// cannot overflow the stack.

import type { IrFunction } from '../ir';
import { calledNames } from '../irWalk';

export interface CallOrder<T = IrFunction> {
  /** Callees first. */
  readonly functions: readonly T[];
  /** Names called by another function of the set (not by itself only). */
  readonly calledByOthers: ReadonlySet<string>;
}

export function callOrder(functions: readonly IrFunction[]): CallOrder;
export function callOrder<T extends { readonly name: string }>(functions: readonly T[], callsOf: (fn: T) => Iterable<string>): CallOrder<T>;
export function callOrder<T extends { readonly name: string }>(functions: readonly T[], callsOf: (fn: T) => Iterable<string> = (fn) => calledNames(fn as unknown as IrFunction)): CallOrder<T> {
  const byName = new Map(functions.map((fn) => [fn.name, fn]));
  const edges = new Map<string, string[]>();
  const calledByOthers = new Set<string>();
  for (const fn of functions) {
    const callees = [...callsOf(fn)].filter((name) => byName.has(name));
    edges.set(fn.name, callees);
    for (const callee of callees) if (callee !== fn.name) calledByOthers.add(callee);
  }
  const order: T[] = [];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  let counter = 0;
  for (const start of byName.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ name: string; next: number }> = [{ name: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const callees = edges.get(frame.name)!;
      if (frame.next < callees.length) {
        const callee = callees[frame.next++]!;
        if (!index.has(callee)) {
          index.set(callee, counter);
          low.set(callee, counter++);
          stack.push(callee);
          onStack.add(callee);
          work.push({ name: callee, next: 0 });
        } else if (onStack.has(callee)) {
          low.set(frame.name, Math.min(low.get(frame.name)!, index.get(callee)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.name, Math.min(low.get(parent.name)!, low.get(frame.name)!));
      if (low.get(frame.name) === index.get(frame.name)) {
        for (;;) {
          const member = stack.pop()!;
          onStack.delete(member);
          order.push(byName.get(member)!);
          if (member === frame.name) break;
        }
      }
    }
  }
  return { functions: order, calledByOthers };
}
