// Calls of the helpers in the profile's tables: their arguments as the helpers' parameters,
// predicates, modifiers and constructors applied to entries, in-place helpers applied to slots.

import { SOFTLEAF_FORMS, type Level } from '../model/forms';
import type { EntryValue } from '../model/value';
import type { ArgValue, CompiledHelper } from '../helpers/compile';
import type { Param } from '../helpers/types';
import type { EntryContext } from '../hazards/check';
import type { IrExpr } from '../ir';
import { printExpr } from '../irPrint';
import { CLEARS_ON_PURPOSE, INSTALL_FACT_OF_CLEARED, SLOT_MEMBERS } from './events';
import { faultComparison } from './structMembers';
import { PathState } from './state';
import { checkAssumedForm } from './installs';
import { UNKNOWN, type Value } from './values';
import { flagSetFacts } from './flagSets';
import type { Executor } from './execute';

export const UNKNOWN_PROT_ASSUMPTION = 'a pgprot_t the engine cannot follow is the VMA\'s vm_page_prot, as mm code maps user pages with';

function argument(ex: Executor, state: PathState, param: Param, expr: IrExpr | undefined, level: Level): ArgValue {
  if (!expr) return missingArgument(ex, state, param, level);
  const value = ex.evaluate(state, expr);
  const text = printExpr(expr);
  switch (param.kind) {
    case 'entry':
    case 'swp':
    case 'prot': {
      if (value.kind === 'entry') return value.value;
      const fresh = freshOpaqueValue(ex, state, text, param.kind, level);
      if (value.kind === 'unknown' && value.made && param.kind !== 'prot') ex.unfollowed.add(fresh);
      return fresh;
    }
    case 'vma':
    case 'vmflags':
      return ex.facts(value.kind === 'object' ? value.name : value.kind === 'flags' ? value.owner : ex.targetVma);
    case 'mm':
      return ex.facts('mm');
    case 'folio':
      return ex.withDirtied(state);
    case 'flags':
      if (value.kind === 'flag-set') return flagSetFacts(ex.alg, value);
      if (value.kind === 'flags') return ex.facts(value.owner);
      if (value.kind === 'bool' && value.value === ex.alg.FALSE) return ex.sim.constantFacts([]);
      return ex.facts(text);
    case 'bool':
      return ex.truth(state, value, text);
    case 'slot':
    case 'opaque':
      return undefined;
  }
}

/**
 * An argument the call does not pass (implicit context, or code written for
 * another kernel's signature, e.g. 6.1's one-argument pte_mkwrite()): the
 * function's own context objects, or an unknown.
 */
function missingArgument(ex: Executor, state: PathState, param: Param, level: Level): ArgValue {
  switch (param.kind) {
    case 'folio':
      return ex.withDirtied(state);
    case 'vma':
    case 'vmflags':
      return ex.facts(ex.targetVma);
    case 'mm':
      return ex.facts('mm');
    case 'flags':
      return ex.facts(param.name);
    case 'bool':
      return ex.opaque(state, `${param.name}?`);
    case 'entry':
    case 'swp':
    case 'prot':
      return freshOpaqueValue(ex, state, param.name, param.kind, level);
    default:
      return undefined;
  }
}

/** An entry-typed value the engine cannot evaluate: a fresh value named by its text. */
export function freshOpaqueValue(ex: Executor, state: PathState, text: string, kind: 'entry' | 'swp' | 'prot', level: Level, context?: EntryContext): EntryValue {
  const name = `${text}#${ex.nextFresh()}`;
  if (kind === 'entry') return ex.freshEntry(state, name, level, 'entry', context);
  if (kind === 'prot') {
    // a protection mm code maps user pages with comes from the VMA (DESIGN "every pgprot_t is constrained by what can produce it")
    ex.assumed.add(UNKNOWN_PROT_ASSUMPTION);
    return ex.sim.apply('vm_page_prot', ex.facts(ex.targetVma));
  }
  return ex.sim.entry(name, level, { kind: 'swp', forms: SOFTLEAF_FORMS });
}

