// Calls that are events, not helpers: assertions as facts, locks and unlocks, flushes and
// flush-pending marks, table walkers that find slots, folio events (events.ts holds the table).

import type { Bool } from '../sym';
import type { FactSource } from '../model/context';
import type { Form } from '../model/forms';
import type { EntryValue } from '../model/value';
import type { IrExpr, SourceRange } from '../ir';
import { printExpr } from '../irPrint';
import { DEBUG_ONLY_ASSERTIONS, PAGE_TABLE_LOCK_FIELDS, type EventFunction } from './events';
import { PathState } from './state';
import { UNKNOWN, type Value } from './values';
import { flagIn } from './flagSets';
import type { Executor } from './execute';
import { LIVE_FORMS } from './installs';

/**
 * `VM_WARN_ON(cond)`, `BUG_ON(cond)` …: the kernel asserts that `cond` does not hold, so the
 * path that continues past it does not have it. As a value (`if (WARN_ON(x))`) it is false.
 */
export function assertion(ex: Executor, state: PathState, expr: Extract<IrExpr, { kind: 'call' }>, conditionIndex: number): Value {
  const argument = expr.args[conditionIndex];
  if (!argument) return { kind: 'bool', value: ex.alg.FALSE };
  // a debugging assertion is judged on a copy: what its condition calls changes nothing on the path
  const judged = DEBUG_ONLY_ASSERTIONS.has(expr.callee) ? state.clone() : state;
  const asserted = ex.truth(judged, ex.evaluate(judged, argument), printExpr(argument), argument.range);
  for (const arg of expr.args) if (arg !== argument) ex.evaluate(judged, arg);
  if (judged !== state) state.takeKnowledge(judged);
  state.assume(ex.alg, ex.alg.not(asserted));
  return { kind: 'bool', value: ex.alg.FALSE };
}

/** Events that only set one of the path's flags. */
const STATE_FLAG_EVENTS: Partial<Record<EventFunction['event'], { readonly field: 'flushPending' | 'folioDirtied' | 'mmapWriteLocked'; readonly holds: boolean }>> = {
  'flush-pending-begin': { field: 'flushPending', holds: true },
  'folio-dirty': { field: 'folioDirtied', holds: true },
  'mmap-write-lock': { field: 'mmapWriteLocked', holds: true },
  'mmap-write-unlock': { field: 'mmapWriteLocked', holds: false },
};

