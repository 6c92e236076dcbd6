// One path's state. Cloned at forks; maps are copied, values are immutable.

import type { Bool, BoolAlgebra } from '../sym';
import type { Level } from '../model/forms';
import type { EntryValue } from '../model/value';
import type { BlockId, SourceRange } from '../ir';
import type { Value } from './values';

export interface SlotState {
  readonly name: string;
  readonly level: Level;
  readonly value: EntryValue;
  /** The value before the latest clear (ptep_get_and_clear, modify_prot_start): what a later install replaces. */
  readonly live: EntryValue;
  /**
   * Whether this path has read or written the slot (a condition: for a slot the function was
   * given, whether its caller had). Transition rules compare against the old value only then:
   * of a slot the code never looked at, the engine knows nothing the caller's protocol does
   * not (e.g. that it is none).
   */
  readonly observed: Bool;
  /** For a slot the function was given: which parameter (and member of it, `vmf->pte`). */
  readonly param?: { readonly param: number; readonly member?: string };
  /** Where the slot is in the kernel's own page tables (init_mm): kernel rules apply there, not user-VMA rules. */
  readonly kernel?: Bool;
  /** For a pointer the function was given: where it points into a page table, not at a caller's local copy. */
  readonly inTable?: Bool;
  /** The VMA whose tables hold the slot, where the walker that found it was given one (`hugetlb_walk(src_vma, …)`): what it held and what replaces it are compared there. */
  readonly vma?: string;
  /**
   * After a clear that was not flushed: the path's unflushed downgrade before the clear and right
   * after it. Restoring exactly the entry cleared, with no downgrade made since, takes the clear's
   * back: a TLB that still holds the entry holds what the slot holds again.
   */
  readonly clearDowngrade?: { readonly before: Bool; readonly after: Bool };
}

export interface Decision {
  readonly text: string;
  readonly taken: boolean;
  readonly range: SourceRange;
}

export type PathEventKind = 'read' | 'install' | 'flush' | 'flush-pending-begin' | 'flush-pending-end' | 'gather' | 'lock' | 'unlock' | 'copy' | 'folio-dirty' | 'folio-exclusive' | 'folio-file' | 'mmap-write-lock' | 'mmap-write-unlock' | 'folio-lock' | 'folio-unlock' | 'call';

export interface PathEvent {
  readonly kind: PathEventKind;
  readonly range: SourceRange;
  readonly detail: string;
  /** For installs and helper calls: the value before and after. */
  readonly before?: EntryValue;
  readonly after?: EntryValue;
  readonly level?: Level;
}

/**
 * An entry whose form the path did not know when a helper for some forms only was applied to
 * it (`pmd_clear_uffd_wp(pmd)` before any presence test): the path went on assuming the helper's
 * forms. `before`: the path's condition then; `outside`: the entry is of another form; `forms`:
 * the entry's form bits (what a later test of the same entry, or of one made from it, reads).
 */
export interface DomainAssumption {
  readonly before: Bool;
  readonly outside: Bool;
  readonly forms: readonly Bool[];
  readonly callee: string;
  readonly range: SourceRange;
}

