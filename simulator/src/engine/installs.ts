// Reading and writing page-table slots: each install is checked against the hazard rules and
// noted as a TLB downgrade where it takes permissions away.

import type { Bool } from '../sym';
import { SOFTLEAF_FORMS, type Form, type Level } from '../model/forms';
import type { EntryValue } from '../model/value';
import type { InstallKind } from '../helpers/types';
import type { RuleHit } from '../hazards/check';
import { RULES } from '../hazards/catalogue';
import type { SourceRange } from '../ir';
import { PathState, type SlotState } from './state';
import type { Value } from './values';
import type { Executor } from './execute';

export interface InstallOptions {
  /** ptep_set_access_flags: the entry that may only add permissions. */
  readonly accessFlagsEntry?: EntryValue;
  /** The entry the slot held before, when the API says so (commit's old_pte). */
  readonly previous?: EntryValue;
  /** Where the install's mm is the kernel's own (set_pte_at(&init_mm, …)). */
  readonly kernel?: Bool;
}

export function readSlot(ex: Executor, state: PathState, slot: number, range: SourceRange): Value {
  const current = state.slots[slot]!;
  if (current.observed !== ex.alg.TRUE) state.slots = state.slots.map((s, i) => (i === slot ? { ...s, observed: ex.alg.TRUE } : s));
  state.events.push({ kind: 'read', range, detail: current.name, after: current.value, level: current.level });
  ex.touchesEntries = true;
  return { kind: 'entry', value: current.value };
}

/** Writes a slot and checks the install rules (state rules on the new value, transition rules against the live old one). */
export function install(ex: Executor, state: PathState, slot: number, next: EntryValue, kind: InstallKind, range: SourceRange, detail: string, given: InstallOptions = {}): void {
  const current = state.slots[slot]!;
  // a commit that no start cleared the slot for is a plain store over the live entry it holds
  // (start and commit "must be exactly paired"): what the commit is told it replaces is not what
  // it replaces. Judged where the path itself read the slot and did not clear it: of a slot the
  // function was given, or one it lost track of (`ptep += idx`), the start may be the caller's.
  const unpaired = kind === 'commit' && current.live === current.value && current.param === undefined && current.observed === ex.alg.TRUE;
  const how: InstallKind = unpaired ? 'store' : kind;
  const options: InstallOptions = unpaired ? { ...given, previous: undefined } : given;
  const cleared = how === 'clear';
  if (options.previous) assumeDomain(ex, state, 'commit', options.previous);
  const live = cleared ? current.value : (options.previous ?? current.live);
  const accessFlagsEntry = options.accessFlagsEntry;
  const updated: SlotState = { ...current, value: next, live: cleared ? current.value : next, observed: ex.alg.TRUE };
  state.slots = state.slots.map((s, i) => (i === slot ? updated : s));
  state.events.push({ kind: 'install', range, detail, before: current.value, after: next, level: current.level });
  ex.touchesEntries = true;
  if (how === 'read') return;
  // the kernel's own page tables follow kernel rules, not those of a user VMA
  const user = ex.alg.not(ex.alg.or(current.kernel ?? ex.alg.FALSE, options.kernel ?? ex.alg.FALSE));
  if (user === ex.alg.FALSE) return;
  // an entry built from a VMA's protection goes into that VMA's tables
  const context = { vma: ex.facts(ex.builtFor.get(next) ?? ex.targetVma), folio: ex.withDirtied(state) };
  const extra = current.param ? { installsInto: current.param } : {};
  const inUser = (hit: RuleHit): RuleHit => ({ ...hit, condition: ex.alg.and(hit.condition, user) });
  if (!cleared) for (const hit of ex.sim.hazards.checkState(ex.alg, current.level, next, context)) ex.record(state, inUser(hit), range, next, extra);
  // A blind store knows nothing of the old value unless this path (or, for a slot it was
  // given, the caller) looked at the slot; read-modify-write helpers see it themselves.
  const knowsOld = how === 'store' ? current.observed : ex.alg.TRUE;
  if (!cleared && knowsOld !== ex.alg.FALSE && !ex.unfollowed.has(next)) {
    const cleared = ex.clearedOnPurpose.get(next);
    // a change_protection() pass asked to write-protect for userfaultfd (MM_CP_UFFD_WP)
    const uffdWpRequested = ex.factParams.has('cp') ? ex.facts('cp').fact('MM_CP_UFFD_WP') : undefined;
    const facts = { afterClear: !options.previous && current.live !== current.value, ...(cleared ? { cleared } : {}), ...(uffdWpRequested ? { uffdWpRequested } : {}) };
    // the slot's own VMA, where known, is where its old entry lived and the new one replaces it
    const here = current.vma !== undefined ? { ...context, vma: ex.facts(current.vma) } : context;
    for (const hit of ex.sim.hazards.checkTransition(ex.alg, current.level, live, accessFlagsEntry ?? next, how, here, facts)) {
      ex.record(state, inUser({ ...hit, condition: ex.alg.and(hit.condition, knowsOld) }), range, next, extra);
    }
  }
  // a store through a pointer to a caller's local copy downgrades nothing a TLB holds; a store
  // into a slot cleared since its entry was live is no downgrade of that entry: the clear was
  // one already, and a TLB can only hold what the slot held
  const cachedOld = how === 'store' && !options.previous ? current.value : live;
  if (restoresCleared(state, current, next, how)) {
    state.downgradeUnflushed = current.clearDowngrade!.before;
    state.slots = state.slots.map((s, i) => (i === slot ? { ...s, clearDowngrade: undefined } : s));
    return;
  }
  const before = state.downgradeUnflushed;
  if (knowsOld !== ex.alg.FALSE) noteDowngrade(ex, state, current.level, cachedOld, next, ex.alg.andAll([knowsOld, user, current.inTable ?? ex.alg.TRUE]));
  const clearDowngrade = cleared && state.downgradeUnflushed !== before ? { before, after: state.downgradeUnflushed } : undefined;
  if (clearDowngrade || updated.clearDowngrade) state.slots = state.slots.map((s, i) => (i === slot ? { ...s, clearDowngrade } : s));
}