export function eventCall(ex: Executor, state: PathState, expr: Extract<IrExpr, { kind: 'call' }>, event: EventFunction): Value {
  const args = expr.args.map((a) => ex.evaluate(state, a));
  const detail = printExpr(expr);
  if (event.event !== 'map' && event.event !== 'folio') state.events.push({ kind: event.event, range: expr.range, detail });
  if (event.lockOut !== undefined) {
    const out = expr.args[event.lockOut];
    if (out?.kind === 'address-of') ex.assign(state, out.operand, { kind: 'object', object: 'lock', name: printExpr(out.operand), pageTable: ex.alg.TRUE }, expr.range);
  }
  const flag = STATE_FLAG_EVENTS[event.event];
  if (flag) state[flag.field] = flag.holds ? ex.alg.TRUE : ex.alg.FALSE;
  switch (event.event) {
    case 'flush':
      state.flushed(ex.alg);
      break;
    case 'gather':
      // owed to the mmu_gather now: flushed before it finishes, and pending until then
      state.flushed(ex.alg);
      state.flushPending = ex.alg.TRUE;
      break;
    case 'flush-pending-end':
      if (expr.callee === 'tlb_finish_mmu') state.flushed(ex.alg);
      state.flushPending = ex.alg.FALSE;
      break;
    case 'unlock': {
      const lock = event.lockArg !== undefined ? args[event.lockArg] : undefined;
      const pageTable = event.lockArg === undefined ? ex.alg.TRUE : pageTableLock(ex, lock, expr.args[event.lockArg]);
      if (pageTable !== ex.alg.FALSE) {
        checkTlb(ex, state, expr.range, 'the page-table lock is dropped', 'page-table-unlock', pageTable);
        state.folioLockDowngrade = ex.alg.or(state.folioLockDowngrade, ex.alg.andAll([state.downgradeUnflushed, pageTable, pageCacheFolioLocked(ex, state)]));
        // judged here, where the lock it was made under is dropped: a later unlock (of another
        // table's lock, or in a caller) is not where it goes stale; one made under the lock
        // held around this one is judged where that one is dropped
        state.downgradeUnflushed = ex.alg.or(ex.alg.and(state.downgradeUnflushed, ex.alg.not(pageTable)), ex.alg.and(state.outerDowngrade, pageTable));
        state.outerDowngrade = ex.alg.and(state.outerDowngrade, ex.alg.not(pageTable));
      }
      break;
    }
    case 'copy':
      checkTlb(ex, state, expr.range, 'the page is copied', 'page-copy');
      break;
    case 'folio-lock': {
      const locked = event.tries ? ex.opaque(state, detail) : ex.alg.TRUE;
      state.folioLocked = ex.alg.or(state.folioLocked, locked);
      if (event.pageCache) assumeNotAnon(ex, state);
      return event.tries ? { kind: 'bool', value: locked } : { kind: 'object', object: 'folio', name: 'folio' };
    }
    case 'folio-unlock':
      checkTlb(ex, state, expr.range, 'the folio is unlocked', 'folio-unlock');
      state.folioLocked = ex.alg.FALSE;
      state.folioLockDowngrade = ex.alg.FALSE;
      break;
    case 'folio-exclusive': {
      // exclusive unless the flags say otherwise: the flag, or every call of the old API
      const flags = event.flagsArg !== undefined ? args[event.flagsArg] : undefined;
      const exclusive = event.flagsArg === undefined ? ex.alg.TRUE : flags?.kind === 'flag-set' ? flagIn(ex.alg, flags, 'RMAP_EXCLUSIVE') : flags?.kind === 'bool' ? flags.value : ex.alg.FALSE;
      state.folioExclusive = ex.alg.or(state.folioExclusive, exclusive);
      break;
    }
    case 'folio-file':
      assumeNotAnon(ex, state);
      break;
    case 'folio': {
      const framed = event.liveArg !== undefined ? args[event.liveArg] : undefined;
      if (framed?.kind === 'entry') ex.assumeDomain(state, expr.callee, framed.value);
      const entry = event.specialArg !== undefined ? args[event.specialArg] : undefined;
      if (entry?.kind !== 'entry' || !ex.sim.has('pte_special')) return { kind: 'object', object: 'folio', name: 'folio' };
      // no page: the entry is special (a page may still be found for one: vm_ops->find_normal_page)
      const nonNull = ex.alg.or(ex.alg.not(ex.sim.test('pte_special', entry.value)), ex.opaque(state, `${detail} != NULL`));
      const kept = ex.sim.hazards.lookupInvariant(ex.alg, 'pte', entry.value, ex.entryContext());
      if (ex.alg.intersects(state.condition, kept)) state.assumeInvariant(ex.alg, kept);
      return { kind: 'object', object: 'folio', name: 'folio', nonNull };
    }
    case 'lock':
    case 'map': {
      if (event.event === 'lock' && !event.findsOnly) takeLock(ex, state, event.lockArg === undefined ? ex.alg.TRUE : pageTableLock(ex, args[event.lockArg], expr.args[event.lockArg]));
      if (event.returnsLock) {
        const slot = args.find((a): a is Extract<Value, { kind: 'slot' }> => a.kind === 'slot');
        const nonNull = event.returnsLock === 'huge' && slot ? hugeLeaf(ex, state.slots[slot.slot]!.value) : undefined;
        return { kind: 'object', object: 'lock', name: detail, pageTable: ex.alg.TRUE, ...(nonNull !== undefined ? { nonNull } : {}) };
      }
      if (!event.returnsSlot) return UNKNOWN(detail);
      if (event.hugetlb) {
        // only a hugetlb VMA has hugetlb leaves to walk
        const vma = args.find((a) => a.kind === 'object' && a.object === 'vma');
        state.assume(ex.alg, ex.facts(vma?.kind === 'object' ? vma.name : ex.targetVma).fact('VM_HUGETLB'));
      }
      const existing = args.find((a) => a.kind === 'slot' && a.level === event.returnsSlot);
      if (existing) return existing;
      return slotAt(ex, state, event, expr, args);
    }
  }
  return UNKNOWN(detail);
}

/** The slot a table walk finds: the one found before at the same table and address, or a new one. */
function slotAt(ex: Executor, state: PathState, event: EventFunction, expr: Extract<IrExpr, { kind: 'call' }>, args: readonly Value[]): Value {
  const level = event.returnsSlot!;
  const key = event.address ? `${level}|${event.address.map((i) => (expr.args[i] ? printExpr(expr.args[i]!) : '?')).join('|')}` : undefined;
  const known = key !== undefined ? state.slotsByAddress.get(key) : undefined;
  if (known !== undefined) return { kind: 'slot', slot: known, level };
  // a walker given a VMA finds a slot of that VMA: what it holds keeps that VMA's invariants and
  // is meant for that VMA, wherever the code puts it (fork copies it into a copy of the VMA)
  const vmaArg = args.find((a) => a.kind === 'object' && a.object === 'vma');
  const vma = vmaArg?.kind === 'object' ? vmaArg.name : undefined;
  const name = `*${printExpr(expr)}`;
  const initial = vma !== undefined ? ex.freshEntry(state, name, level, 'entry', { vma: ex.facts(vma), folio: ex.facts('folio') }) : undefined;
  if (initial) ex.builtFor.set(initial, vma!);
  const slot = ex.newSlot(state, name, level, initial);
  if (vma !== undefined) state.slots = state.slots.map((s, i) => (i === slot.slot ? { ...s, vma } : s));
  if (key !== undefined) state.slotsByAddress.set(key, slot.slot);
  const kernel = event.kernel ? ex.alg.TRUE : kernelMm(ex, args.find((a) => a.kind === 'object' && a.object === 'mm'));
  if (kernel !== ex.alg.FALSE) state.slots = state.slots.map((s, i) => (i === slot.slot ? { ...s, kernel } : s));
  return slot;
}

