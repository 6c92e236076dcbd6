// Expressions on a path: constants, locals, members of the context objects (the fault's
// slots, a VMA's protection), integer comparisons and flag masks.

import type { Bool } from '../sym';
import { isEnabled } from '../model/profile';
import { selectValue } from '../model/value';
import type { IrExpr } from '../ir';
import { printExpr } from '../irPrint';
import { FAULT_COPY_MEMBERS, FLAG_GROUPS, PAGE_TABLE_LOCK_FIELDS, SLOT_MEMBERS } from './events';
import { faultCopy, memberSlot } from './structMembers';
import { PathState } from './state';
import { COMPARISONS, POSITIVE_SIZES, compareExact, compareOffsets, compareWith, integerSum, joinFacts, mirrored, shifted, type Comparison, type IntegerFacts } from './integers';
import { asFlagSet, chooseFlags, flagIn, sharesFlag, unionFlags } from './flagSets';
import { UNKNOWN, canonicalVma, equalitiesOf, type Value } from './values';
import type { Executor } from './execute';

export function evaluate(ex: Executor, state: PathState, expr: IrExpr): Value {
  switch (expr.kind) {
    case 'number':
      return { kind: 'bool', value: ex.alg.constant(expr.value !== 0), integer: { exact: expr.value } };
    case 'bool':
      return { kind: 'bool', value: ex.alg.constant(expr.value) };
    case 'constant':
      return constant(ex, expr.name);
    case 'config':
      return { kind: 'bool', value: ex.alg.constant(isEnabled(ex.sim.profile, expr.symbol)) };
    case 'var': {
      const local = state.locals.get(expr.name);
      if (local && (local.kind === 'bool' || local.kind === 'unknown') && !local.integer?.from) {
        // an integer read as a local holds it: the base of what is computed from it
        return { ...local, integer: { ...local.integer, from: { base: `${expr.name}@${state.versions.get(expr.name) ?? 0}`, exact: 0 } } };
      }
      return local ?? CONVENTIONAL_OBJECTS[expr.name] ?? UNKNOWN(expr.name);
    }
    case 'cast':
      return evaluate(ex, state, expr.operand);
    case 'field':
      return field(ex, state, expr);
    case 'deref': {
      const pointer = evaluate(ex, state, expr.pointer);
      if (pointer.kind === 'slot' && !expr.index) return ex.readSlot(state, pointer.slot, expr.range);
      // a pointer to an entry the engine lost track of (`ptep++`), or a walk structure's slot
      // member (`*pvmw.pte`, `*vmf->pmd`), points at a slot all the same: kept for the path
      const level = expr.index ? undefined : expr.pointer.kind === 'var' ? ex.pointerLocals.get(expr.pointer.name) : expr.pointer.kind === 'field' ? SLOT_MEMBERS[expr.pointer.field] : undefined;
      if (level && pointer.kind === 'unknown') {
        const text = printExpr(expr.pointer);
        const slot = ex.newSlot(state, `*${text}`, level);
        state.locals.set(text, slot);
        return ex.readSlot(state, slot.slot, expr.range);
      }
      return UNKNOWN(printExpr(expr));
    }
    case 'address-of':
      return evaluate(ex, state, expr.operand);
    case 'unary': {
      const operand = evaluate(ex, state, expr.operand);
      // a negated constant is as nonzero as the constant (`return -EINVAL;`)
      if (expr.op === '-' && operand.kind === 'bool' && operand.integer?.exact !== undefined) return { kind: 'bool', value: operand.value, integer: { exact: -operand.integer.exact } };
      if ((expr.op === '-' || expr.op === '+') && (operand.kind === 'bool' || operand.kind === 'flag-set')) return operand;
      if (expr.op === '!') {
        const value = ex.alg.not(ex.truth(state, operand, printExpr(expr.operand), expr.operand.range));
        const eq = operand.kind === 'bool' ? operand.equalities : undefined;
        return eq ? { kind: 'bool', value, equalities: { whenTrue: eq.whenFalse, whenFalse: eq.whenTrue } } : { kind: 'bool', value };
      }
      return UNKNOWN(printExpr(expr));
    }
    case 'binary':
      return binary(ex, state, expr);
    case 'ternary': {
      const condition = ex.truth(state, evaluate(ex, state, expr.condition), printExpr(expr.condition), expr.condition.range);
      const then = evaluate(ex, state, expr.then);
      const otherwise = evaluate(ex, state, expr.otherwise);
      if (then.kind === 'entry' && otherwise.kind === 'entry') return { kind: 'entry', value: selectValue(ex.alg, condition, then.value, otherwise.value) };
      const [a, b] = [asFlagSet(ex.alg, then), asFlagSet(ex.alg, otherwise)];
      if (a && b && (then.kind === 'flag-set' || otherwise.kind === 'flag-set')) return chooseFlags(ex.alg, condition, a, b);
      if (then.kind === 'bool' && otherwise.kind === 'bool') {
        const integer = joinFacts(then.integer, otherwise.integer);
        return { kind: 'bool', value: ex.alg.ite(condition, then.value, otherwise.value), ...(integer ? { integer } : {}) };
      }
      return UNKNOWN(printExpr(expr));
    }
    case 'call':
      return ex.call(state, expr);
    case 'opaque':
      return UNKNOWN(expr.text);
  }
}

