// The state the CPUs share while a program runs: one page-table entry (as the simulator's
// concrete entry value, keyed by its bits), the pages it has mapped with their contents as
// abstract versions (the set of writes each holds), the page-table lock, the mmap lock,
// mm->tlb_flush_pending, and per CPU its TLB entry for the page and where it is in its program.

import type { Simulator } from '../simulator';
import type { FactSource } from '../model/context';
import { FORMS, type Form } from '../model/forms';
import type { EntryValue } from '../model/value';
import type { ArgValue } from '../helpers/compile';
import type { RuleDef } from '../hazards/catalogue';
import { HARDWARE, type HardwareAccess } from './hardware';

/** A CPU's cached translation of the page's address. */
export interface Tlb {
  readonly page: number;
  readonly write: boolean;
  /** Cached as dirty: a write goes straight through without touching the entry. */
  readonly dirty: boolean;
}

export interface Page {
  /** Ids of the writes the page holds, sorted (`cpu1#2`: CPU cpu1's second operation). */
  readonly writes: readonly string[];
  /** Folio facts of the page (anon, exclusive, pinned …), sorted. */
  readonly facts: readonly string[];
}

export type Local = string | number | boolean;

export interface CpuState {
  /** Index of the running operation; the program's length when the CPU is done. */
  readonly op: number;
  /** Label of the operation's next step. */
  readonly step: string;
  readonly locals: Readonly<Record<string, Local>>;
}

export interface World {
  /** The entry's bits (EntryModel keys). */
  readonly entry: string;
  /** The page the entry maps; -1 when it maps none. */
  readonly page: number;
  readonly pages: readonly Page[];
  /** CPU holding the page-table lock, or -1. */
  readonly ptl: number;
  /** CPUs holding the mmap lock for reading (sorted), and the writer or -1. */
  readonly mmapReaders: readonly number[];
  readonly mmapWriter: number;
  /** mm->tlb_flush_pending. */
  readonly pending: number;
  readonly tlbs: readonly (Tlb | null)[];
  readonly cpus: readonly CpuState[];
}

/** The state hash key: equal for equal states (locals are written in sorted order). */
export function worldKey(world: World): string {
  return JSON.stringify(world);
}

export function sortedLocals(locals: Readonly<Record<string, Local>>): Record<string, Local> {
  const out: Record<string, Local> = {};
  for (const name of Object.keys(locals).sort()) out[name] = locals[name]!;
  return out;
}

/**
 * Entries of one profile as constant values, named by their bits so that states hash; the
 * simulator's helpers and predicates applied to them, cached per entry.
 */
export class EntryModel {
  readonly hardware: HardwareAccess;
  readonly vma: FactSource;
  private readonly values = new Map<string, EntryValue>();
  private readonly results = new Map<string, string | boolean>();
  private readonly stateRules = new Map<string, readonly RuleDef[]>();

  constructor(
    readonly sim: Simulator,
    readonly vmaFlags: ReadonlySet<string>,
  ) {
    this.hardware = HARDWARE[sim.profile.arch];
    this.vma = sim.constantFacts(vmaFlags);
  }

  get fields(): readonly string[] {
    return this.sim.set.layout.fields;
  }

  keyOf(value: EntryValue): string {
    const { alg } = this.sim;
    let key = '';
    for (const bit of value.bits) {
      if (bit !== alg.TRUE && bit !== alg.FALSE) throw new Error('explore: an entry became symbolic');
      key += bit === alg.TRUE ? '1' : '0';
    }
    return key;
  }

  valueOf(key: string): EntryValue {
    let value = this.values.get(key);
    if (!value) {
      const { alg } = this.sim;
      value = { kind: 'entry', level: 'pte', bits: Int32Array.from(key, (c) => (c === '1' ? alg.TRUE : alg.FALSE)) };
      this.values.set(key, value);
    }
    return value;
  }

  /** An entry of `form` with the named bits set (names the layout lacks are reported by `unknownBits`). */
  make(form: Form, bits: Readonly<Record<string, boolean>>): string {
    return this.setBits(this.keyOf(this.sim.ofForm(form)), bits);
  }

  unknownBits(names: readonly string[]): string[] {
    return names.filter((name) => this.sim.set.layout.indexOf(name) === undefined);
  }