/** Whether an mm is the kernel's own (init_mm): its page tables map the kernel, not a user VMA. */
export function kernelMm(ex: Executor, mm: Value | undefined): Bool {
  if (mm?.kind !== 'object' || mm.object !== 'mm') return ex.alg.FALSE;
  return mm.name === 'init_mm' ? ex.alg.TRUE : ex.facts(mm.name).fact('init_mm');
}

/** A fact of the folio, not of this step: it was never anonymous on this path. */
function assumeNotAnon(ex: Executor, state: PathState): void {
  const notAnon = ex.alg.not(ex.facts('folio').fact('anon'));
  if (ex.alg.intersects(state.condition, notAnon)) state.assume(ex.alg, notAnon);
}

/** The path holds the lock of the folio the engine knows, and it is a page-cache (not anonymous) folio. */
function pageCacheFolioLocked(ex: Executor, state: PathState): Bool {
  return ex.alg.and(state.folioLocked, ex.alg.not(ex.facts('folio').fact('anon')));
}

/** A page-table lock (where `pageTable`) taken inside another: a downgrade made so far belongs to the outer one. */
function takeLock(ex: Executor, state: PathState, pageTable: Bool): void {
  state.outerDowngrade = ex.alg.or(state.outerDowngrade, ex.alg.and(state.downgradeUnflushed, pageTable));
  state.downgradeUnflushed = ex.alg.and(state.downgradeUnflushed, ex.alg.not(pageTable));
}

export function pageTableLock(ex: Executor, lock: Value | undefined, expr: IrExpr | undefined): Bool {
  if (lock?.kind === 'object' && lock.object === 'lock') return lock.pageTable ?? ex.alg.FALSE;
  if (expr && PAGE_TABLE_LOCK_FIELDS.has(fieldName(expr) ?? '')) return ex.alg.TRUE;
  return ex.alg.FALSE;
}

/** A PMD or PUD that pmd_trans_huge_lock() locks: a huge leaf, or a migration or device entry in its place. */
function hugeLeaf(ex: Executor, value: EntryValue): Bool {
  const layout = ex.sim.set.layout;
  const form = (f: Form) => value.bits[layout.formIndex(f)]!;
  const level = value.level;
  const leaf = ex.sim.has(`${level}_trans_huge`) ? ex.sim.test(`${level}_trans_huge`, value) : ex.sim.has(`${level}_leaf`) ? ex.sim.test(`${level}_leaf`, value) : ex.alg.TRUE;
  return ex.alg.orAll([ex.alg.and(ex.alg.orAll(LIVE_FORMS.map(form)), leaf), ...(['mig_r', 'mig_re', 'mig_w', 'dev_r', 'dev_w'] as const).map(form)]);
}

/**
 * Where a stale TLB entry would be relied on: the unlock of a page-table lock (where `pageTable`
 * holds; the downgrades made under it), a page copy (a downgrade made under any lock held, or
 * covered by the folio lock) or the folio's unlock (the downgrades its lock covered).
 */
type TlbCheckpoint = 'page-table-unlock' | 'page-copy' | 'folio-unlock';

/** At `at`: is a downgrade still unflushed? */
function checkTlb(ex: Executor, state: PathState, range: SourceRange, what: string, at: TlbCheckpoint, pageTable: Bool = ex.alg.TRUE): void {
  const mm = ex.facts('mm');
  const downgrade = {
    'page-table-unlock': state.downgradeUnflushed,
    'page-copy': ex.alg.orAll([state.downgradeUnflushed, state.outerDowngrade, state.folioLockDowngrade]),
    'folio-unlock': state.folioLockDowngrade,
  }[at];
  // a page copy or the folio's unlock ends what the folio lock protects
  const folioLocked = at === 'page-table-unlock' ? pageCacheFolioLocked(ex, state) : ex.alg.FALSE;
  const facts: FactSource = {
    fact: (name) =>
      name === 'downgrade_unflushed'
        ? downgrade
        : name === 'flush_pending'
          ? ex.alg.or(state.flushPending, mm.fact('tlb_flush_pending'))
          : name === 'page_cache_folio_locked'
            ? folioLocked
            : ex.mmFact(state, mm, name),
  };
  for (const hit of ex.sim.hazards.checkTlb(ex.alg, 'pte', facts)) {
    ex.record(state, { ...hit, condition: ex.alg.and(hit.condition, pageTable) }, range, undefined, { message: `${hit.rule.message} (${what})` });
  }
}

/** `a->b->c` → `c` */
function fieldName(expr: IrExpr): string | undefined {
  const inner = expr.kind === 'address-of' ? expr.operand : expr;
  return inner.kind === 'field' ? inner.field : undefined;
}