/** What is known of a number added to an integer: its facts, or a size the kernel steps by. */
function step(expr: IrExpr, value: Value): IntegerFacts | undefined {
  const known = integerOf(value);
  if (known?.exact !== undefined || known?.min !== undefined) return known;
  return expr.kind === 'constant' && POSITIVE_SIZES.has(expr.name) ? { min: 1 } : undefined;
}

function constant(ex: Executor, name: string): Value {
  if (name === 'NULL') return { kind: 'bool', value: ex.alg.FALSE };
  const helper = ex.sim.set.get(name);
  if (helper?.def.kind === 'constructor' && helper.params.length === 0) return { kind: 'entry', value: ex.sim.apply(name) };
  return { kind: 'flag-set', names: FLAG_GROUPS[name] ?? [name] };
}

export function field(ex: Executor, state: PathState, expr: Extract<IrExpr, { kind: 'field' }>): Value {
  const key = printExpr(expr);
  const assigned = state.locals.get(key);
  if (assigned) return assigned;
  let base = evaluate(ex, state, expr.base);
  // members only vm_area_struct has say what their base is, whatever the engine knew of it
  if (base.kind !== 'object' && VMA_MEMBERS.has(expr.field)) base = { kind: 'object', object: 'vma', name: canonicalVma(printExpr(expr.base)) };
  if (base.kind !== 'object' && (expr.field === 'vma' || expr.field === 'vm_mm' || PAGE_TABLE_LOCK_FIELDS.has(expr.field))) base = { kind: 'object', object: 'struct', name: printExpr(expr.base) };
  if (base.kind === 'object') {
    const value = objectField(ex, state, base, expr.field, key);
    if (value) {
      state.locals.set(key, value);
      return value;
    }
  }
  return UNKNOWN(key);
}

function objectField(ex: Executor, state: PathState, base: Extract<Value, { kind: 'object' }>, field: string, key: string): Value | undefined {
  const { object, name } = base;
  if (field === 'vma' || field === 'vm_area') return { kind: 'object', object: 'vma', name: 'vma' };
  if (field === 'vm_mm' || field === 'mm') return { kind: 'object', object: 'mm', name: 'mm' };
  if (PAGE_TABLE_LOCK_FIELDS.has(field)) return { kind: 'object', object: 'lock', name: key, pageTable: ex.alg.TRUE };
  if (object === 'vma' && field === 'vm_flags') return { kind: 'flags', owner: name };
  if (object === 'vma' && field === 'vm_page_prot') {
    const prot = ex.sim.apply('vm_page_prot', ex.facts(name));
    ex.builtFor.set(prot, name);
    return { kind: 'entry', value: prot };
  }
  if (object === 'vmf') {
    const copied = FAULT_COPY_MEMBERS[field];
    if (copied) {
      // a caller's copy may differ from what the slot holds when this function reads it (a
      // handler re-checks pte_same() under the lock); of a vmf of its own the two start as one value
      const copy = faultCopy(ex, name, copied);
      if (copy) return { kind: 'entry', value: copy };
      const slot = faultSlot(ex, state, base, copied);
      return { kind: 'entry', value: state.slots[slot.slot]!.value };
    }
    if (field === 'pte' || field === 'pmd') return faultSlot(ex, state, base, field);
    if (field === 'pud') return ex.newSlot(state, `*${key}`, 'pud');
    if (field === 'flags') return { kind: 'flags', owner: 'vmf' };
  }
  return undefined;
}