  setBits(key: string, bits: Readonly<Record<string, boolean>>): string {
    const chars = [...key];
    for (const [name, on] of Object.entries(bits)) {
      const index = this.sim.set.layout.indexOf(name);
      if (index !== undefined) chars[index] = on ? '1' : '0';
    }
    return chars.join('');
  }

  bit(key: string, name: string): boolean {
    const index = this.sim.set.layout.indexOf(name);
    return index !== undefined && key[index] === '1';
  }

  form(key: string): Form {
    return FORMS.find((form) => key[this.sim.set.layout.formIndex(form)] === '1') ?? 'none';
  }

  /** What the MMU may do through the entry: it is present, and writable by its hardware bit. */
  hardwareReadable(key: string): boolean {
    return this.form(key) === 'present';
  }

  hardwareWritable(key: string): boolean {
    return this.hardwareReadable(key) && this.bit(key, this.hardware.writableBit);
  }

  /** A modifier of the profile applied to the entry, e.g. `pte_wrprotect`, `maybe_mkwrite`. */
  apply(helper: string, key: string, folio: readonly string[] = []): string {
    return this.cached(`${helper}|${key}|${folio.join(',')}`, () => this.keyOf(this.sim.helper(helper).apply(this.sim.alg, this.bind(helper, key, folio)))) as string;
  }

  /** A predicate of the profile on the entry, e.g. `pte_write`, `userfaultfd_pte_wp`. */
  test(predicate: string, key: string, folio: readonly string[] = []): boolean {
    return this.cached(`${predicate}?${key}|${folio.join(',')}`, () => this.sim.helper(predicate).test(this.sim.alg, this.bind(predicate, key, folio)) === this.sim.alg.TRUE) as boolean;
  }

  /** The first state rule (hazards/catalogue.ts) among `checks` the entry breaks in the VMA with this folio. */
  brokenStateRule(key: string, folio: readonly string[], checks: ReadonlySet<string>): RuleDef | undefined {
    const cacheKey = `state|${key}|${folio.join(',')}`;
    let rules = this.stateRules.get(cacheKey);
    if (!rules) {
      const { sim } = this;
      rules = sim.hazards
        .checkState(sim.alg, 'pte', this.valueOf(key), { vma: this.vma, folio: sim.constantFacts(folio) })
        .filter((hit) => hit.condition === sim.alg.TRUE)
        .map((hit) => hit.rule);
      this.stateRules.set(cacheKey, rules);
    }
    return rules.find((rule) => checks.has(rule.id));
  }

  /** The profile's own name for a missing helper, or undefined when it exists. */
  missing(helper: string): string | undefined {
    return this.sim.has(helper) ? undefined : (this.sim.whyMissing(helper) ?? `${helper} is not modelled`);
  }

  /** `W=0 D=1 A=1`: the writable bit and uffd-wp always, every other set bit of the architecture. */
  describeBits(key: string): string {
    const always = new Set([this.hardware.writableBit, 'UW']);
    return this.sim.set.layout.archBits
      .filter((name) => this.sim.set.layout.indexOf(name) !== undefined && (always.has(name) || this.bit(key, name)))
      .map((name) => `${name}=${this.bit(key, name) ? 1 : 0}`)
      .join(' ');
  }

  private bind(helper: string, key: string, folio: readonly string[]): Record<string, ArgValue> {
    const args: Record<string, ArgValue> = {};
    for (const param of this.sim.helper(helper).params) {
      if (param.kind === 'entry') args[param.name] = this.valueOf(key);
      else if (param.kind === 'vma' || param.kind === 'vmflags') args[param.name] = this.vma;
      else if (param.kind === 'folio') args[param.name] = this.sim.constantFacts(folio);
    }
    return args;
  }

  private cached(key: string, compute: () => string | boolean): string | boolean {
    let result = this.results.get(key);
    if (result === undefined) {
      result = compute();
      this.results.set(key, result);
    }
    return result;
  }
}

/** `P1 present W=1 D=1 A=1`, or `none`. */
export function describeEntry(model: EntryModel, world: World): string {
  const form = model.form(world.entry);
  const bits = model.describeBits(world.entry);
  return [world.page >= 0 ? `P${world.page}` : '', form, form === 'none' ? '' : bits].filter(Boolean).join(' ');
}

export function describeTlb(tlb: Tlb | null): string {
  if (!tlb) return '-';
  return `P${tlb.page} ${tlb.write ? 'rw' : 'ro'}${tlb.write && tlb.dirty ? ' dirty' : ''}`;
}
