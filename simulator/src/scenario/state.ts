// The page a sequential scenario follows: its entry (every bit a constant of the run's algebra),
// its VMA, folio and mm facts, and whether data written to it is still to be saved. Conditions
// and effects of the operation library are compiled once per profile and evaluated here.

import type { BoolAlgebra } from '../sym';
import { constantFacts, symbolicFacts, type FactSource } from '../model/context';
import { FORMS, type Form } from '../model/forms';
import { inVersionRange, type Profile } from '../model/profile';
import { formatConcrete, formGuard, valueOfForm, type EntryValue } from '../model/value';
import type { HelperSet } from '../helpers/registry';
import { HARDWARE, type FactChange, type ProtSource } from './operations';

export interface PageState {
  readonly entry: EntryValue;
  readonly vma: ReadonlySet<string>;
  readonly folio: ReadonlySet<string>;
  readonly mm: ReadonlySet<string>;
  /** Data was written that no discard has given up: it must stay dirty in the entry or the folio. */
  readonly written: boolean;
}

/** A state as people read it: `present W=1 D=1 SFD=0 UW=0 A=1`, facts listed. */
export interface RenderedState {
  readonly form: string;
  readonly bits: Readonly<Record<string, 0 | 1>>;
  readonly entry: string;
  readonly vma: readonly string[];
  readonly folio: readonly string[];
}

const CONDITION_PARAMS = 'pte vma @folio mm';
const EFFECT_PARAMS = 'pte vma @folio mm prot addr';

/**
 * Why writenotify holds for a shared writable VMA (mm/vma.c vma_wants_writenotify(); mm/mmap.c
 * before 6.9): each reason a predicate over `vma`, from the version that added it.
 */
export const WRITENOTIFY_REASONS: readonly { readonly why: string; readonly condition: string; readonly since?: string }[] = [
  { why: 'the filesystem wants page_mkwrite or tracks dirty pages', condition: 'vma.dirty_accountable' },
  { why: 'soft-dirty tracking (VM_SOFTDIRTY clear)', condition: 'vma_soft_dirty_enabled(vma) & !vma.VM_HUGETLB' },
  { why: 'uffd-wp (userfaultfd_wp(vma))', condition: 'vma.VM_UFFD_WP', since: '6.2' },
];

/** Evaluates the library's conditions and effects on concrete states of one profile. */
export class ConcreteModel {
  constructor(
    readonly alg: BoolAlgebra,
    readonly set: HelperSet,
  ) {}

  get profile(): Profile {
    return this.set.profile;
  }

  /** Facts the profile has (VM_SOFTDIRTY needs MEM_SOFT_DIRTY …): the others are dropped. */
  existingFacts(facts: Iterable<string>): Set<string> {
    const probe = symbolicFacts(this.alg, 'probe', this.profile);
    return new Set([...facts].filter((fact) => probe.fact(fact) !== this.alg.FALSE));
  }

  private hardwareText(text: string): string {
    const hw = HARDWARE[this.profile.arch];
    return text.replace(/HW_WRITABLE/g, `(${hw.writable})`).replace(/HW_READABLE/g, `(${hw.readable})`);
  }

  private args(state: PageState, extra: { folio?: FactSource } = {}) {
    return { pte: state.entry, vma: constantFacts(this.alg, state.vma), folio: extra.folio ?? constantFacts(this.alg, state.folio), mm: constantFacts(this.alg, state.mm) };
  }

  /** A predicate of the library (`pte vma @folio mm`) on a state. */
  holds(condition: string, state: PageState): boolean {
    const compiled = this.set.compileCondition('scenario condition', 'pte', CONDITION_PARAMS, this.hardwareText(condition), 'scenario');
    return compiled.test(this.alg, this.args(state)) === this.alg.TRUE;
  }

  /** A predicate over the entries before and after a step (`old new vma @folio`); `written` is a folio fact here. */
  holdsAcross(condition: string, before: PageState, after: PageState): boolean {
    const compiled = this.set.compileCondition('scenario property', 'pte', 'old:entry new:entry vma @folio', condition, 'scenario');
    const folio = constantFacts(this.alg, after.written ? [...after.folio, 'written'] : after.folio);
    return compiled.test(this.alg, { old: before.entry, new: after.entry, vma: constantFacts(this.alg, after.vma), folio }) === this.alg.TRUE;
  }