/**
 * The slot a fault is about (`*vmf->pte` / `*vmf->pmd`), created once per path. For a
 * vmf the function was given, it is an input: what the caller's vmf points to.
 */
function faultSlot(ex: Executor, state: PathState, vmf: Extract<Value, { kind: 'object' }>, level: 'pte' | 'pmd'): Extract<Value, { kind: 'slot' }> {
  const slot = memberSlot(ex, state, vmf.name, level);
  // the handler maps the same table at the fault's address again: the same slot
  if (level === 'pte') state.slotsByAddress.set(`pte|${vmf.name}->pmd|${vmf.name}->address`, slot.slot);
  return slot;
}

function binary(ex: Executor, state: PathState, expr: Extract<IrExpr, { kind: 'binary' }>): Value {
  const left = evaluate(ex, state, expr.left);
  const right = evaluate(ex, state, expr.right);
  const text = printExpr(expr);
  const t = (v: Value, e: IrExpr) => ex.truth(state, v, printExpr(e), e.range);
  const [a, b] = [exactOf(left), exactOf(right)];
  if (COMPARISONS.has(expr.op) && !(isZero(expr.left) || isZero(expr.right))) {
    const op = expr.op as Comparison;
    if (a !== undefined && b !== undefined) return { kind: 'bool', value: ex.alg.constant(compareExact(op, a, b)) };
    const relative = compareOffsets(op, integerOf(left)?.from, integerOf(right)?.from);
    if (relative !== undefined) return { kind: 'bool', value: ex.alg.constant(relative) };
    if (b !== undefined && isInteger(left)) return { kind: 'bool', value: compareWith(ex.alg, op, b, (k) => ex.below(state, expr.left, left, k)) };
    if (a !== undefined && isInteger(right)) return { kind: 'bool', value: compareWith(ex.alg, mirrored(op), a, (k) => ex.below(state, expr.right, right, k)) };
  }
  if (expr.op === '+' || expr.op === '-') {
    const sum = integerSum(expr.op, left, right);
    if (sum?.exact !== undefined) return { kind: 'bool', value: ex.alg.constant(sum.exact !== 0), integer: sum };
    if (sum?.min !== undefined && sum.min > 0) return { kind: 'bool', value: ex.alg.TRUE, integer: sum };
    // an address stepped on (`addr += PAGE_SIZE`) is known relative to where it was
    const from = shifted(expr.op, integerOf(left), step(expr.right, right)) ?? (expr.op === '+' ? shifted('+', integerOf(right), step(expr.left, left)) : undefined);
    if (from) return { kind: 'unknown', name: text, integer: { ...sum, from } };
  }
  // `pte + i` with i zero: the first entry of the range is the slot itself
  if ((expr.op === '+' || expr.op === '-') && left.kind === 'slot' && b === 0) return left;
  switch (expr.op) {
    case '&&': {
      const whenTrue = [...equalitiesOf(left).whenTrue, ...equalitiesOf(right).whenTrue];
      return { kind: 'bool', value: ex.alg.and(t(left, expr.left), t(right, expr.right)), ...(whenTrue.length > 0 ? { equalities: { whenTrue, whenFalse: [] } } : {}) };
    }
    case '||': {
      const whenFalse = [...equalitiesOf(left).whenFalse, ...equalitiesOf(right).whenFalse];
      return { kind: 'bool', value: ex.alg.or(t(left, expr.left), t(right, expr.right)), ...(whenFalse.length > 0 ? { equalities: { whenTrue: [], whenFalse } } : {}) };
    }
    case '&': {
      const flags = left.kind === 'flags' ? left : right.kind === 'flags' ? right : undefined;
      const set = left.kind === 'flag-set' ? left : right.kind === 'flag-set' ? right : undefined;
      if (flags && set) {
        const source = ex.facts(flags.owner);
        return { kind: 'bool', value: ex.alg.orAll(set.names.map((n) => ex.alg.and(flagIn(ex.alg, set, n), source.fact(n)))) };
      }
      const [a, b] = [asFlagSet(ex.alg, left), asFlagSet(ex.alg, right)];
      if (a && b && (left.kind === 'flag-set' || right.kind === 'flag-set')) return { kind: 'bool', value: sharesFlag(ex.alg, a, b) };
      if (left.kind === 'bool' && right.kind === 'bool') return { kind: 'bool', value: ex.alg.and(left.value, right.value) };
      return UNKNOWN(text);
    }
    case '|': {
      const [a, b] = [asFlagSet(ex.alg, left), asFlagSet(ex.alg, right)];
      if (a && b && (left.kind === 'flag-set' || right.kind === 'flag-set')) return unionFlags(ex.alg, a, b);
      if (left.kind === 'bool' && right.kind === 'bool') return { kind: 'bool', value: ex.alg.or(left.value, right.value) };
      return UNKNOWN(text);
    }
    case '==':
    case '!=': {
      let result: Bool | undefined = sameFlags(ex, state, expr.left, expr.right);
      if (result !== undefined) return { kind: 'bool', value: expr.op === '==' ? result : ex.alg.not(result) };
      if (left.kind === 'bool' && right.kind === 'bool') result = ex.alg.iff(left.value, right.value);
      else if (isZero(expr.right)) result = ex.alg.not(t(left, expr.left));
      else if (isZero(expr.left)) result = ex.alg.not(t(right, expr.right));
      if (result === undefined) return UNKNOWN(text);
      return { kind: 'bool', value: expr.op === '==' ? result : ex.alg.not(result) };
    }
    default:
      return UNKNOWN(text);
  }
}

