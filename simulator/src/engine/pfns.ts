// Page frame numbers read from entries, and what the kernel keeps of an entry whose frame it
// finds to be the shared zero page's: `pfn = pte_pfn(entry); if (is_zero_pfn(pfn))` tells the
// path what the entry is (hazards/invariants.ts, the invariants assumed `at: 'zero-pfn'`).

import type { Level } from '../model/forms';
import type { IrExpr } from '../ir';
import { printExpr } from '../irPrint';
import type { PathState } from './state';
import type { Value } from './values';
import type { Executor } from './execute';

/**
 * Functions that give the frame an entry maps (asm/pgtable.h), by the level they read. PTEs only:
 * with pmd_pfn() and is_huge_zero_pfn() too, the huge zero page's test in is_huge_zero_pmd()
 * changed what copy_huge_pmd()'s callers were told and mm/memory.c got a finding more.
 */
export const PFN_OF: Readonly<Record<string, Level>> = { pte_pfn: 'pte' };

/** Whether a frame is the zero page's (include/linux/pgtable.h is_zero_pfn). */
export const ZERO_PFN_TESTS: ReadonlySet<string> = new Set(['is_zero_pfn']);

/** The frame of the entry argument: an unknown number that remembers which entry it was read from. */
export function pfnOf(ex: Executor, state: PathState, expr: Extract<IrExpr, { kind: 'call' }>, level: Level): Value {
  const text = printExpr(expr);
  const arg = expr.args[0] ? ex.evaluate(state, expr.args[0]) : undefined;
  return arg?.kind === 'entry' && arg.value.level === level ? { kind: 'unknown', name: text, made: true, pfnOf: arg.value } : { kind: 'unknown', name: text, made: true };
}

/** `is_zero_pfn(pte_pfn(entry))`: an unknown, under which the entry has what the kernel keeps of zero-page entries. */
export function zeroPfnTest(ex: Executor, state: PathState, expr: Extract<IrExpr, { kind: 'call' }>): Value {
  const arg = expr.args[0] ? ex.evaluate(state, expr.args[0]) : undefined;
  const zero = ex.opaque(state, printExpr(expr), expr.range);
  const entry = arg?.kind === 'unknown' ? arg.pfnOf : undefined;
  if (entry) {
    const kept = ex.alg.implies(zero, ex.sim.hazards.zeroPfnInvariant(ex.alg, entry.level, entry, ex.entryContext()));
    if (ex.alg.intersects(state.condition, kept)) state.assumeInvariant(ex.alg, kept);
  }
  return { kind: 'bool', value: zero };
}
