// Members of a vmf the function is given by pointer (`struct vm_fault *vmf`): the slot a slot
// member points at is the caller's (an input of the summary, bound at each call to what the
// caller's member points at), and the fault's copy of its entry (`vmf->orig_pte`) is the caller's
// too, an input of its own made side by side with the slot's, since handlers compare the two.

import type { Bool } from '../sym';
import type { EntryValue } from '../model/value';
import { faultCopyMember } from './events';
import type { PathState } from './state';
import type { Value } from './values';
import type { Executor } from './execute';

/** A vmf parameter's slot member on entry and the vmf's copy of what it held (`orig_pte`). */
export interface FaultInputs {
  /** The input that says whether the two are the same entry (pte_same). */
  readonly compared: string;
  readonly param: number;
  readonly value: EntryValue;
  readonly copy: EntryValue;
  readonly level: 'pte' | 'pmd';
}

type Slot = Extract<Value, { kind: 'slot' }>;

/** The entries behind a vmf parameter's slot member and its copy of it, created once, side by side. */
function faultInputsOf(ex: Executor, vmf: string, param: number, level: 'pte' | 'pmd'): FaultInputs {
  const key = `${vmf}->${level}`;
  let inputs = ex.faultInputs.get(key);
  if (!inputs) {
    const member = faultCopyMember(level);
    const [value, copy] = ex.inputValues([`*${key}`, `${vmf}->${member}`], level, 'entry', [
      (field) => ({ kind: 'param-slot', param, member: level, field }),
      (field) => ({ kind: 'param-member', param, member, field }),
    ]);
    inputs = { compared: `*${key} same as its copy`, param, value: value!, copy: copy!, level };
    ex.faultInputs.set(key, inputs);
  }
  return inputs;
}

/** The copy (`vmf->orig_pte`) of a vmf the function was given: the caller's, which may differ from what the slot holds by now. */
export function faultCopy(ex: Executor, vmf: string, level: 'pte' | 'pmd'): EntryValue | undefined {
  const param = ex.paramIndex.get(vmf);
  if (param === undefined) return undefined;
  const inputs = faultInputsOf(ex, vmf, param, level);
  if (!ex.faultCopies.includes(inputs)) ex.faultCopies.push(inputs);
  return inputs.copy;
}

/**
 * A slot member of a vmf the function was given compared with the vmf's copy of it: an input
 * of its own, which each caller answers by comparing its two (they may be far apart in its
 * variable order, where the comparison is too large to compose: see applySummary).
 */
export function faultComparison(ex: Executor, a: EntryValue, b: EntryValue): Bool | undefined {
  const fault = [...ex.faultInputs.values()].find((f) => (f.value === a && f.copy === b) || (f.value === b && f.copy === a));
  if (!fault) return undefined;
  ex.inputs.set(fault.compared, { kind: 'fault-same', param: fault.param, level: fault.level });
  if (!ex.faultCopies.includes(fault)) ex.faultCopies.push(fault);
  return ex.alg.variable(fault.compared, 'context');
}

/**
 * The slot a vmf's slot member points at (`*vmf->pte`), created once per path. Of a vmf the
 * function was given, not assigned on the path, it is an input: what the caller's member points at.
 */
export function memberSlot(ex: Executor, state: PathState, vmf: string, level: 'pte' | 'pmd'): Slot {
  const key = `${vmf}->${level}`;
  const existing = state.locals.get(key);
  if (existing?.kind === 'slot') return existing;
  const param = ex.paramIndex.get(vmf);
  let slot: Slot;
  if (param !== undefined && state.versions.get(key) === undefined) {
    const { value } = faultInputsOf(ex, vmf, param, level);
    const observed = ex.alg.variable(`*${key}.observed`, 'context');
    ex.inputs.set(`*${key}.observed`, { kind: 'param-observed', param, member: level });
    state.slots = [...state.slots, { name: `*${key}`, level, value, live: value, observed, param: { param, member: level } }];
    if (!ex.memberSlots.some((m) => m.observed === observed)) ex.memberSlots.push({ value, level, observed });
    slot = { kind: 'slot', slot: state.slots.length - 1, level };
  } else {
    slot = ex.newSlot(state, `*${key}`, level);
  }
  state.locals.set(key, slot);
  return slot;
}