/**
 * `(a->vm_flags & MASK) == (b->vm_flags & MASK)`: the two words agree on every flag of MASK
 * (undefined when the comparison is not of that shape).
 */
function sameFlags(ex: Executor, state: PathState, left: IrExpr, right: IrExpr): Bool | undefined {
  // the shape first: the operands were evaluated already, and evaluating them again repeats their calls
  const isMask = (e: IrExpr): e is Extract<IrExpr, { kind: 'binary' }> => e.kind === 'binary' && e.op === '&';
  if (!isMask(left) || !isMask(right)) return undefined;
  const masked = (e: Extract<IrExpr, { kind: 'binary' }>) => {
    const [a, b] = [evaluate(ex, state, e.left), evaluate(ex, state, e.right)];
    const word = a.kind === 'flags' ? a : b.kind === 'flags' ? b : undefined;
    const mask = a.kind === 'flag-set' ? a : b.kind === 'flag-set' ? b : undefined;
    // a mask chosen by a condition is not compared flag by flag
    return word && mask && !mask.when ? { source: ex.facts(word.owner), names: mask.names } : undefined;
  };
  const [a, b] = [masked(left), masked(right)];
  if (!a || !b || a.names.join() !== b.names.join()) return undefined;
  return ex.alg.andAll(a.names.map((name) => ex.alg.iff(a.source.fact(name), b.source.fact(name))));
}

function integerOf(value: Value): IntegerFacts | undefined {
  return value.kind === 'bool' || value.kind === 'unknown' ? value.integer : undefined;
}

export function exactOf(value: Value): number | undefined {
  return value.kind === 'bool' ? value.integer?.exact : undefined;
}

/** A value that may be an integer the engine does not know (not an entry, a pointer or flags). */
function isInteger(value: Value): boolean {
  return value.kind === 'bool' || value.kind === 'unknown';
}

function isZero(expr: IrExpr): boolean {
  return (expr.kind === 'number' && expr.value === 0) || (expr.kind === 'constant' && expr.name === 'NULL');
}

/**
 * What an undeclared name means in a hunk cut out of its function: mm code calls its VMA
 * `vma`, its fault `vmf`, its folio `folio`. Declared names always win.
 */
const CONVENTIONAL_OBJECTS: Readonly<Record<string, Value>> = {
  vma: { kind: 'object', object: 'vma', name: 'vma' },
  vmf: { kind: 'object', object: 'vmf', name: 'vmf' },
  folio: { kind: 'object', object: 'folio', name: 'folio' },
  init_mm: { kind: 'object', object: 'mm', name: 'init_mm' },
};

/** Members of struct vm_area_struct (and of it alone): `x->vm_page_prot` says x is a VMA. */
const VMA_MEMBERS: ReadonlySet<string> = new Set(['vm_page_prot', 'vm_flags', 'vm_start', 'vm_end', 'vm_ops', 'vm_file', 'vm_pgoff']);