  /** Runs table-language statements on the entry (`old` is the entry before, `prot` the protection named). */
  runEffect(effect: string, state: PageState, prot: ProtSource | undefined): EntryValue {
    const compiled = this.set.compileEffect('scenario effect', 'pte', EFFECT_PARAMS, this.hardwareText(effect), 'scenario');
    const args = { ...this.args(state), ...(prot ? { prot: this.protection(prot, state) } : {}) };
    return compiled.apply(this.alg, args);
  }

  /** The MMU's own access: Accessed, and Dirty on a write. */
  hardwareAccess(kind: 'read' | 'write', state: PageState): EntryValue {
    return this.runEffect(HARDWARE[this.profile.arch][kind], state, undefined);
  }

  protection(source: ProtSource, state: PageState): EntryValue {
    const vma = constantFacts(this.alg, state.vma);
    switch (source) {
      case 'vm_page_prot':
        return this.set.get('vm_page_prot')!.apply(this.alg, { vma });
      case 'vm_get_page_prot':
        return this.set.get('vm_get_page_prot')!.apply(this.alg, { vm_flags: vma });
      case 'vm_get_page_prot_ro':
        return this.set.get('vm_get_page_prot')!.apply(this.alg, { vm_flags: constantFacts(this.alg, [...state.vma].filter((f) => f !== 'VM_WRITE')) });
      case 'PAGE_NONE':
        return this.set.get('PAGE_NONE')!.apply(this.alg, {});
    }
  }

  /** vma_set_page_prot(): writenotify recomputed from the flags, as the profile's kernel does. */
  withWritenotify(vma: ReadonlySet<string>): Set<string> {
    const facts = new Set(vma);
    facts.delete('writenotify');
    const probe: PageState = { entry: valueOfForm(this.alg, this.set.layout, 'entry', 'pte', 'none'), vma: facts, folio: new Set(), mm: new Set(), written: false };
    const sharedWritable = facts.has('VM_SHARED') && facts.has('VM_WRITE');
    const version = this.profile.version;
    const reason = WRITENOTIFY_REASONS.find((r) => inVersionRange(version, r.since) && this.holds(r.condition, probe));
    if (sharedWritable && reason) facts.add('writenotify');
    return facts;
  }

  applyFacts(facts: ReadonlySet<string>, change: FactChange | undefined, state: PageState): Set<string> {
    if (!change || (change.when !== undefined && !this.holds(change.when, state))) return new Set(facts);
    const next = change.become ? new Set(change.become) : new Set(facts);
    for (const fact of change.set ?? []) next.add(fact);
    for (const fact of change.clear ?? []) next.delete(fact);
    return this.existingFacts(next);
  }

  /** The entry a scenario's `entry` line describes, or a message naming what the profile lacks. */
  initialEntry(form: string, bits: Readonly<Record<string, boolean>>): EntryValue | string {
    const layout = this.set.layout;
    const value = valueOfForm(this.alg, layout, 'entry', 'pte', form as Form);
    for (const [name, on] of Object.entries(bits)) {
      const index = layout.indexOf(name);
      if (index === undefined || index < layout.formCount) {
        return `${this.profile.name} has no entry bit ${name} (bits: ${[...layout.archBits, ...layout.softleafBits].join(' ')})`;
      }
      value.bits[index] = this.alg.constant(on);
    }
    return value;
  }

  formOf(entry: EntryValue): Form {
    return FORMS.find((f) => formGuard(entry, this.set.layout, f) === this.alg.TRUE) ?? 'none';
  }

  render(state: PageState): RenderedState {
    const layout = this.set.layout;
    const form = this.formOf(state.entry);
    const names = form === 'present' || form === 'protnone' ? layout.archBits : layout.softleafBits.filter((n) => layout.indexOf(n) !== undefined);
    const bits: Record<string, 0 | 1> = {};
    for (const name of form === 'none' ? [] : names) bits[name] = state.entry.bits[layout.indexOf(name)!] === this.alg.TRUE ? 1 : 0;
    return {
      form,
      bits,
      entry: form === 'none' ? 'none' : formatConcrete(this.alg, layout, state.entry, new Map()),
      vma: [...state.vma].sort(),
      folio: [...state.folio].sort(),
    };
  }

  /** Fields whose value differs between two entries (forms by name). */
  changedFields(before: EntryValue, after: EntryValue): string[] {
    return this.set.layout.fields.filter((_, i) => before.bits[i] !== after.bits[i]);
  }
}