export function helperCall(ex: Executor, state: PathState, expr: Extract<IrExpr, { kind: 'call' }>, helper: CompiledHelper): Value {
  const visible = helper.params.filter((p) => !p.implicit);
  if (expr.args.length !== visible.length) {
    ex.notModelled.add(`${expr.callee} with ${expr.args.length} arguments (the table has ${visible.length} on ${ex.sim.profile.name})`);
  }
  const args: Record<string, ArgValue> = {};
  let slotValue: Value | undefined;
  let firstEntry: EntryValue | undefined;
  for (const param of helper.params) {
    const index = visible.indexOf(param);
    const argExpr = index >= 0 ? expr.args[index] : undefined;
    if (param.kind === 'slot') {
      slotValue = argExpr ? ex.evaluate(state, argExpr) : undefined;
      continue;
    }
    const value = argument(ex, state, param, argExpr, helper.level);
    args[param.name] = value;
    if (!firstEntry && isEntry(value)) firstEntry = value;
  }
  ex.touchesEntries = true;
  switch (helper.def.kind) {
    case 'predicate': {
      const value = helper.test(ex.alg, args);
      if (state.domainAssumed.length > 0 && firstEntry) checkAssumedForm(ex, state, firstEntry, value, `${helper.name}()`);
      // pte_same(a, b): where it holds the two are one entry (exact, whatever their size)
      const [a, b] = helper.params.filter((p) => p.kind === 'entry').map((p) => args[p.name]);
      if (/_same$/.test(helper.name) && isEntry(a) && isEntry(b) && a !== b) {
        return { kind: 'bool', value: faultComparison(ex, a, b) ?? value, equalities: { whenTrue: [[a, b]], whenFalse: [] } };
      }
      return { kind: 'bool', value };
    }
    case 'modifier':
    case 'constructor': {
      if (helper.def.kind === 'modifier' && firstEntry) ex.assumeDomain(state, expr.callee, firstEntry, expr.range);
      // a swap entry is decoded (pte_to_swp_entry) only from an entry that holds one; 6.19's
      // softleaf_from_pte() is made for any entry
      if (helper.def.kind === 'constructor' && expr.callee.includes('_to_swp_') && firstEntry?.kind === 'entry') ex.assumeDomain(state, expr.callee, firstEntry);
      const out = helper.apply(ex.alg, args);
      // a bit cleared on purpose stays so through the modifiers applied after (pmd_mkwrite(pmd_clear_uffd_wp(e)))
      const inherited = helper.def.kind === 'modifier' && firstEntry ? ex.clearedOnPurpose.get(firstEntry) : undefined;
      const cleared = new Map(inherited ?? []);
      for (const c of CLEARS_ON_PURPOSE) if (c.helper.test(helper.name)) cleared.set(INSTALL_FACT_OF_CLEARED[c.bit], ex.alg.TRUE);
      if (cleared.size > 0) ex.clearedOnPurpose.set(out, cleared);
      const meantFor = Object.values(args).map((a) => (isEntry(a) ? ex.builtFor.get(a) : undefined)).find((name) => name !== undefined);
      if (meantFor !== undefined) ex.builtFor.set(out, meantFor);
      if (Object.values(args).some((a) => isEntry(a) && ex.unfollowed.has(a))) ex.unfollowed.add(out);
      if (helper.def.kind === 'constructor') firstEntry = undefined;
      if (firstEntry && helper.keeps.length > 0 && helper.def.kind === 'modifier') {
        for (const hit of ex.sim.hazards.checkHelper(ex.alg, helper, firstEntry, out)) ex.record(state, hit, expr.range, out);
      }
      ex.calls.push({ range: expr.range, callee: expr.callee, state: state.clone(), ...(firstEntry ? { before: firstEntry } : {}), after: out });
      state.events.push({ kind: 'call', range: expr.range, detail: printExpr(expr), ...(firstEntry ? { before: firstEntry } : {}), after: out, level: helper.level });
      const pointer = helper.def.writesBack ? expr.args[0] : undefined;
      if (pointer?.kind === 'address-of') ex.assign(state, pointer.operand, { kind: 'entry', value: out }, expr.range);
      return { kind: 'entry', value: out };
    }
    case 'inplace': {
      const slotExpr = expr.args[visible.findIndex((p) => p.kind === 'slot')];
      const slot = slotValue?.kind === 'slot' ? slotValue.slot : slotFor(ex, state, expr, slotExpr, helper.level);
      // one that changes the entry in place (pmdp_invalidate, ptep_set_wrprotect …) is applied to a live one, as a modifier is
      if (/^call /.test(helper.def.effect.trim())) ex.assumeDomain(state, expr.callee, state.slots[slot]!.value);
      const current = state.slots[slot]!;
      const result = helper.applyInPlace(ex.alg, current.value, args);
      const install = result.install;
      // a store of an entry with a bit cleared on purpose (set_pte_at copies it into a new value) installs that entry
      const stored = Object.values(args).find((a): a is EntryValue => isEntry(a) && a.bits.every((bit, i) => bit === result.slot.bits[i]));
      if (stored) ex.copyProvenance(stored, result.slot);
      if (install === 'read') {
        ex.readSlot(state, slot, expr.range);
      } else {
        const mmIndex = visible.findIndex((p) => p.kind === 'mm');
        const mmArg = mmIndex >= 0 && expr.args[mmIndex] ? ex.evaluate(state, expr.args[mmIndex]!) : undefined;
        const kernel = ex.kernelMm(mmArg);
        ex.install(state, slot, result.slot, install, expr.range, printExpr(expr), {
          ...(install === 'access-flags' && firstEntry ? { accessFlagsEntry: firstEntry } : {}),
          ...(install === 'commit' ? commitOldValue(args) : {}),
          ...(kernel !== ex.alg.FALSE ? { kernel } : {}),
        });
      }
      for (const event of result.events) {
        state.flushed(ex.alg, event.guard);
        state.events.push({ kind: 'flush', range: expr.range, detail: `${event.event} (${event.scope}) in ${expr.callee}` });
      }
      ex.calls.push({ range: expr.range, callee: expr.callee, state: state.clone(), before: current.value, after: result.slot });
      if (result.returned === undefined) return UNKNOWN(printExpr(expr));
      return typeof result.returned === 'number' ? { kind: 'bool', value: result.returned } : { kind: 'entry', value: result.returned };
    }
  }
}

