// One atomic step of an operation runs against a StepContext: it reads and changes the
// shared state only through it, so the context knows what the step touched (its footprint).
// Two steps of different CPUs whose footprints do not conflict commute: that is the
// independence the partial-order reduction (search.ts) relies on, measured rather than declared.

import { checkProtectedWrite, checkUnlock } from './properties';
import type { OperationArg, OperationParamInfo } from './types';
import { sortedLocals, type CpuState, type EntryModel, type Local, type Page, type Tlb, type World } from './world';

const READ = 1;
const WRITE = 2;
/** A commutative update (a set insertion, a counter increment): commutes with other adds. */
const ADD = 4;

/** Resource name → the ways a step used it. */
export type Footprint = ReadonlyMap<string, number>;

export function conflicts(a: Footprint, b: Footprint): boolean {
  for (const [resource, x] of a) {
    const y = b.get(resource);
    if (y === undefined) continue;
    if ((x | y) & WRITE) return true;
    if ((x & READ && y & ADD) || (x & ADD && y & READ)) return true;
  }
  return false;
}

/** What every step can see besides the state: the entry model, the CPUs' names, the properties checked. */
export interface StepEnvironment {
  readonly model: EntryModel;
  readonly cpuNames: readonly string[];
  readonly checks: ReadonlySet<string>;
}

export interface PropertyReport {
  readonly property: string;
  readonly message: string;
  /** The CPU and operation the report blames (default: the stepping CPU). */
  readonly cpu?: number;
  readonly op?: number;
}

export const DONE = 'done';

export interface StepOutcome {
  /** What the step did, as shown in a schedule. */
  readonly action: string;
  /** Label of the next step of the operation, or DONE. */
  readonly next: string;
}

/** A step returns null when it cannot run yet (a lock is taken, it waits for an event). */
export type StepRun = (s: StepContext) => StepOutcome | null;

export interface StepDef {
  readonly label: string;
  /** One line for the operation library. */
  readonly summary: string;
  readonly run: StepRun;
}

/** One version range of an operation and the kernel code it stands for. */
export interface OperationVariant {
  readonly since?: string;
  readonly until?: string;
  readonly source: string;
  readonly doc: string;
  /** Helpers and predicates of the profile the steps apply (checked before a run). */
  readonly helpers: readonly string[];
  /** The first step is where the operation starts. */
  readonly steps: readonly StepDef[];
}

export interface ConcurrentOperation {
  readonly name: string;
  readonly doc: string;
  readonly params: readonly OperationParamInfo[];
  /** VMA flags the operation needs set (or clear): the kernel refuses it otherwise, or the model does not cover it. */
  readonly vmaNeeds?: readonly { readonly name: string; readonly set: boolean; readonly why: string }[];
  readonly variants: readonly OperationVariant[];
}

export class StepContext {
  private readonly used = new Map<string, number>();
  readonly reports: PropertyReport[] = [];
  private entryKey: string;
  private entryPage: number;
  private pages: Page[] | undefined;
  private ptl: number;
  private readers: number[];
  private writer: number;
  private pendingCount: number;
  private tlbs: (Tlb | null)[] | undefined;
  private locals: Record<string, Local>;

  constructor(
    readonly env: StepEnvironment,
    private readonly world: World,
    readonly cpu: number,
    readonly opIndex: number,
    readonly args: Readonly<Record<string, OperationArg>>,
  ) {
    this.entryKey = world.entry;
    this.entryPage = world.page;
    this.ptl = world.ptl;
    this.readers = [...world.mmapReaders];
    this.writer = world.mmapWriter;
    this.pendingCount = world.pending;
    this.locals = { ...world.cpus[cpu]!.locals };
  }

  get model(): EntryModel {
    return this.env.model;
  }

  get footprint(): Footprint {
    return this.used;
  }

  private use(resource: string, how: number): void {
    this.used.set(resource, (this.used.get(resource) ?? 0) | how);
  }

  // ---- the entry ----
  entry(): string {
    this.use('entry', READ);
    return this.entryKey;
  }

  /** The page the entry maps (-1: none). */
  page(): number {
    this.use('entry', READ);
    return this.entryPage;
  }

  setEntry(key: string, page: number): void {
    if (key === this.entryKey && page === this.entryPage) return this.use('entry', READ);
    this.use('entry', WRITE);
    this.entryKey = key;
    this.entryPage = page;
  }

  // ---- pages ----
  /** Folio facts of a page: fixed when the page is made, so reading them touches nothing shared. */
  pageFacts(page: number): readonly string[] {
    return page >= 0 ? this.world.pages[page]!.facts : [];
  }