/** A plain store of exactly the entry an unflushed clear took out, with no downgrade made since (see SlotState.clearDowngrade). */
function restoresCleared(state: PathState, current: SlotState, next: EntryValue, how: InstallKind): boolean {
  const clear = current.clearDowngrade;
  if (how !== 'store' || !clear || state.downgradeUnflushed !== clear.after || current.live === current.value) return false;
  return next.bits.length === current.live.bits.length && next.bits.every((bit, i) => bit === current.live.bits[i]);
}

/**
 * Kernel code applies entry modifiers (pte_mkwrite, pte_mkyoung …) and protection
 * commits only to live entries, and the `_swp_` modifiers only to swap-like entries: an argument whose form the path does
 * not know is assumed to be of that kind. A path where it cannot be keeps its condition.
 * Where the helper is applied (`at`), the assumption is remembered: code that tests the entry
 * for another form afterwards did not know its form either (checkAssumedForm).
 */
export function assumeDomain(ex: Executor, state: PathState, callee: string, entry: EntryValue, at?: SourceRange): void {
  const forms = callee.includes('_swp_') ? SOFTLEAF_FORMS : LIVE_FORMS;
  const layout = ex.sim.set.layout;
  const inDomain = ex.alg.orAll(forms.map((form) => entry.bits[layout.formIndex(form)]!));
  if (ex.alg.entails(state.condition, inDomain) || !ex.alg.intersects(state.condition, inDomain)) return;
  if (at) state.domainAssumed = [...state.domainAssumed.slice(-(MAX_DOMAIN_ASSUMPTIONS - 1)), { before: state.condition, outside: ex.alg.not(inDomain), forms: formBits(ex, entry), callee, range: at }];
  state.assume(ex.alg, inDomain);
}

function formBits(ex: Executor, entry: EntryValue): Bool[] {
  const layout = ex.sim.set.layout;
  return [...LIVE_FORMS, 'none' as const, ...SOFTLEAF_FORMS].map((form) => entry.bits[layout.formIndex(form)] ?? ex.alg.FALSE);
}

/** How many helper applications a path remembers the assumed forms of (the latest). */
const MAX_DOMAIN_ASSUMPTIONS = 4;

/**
 * A form test (`is_swap_pmd(pmd)`, `!pte_present(pte)`) whose outcome only an earlier helper's
 * assumed forms decide: the code expects the entry may be of a form that helper is not for, and
 * it was applied before the test (a present-entry modifier on what may be a migration entry
 * changes bits its swap form keeps elsewhere). Reported where the helper was applied, once.
 */
export function checkAssumedForm(ex: Executor, state: PathState, tested: EntryValue, test: Bool, detail: string): void {
  const alg = ex.alg;
  const forms = formBits(ex, tested);
  // a test of the entry's form alone (pte_present, is_swap_pmd), not of its other bits
  const formVariables = new Set(forms.flatMap((bit) => alg.support(bit)));
  if (!alg.support(test).every((variable) => formVariables.has(variable))) return;
  for (const assumed of state.domainAssumed) {
    // the same entry, or one a helper made from it (modifiers keep the form)
    if (assumed.forms.some((bit, i) => bit !== forms[i])) continue;
    const revealed = [test, alg.not(test)].some((outcome) => !alg.intersects(state.condition, outcome) && alg.intersects(alg.and(assumed.before, assumed.outside), outcome));
    if (!revealed) continue;
    state.domainAssumed = state.domainAssumed.filter((a) => a !== assumed);
    const rule = RULES.find((r) => r.id === 'bit-lost-on-conversion')!;
    const message = `${assumed.callee}() is applied to an entry that ${detail} then tests for a form ${assumed.callee}() is not for: on such an entry it changes other bits than it means to (a swap or migration entry keeps soft-dirty and uffd-wp elsewhere)`;
    ex.record(state, { rule, condition: alg.TRUE }, assumed.range, undefined, { message });
  }
}

/** A TLB entry cached for `old` may allow more than `next`: it must be flushed before anyone relies on the change. */
function noteDowngrade(ex: Executor, state: PathState, level: Level, old: EntryValue, next: EntryValue, knowsOld: Bool): void {
  const name = `${level}_tlb_downgrade`;
  if (!ex.sim.has(name)) return;
  const needs = ex.sim.test(name, old, next);
  state.downgradeUnflushed = ex.alg.or(state.downgradeUnflushed, ex.alg.and(knowsOld, needs));
}

/** Entries that modifiers like pte_mkwrite apply to (present, NUMA-hinting, invalidated huge). */
export const LIVE_FORMS: readonly Form[] = ['present', 'protnone', 'invalid'];