export class PathState {
  constructor(
    public condition: Bool,
    public locals: Map<string, Value>,
    public slots: SlotState[],
    public versions: Map<string, number>,
    /** A permission downgrade installed, not yet flushed, under the innermost page-table lock held (a condition). */
    public downgradeUnflushed: Bool,
    /** Inside inc/dec_tlb_flush_pending or an mmu_gather. */
    public flushPending: Bool,
    /** folio_mark_dirty happened on this path. */
    public folioDirtied: Bool,
    public decisions: Decision[],
    public events: PathEvent[],
    public steps: number,
    public loopVisits: Map<BlockId, number>,
    /**
     * The decisions (branch outcomes, narrowed domains) this path took since the innermost
     * inlined call began. An inlined call's paths are merged by their guards: small formulas
     * that tell the paths apart, where the whole conditions would make every merged bit as
     * large as the path.
     */
    public guard: Bool,
    /** The invariants of entries this path read since the innermost inlined call began. */
    public invariants: Bool,
    /** The unknown this path gave each opaque condition (by its text and the versions of its names). */
    public opaques: Map<string, Bool>,
    /** Slots found by a table walk, by level, table and address: walking there again finds the same slot. */
    public slotsByAddress: Map<string, number> = new Map(),
    /** The folio was added to the anon rmap as exclusive on this path (a new anonymous page). */
    public folioExclusive: Bool = 0,
    /** A downgrade made under a page-table lock still held around the innermost one: it is judged where that lock is dropped. */
    public outerDowngrade: Bool = 0,
    /** This path took the mmap lock for writing and holds it (a caller's is the mm's fact `mmap_write_locked`). */
    public mmapWriteLocked: Bool = 0,
    /** This path holds the folio lock (a condition: folio_trylock may fail). */
    public folioLocked: Bool = 0,
    /**
     * A downgrade left unflushed past its page-table lock while the path held the lock of the
     * page-cache folio it maps: still owed, judged where the folio is unlocked or the page copied.
     */
    public folioLockDowngrade: Bool = 0,
    /** Forms the path assumed an entry has because a helper was applied to it (installs.ts assumeDomain). */
    public domainAssumed: readonly DomainAssumption[] = [],
  ) {}

  /** A TLB flush (where `guard` holds): no downgrade made so far is unflushed. */
  flushed(alg: BoolAlgebra, guard: Bool = alg.TRUE): void {
    this.downgradeUnflushed = alg.and(this.downgradeUnflushed, alg.not(guard));
    this.folioLockDowngrade = alg.and(this.folioLockDowngrade, alg.not(guard));
  }

  /**
   * What `other`, a copy of this path that went further, learned without its effects: its
   * condition and unknowns, and the slots it found (what the slots held before stays).
   */
  takeKnowledge(other: PathState): void {
    this.condition = other.condition;
    this.guard = other.guard;
    this.invariants = other.invariants;
    this.opaques = other.opaques;
    const known = this.slots.length;
    this.slots = [...this.slots, ...other.slots.slice(known)];
    this.slotsByAddress = other.slotsByAddress;
    for (const [name, value] of other.locals) if (value.kind === 'slot' && value.slot >= known) this.locals.set(name, value);
  }

  /** Narrows the path by a decision: a branch outcome or a domain the code relies on. */
  assume(alg: BoolAlgebra, decision: Bool): void {
    this.condition = alg.and(this.condition, decision);
    this.guard = alg.and(this.guard, decision);
  }

  /**
   * Narrows the path by what the kernel guarantees of an entry it has just read. Such an
   * invariant mentions the entry's fresh unknowns and holds of some value for any context,
   * so it needs no place in the guard.
   */
  assumeInvariant(alg: BoolAlgebra, invariant: Bool): void {
    this.condition = alg.and(this.condition, invariant);
    this.invariants = alg.and(this.invariants, invariant);
  }

  clone(): PathState {
    return new PathState(
      this.condition,
      new Map(this.locals),
      [...this.slots],
      new Map(this.versions),
      this.downgradeUnflushed,
      this.flushPending,
      this.folioDirtied,
      [...this.decisions],
      [...this.events],
      this.steps,
      new Map(this.loopVisits),
      this.guard,
      this.invariants,
      new Map(this.opaques),
      new Map(this.slotsByAddress),
      this.folioExclusive,
      this.outerDowngrade,
      this.mmapWriteLocked,
      this.folioLocked,
      this.folioLockDowngrade,
      this.domainAssumed,
    );
  }

  /** Bumps the version of a name, so opaque conditions mentioning it become new unknowns. */
  touch(name: string): void {
    this.versions.set(name, (this.versions.get(name) ?? 0) + 1);
  }
}