  /** A write lands on `page`: its id joins the page's contents. */
  writeTo(page: number): string {
    const id = `${this.env.cpuNames[this.cpu]}#${this.opIndex + 1}`;
    checkProtectedWrite(this, page);
    this.use(`page${page}`, ADD);
    const pages = this.mutablePages();
    const old = pages[page]!;
    if (!old.writes.includes(id)) pages[page] = { ...old, writes: [...old.writes, id].sort() };
    return id;
  }

  /** A new page holding a copy of `from`'s contents. */
  copyPage(from: number, facts: readonly string[]): number {
    this.use(`page${from}`, READ);
    this.use('alloc', WRITE);
    const pages = this.mutablePages();
    pages.push({ writes: pages[from]!.writes, facts: [...facts].sort() });
    return pages.length - 1;
  }

  private mutablePages(): Page[] {
    if (!this.pages) this.pages = [...this.world.pages];
    return this.pages;
  }

  // ---- locks and the flush-pending counter ----
  tryLockPtl(): boolean {
    if (this.ptl >= 0) {
      this.use('ptl', READ);
      return false;
    }
    this.use('ptl', WRITE);
    this.ptl = this.cpu;
    return true;
  }

  /** Releases the PTL; a downgrade still cached somewhere is judged here (properties.ts). */
  unlockPtl(): void {
    checkUnlock(this);
    this.use('ptl', WRITE);
    this.ptl = -1;
  }

  holdsPtl(): boolean {
    return this.ptl === this.cpu;
  }

  /** Readers commute with each other; a writer conflicts with everyone. */
  tryMmapRead(): boolean {
    if (this.writer >= 0) {
      this.use('mmap', READ);
      return false;
    }
    this.use('mmap', ADD);
    this.readers = [...this.readers, this.cpu].sort((a, b) => a - b);
    return true;
  }

  mmapReadUnlock(): void {
    this.use('mmap', ADD);
    const i = this.readers.indexOf(this.cpu);
    if (i >= 0) this.readers = [...this.readers.slice(0, i), ...this.readers.slice(i + 1)];
  }

  tryMmapWrite(): boolean {
    if (this.writer >= 0 || this.readers.length > 0) {
      this.use('mmap', READ);
      return false;
    }
    this.use('mmap', WRITE);
    this.writer = this.cpu;
    return true;
  }

  mmapWriteUnlock(): void {
    this.use('mmap', WRITE);
    this.writer = -1;
  }

  mmapWriteLocked(): boolean {
    this.use('mmap', READ);
    return this.writer >= 0;
  }

  pending(): number {
    this.use('pending', READ);
    return this.pendingCount;
  }

  incPending(): void {
    this.use('pending', ADD);
    this.pendingCount++;
  }

  decPending(): void {
    this.use('pending', ADD);
    this.pendingCount--;
  }

  // ---- TLBs ----
  tlb(cpu: number = this.cpu): Tlb | null {
    this.use(`tlb${cpu}`, READ);
    return (this.tlbs ?? this.world.tlbs)[cpu]!;
  }

  setTlb(tlb: Tlb | null, cpu: number = this.cpu): void {
    this.use(`tlb${cpu}`, WRITE);
    if (!this.tlbs) this.tlbs = [...this.world.tlbs];
    this.tlbs[cpu] = tlb;
  }

  /** Every CPU drops its translation of the address (flush_tlb_page / flush_tlb_range: IPIs or broadcast). */
  flushTlbs(): void {
    for (let cpu = 0; cpu < this.world.tlbs.length; cpu++) this.setTlb(null, cpu);
  }

  cpuCount(): number {
    return this.world.tlbs.length;
  }

  // ---- this CPU's locals (private: no footprint) ----
  local(name: string): Local | undefined {
    return this.locals[name];
  }

  setLocal(name: string, value: Local): void {
    this.locals[name] = value;
  }

  // ---- properties ----
  checks(property: string): boolean {
    return this.env.checks.has(property);
  }

  report(property: string, message: string, blame: { cpu?: number; op?: number } = {}): void {
    this.reports.push({ property, message, ...blame });
  }

  /** The state after the step; the CPU moves to `next` (DONE: its next operation, with fresh locals). */
  finish(next: string, firstStepOf: (op: number) => string | undefined): World {
    const cpus = [...this.world.cpus];
    const nextOp = next === DONE ? this.opIndex + 1 : this.opIndex;
    const step = next === DONE ? (firstStepOf(nextOp) ?? DONE) : next;
    const cpuState: CpuState = { op: nextOp, step, locals: next === DONE ? {} : sortedLocals(this.locals) };
    cpus[this.cpu] = cpuState;
    return {
      entry: this.entryKey,
      page: this.entryPage,
      pages: this.pages ?? this.world.pages,
      ptl: this.ptl,
      mmapReaders: this.readers,
      mmapWriter: this.writer,
      pending: this.pendingCount,
      tlbs: this.tlbs ?? this.world.tlbs,
      cpus,
    };
  }
}