/**
 * A slot argument the engine could not resolve: a new slot. A plain variable (a pointer
 * declared outside a hunk) or a member (`pvmw->pmd`) names the slot and keeps it for the rest of
 * the path, so that `pmdp_invalidate(…, pvmw->pmd)` and a later `set_pmd_at(…, pvmw->pmd, …)`
 * write the same entry.
 */
function slotFor(ex: Executor, state: PathState, expr: Extract<IrExpr, { kind: 'call' }>, slotExpr: IrExpr | undefined, level: Level): number {
  const named = slotExpr?.kind === 'var' || (slotExpr?.kind === 'field' && SLOT_MEMBERS[slotExpr.field]) ? printExpr(slotExpr) : undefined;
  const value = ex.newSlot(state, named ? `*${named}` : `*(${printExpr(expr)})`, level);
  if (named) state.locals.set(named, value);
  return value.slot;
}

function isEntry(value: ArgValue): value is EntryValue {
  return typeof value === 'object' && value !== null && 'bits' in value;
}

/** ptep_modify_prot_commit(vma, addr, ptep, old_pte, pte): old_pte is what the transaction replaced. */
function commitOldValue(args: Readonly<Record<string, ArgValue>>): { previous?: EntryValue } {
  const old = args['old_pte'];
  return isEntry(old) ? { previous: old } : {};
}

