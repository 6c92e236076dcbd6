// Plain data in and out of the interleaving explorer (issue 14, item 2). A program is a
// profile, the initial facts of one page (its entry, VMA and folio) and, per CPU, a list of
// operations from the library (`concurrentOperations`). The result says whether every
// schedule up to the bounds keeps the properties, how much was explored, and the first
// violating schedule as rows: which CPU took which step, the entry and every TLB after it.

/** An argument value as a scenario file writes it. */
export type OperationArg = string | number | boolean;

export interface ProgramOperation {
  /** Name in the operation library, e.g. `write`, `uffd_wp`. */
  readonly op: string;
  readonly args?: Readonly<Record<string, OperationArg>>;
  /** Where the operation was written (for diagnostics); carried into the result. */
  readonly line?: number;
}

export interface ProgramCpu {
  readonly name: string;
  readonly ops: readonly ProgramOperation[];
}

export interface InitialFacts {
  /**
   * The page's entry: form and bit names of the profile's layout set to true, e.g.
   * `{ present: true, W: true, D: true, A: true }`. Without a form the entry is present.
   */
  readonly entry: Readonly<Record<string, boolean>>;
  /** vm_flags and VMA facts that hold (`VM_READ`, `VM_WRITE`, `VM_UFFD_WP`, `anonymous` …); all others are clear. */
  readonly vma: { readonly flags: readonly string[] };
  /** Facts of the folio the entry maps (`anon`, `exclusive`, `pinned` …); all others are clear. */
  readonly folio?: readonly string[];
}

export interface InterleavingProgram {
  /** A profile name, e.g. `x86_64@5.11`; it picks each operation's variant by kernel version. */
  readonly profile: string;
  readonly initial: InitialFacts;
  /** One to three CPUs. */
  readonly cpus: readonly ProgramCpu[];
  /** Property ids to check (`propertyIds()`); default: all that apply on the profile. */
  readonly properties?: readonly string[];
}

export type Reduction = 'sleep-sets' | 'none';

export interface ExploreOptions {
  /** Longest schedule followed, in atomic steps (default 200). */
  readonly maxSteps?: number;
  /** States stored before exploration stops (default 200,000). */
  readonly maxStates?: number;
  /** Partial-order reduction (default sleep sets). `none` explores every interleaving. */
  readonly reduction?: Reduction;
  /** Polled between steps; when it answers true the exploration stops and says so. */
  readonly isCancelled?: () => boolean;
}

export interface ExploreBounds {
  readonly maxSteps: number;
  readonly maxStates: number;
  readonly reduction: Reduction;
  /** Some schedule was cut at maxSteps: schedules longer than that were not followed. */
  readonly stepsExceeded: boolean;
  /** maxStates was reached: the exploration stopped early. */
  readonly statesExceeded: boolean;
}

export interface ExploredCounts {
  /** Distinct states stored (the state hash table). */
  readonly states: number;
  /** Complete schedules in the explored graph: paths from the start to a state where no CPU can move. */
  readonly schedules: number;
  /** Steps executed, revisits of stored states included. */
  readonly transitions: number;
  /** End states in which some CPU had not finished (waiting on a lock or on userfaultfd). */
  readonly blocked: number;
}

/** One step of a schedule, with the state after it. */
export interface ScheduleRow {
  readonly cpu: string;
  /** The operation the step belongs to (library name) and where it was written. */
  readonly op: string;
  readonly opLine?: number;
  /** What the step did, in kernel terms, e.g. `PTL; wrprotect + uffd-wp; flush deferred`. */
  readonly action: string;
  /** The entry after the step, e.g. `P0 present W=0 D=1 UW=1` (P0: the page it maps). */
  readonly entry: string;
  /** Per CPU name: its TLB entry for the page, e.g. `P0 rw dirty`, `P0 ro`, `-`. */
  readonly tlbs: Readonly<Record<string, string>>;
  /** mm->tlb_flush_pending after the step. */
  readonly flushPending: number;
  /** Locks held after the step, e.g. `PTL:cpu1 mmap:r(cpu0)`. */
  readonly locks: string;
}

export interface InterleavingViolation {
  readonly property: string;
  readonly message: string;
  /** The CPU whose step broke the property, and the operation's line. */
  readonly cpu: string;
  readonly op: string;
  readonly opLine?: number;
  /** The steps from the initial state to the violation (the last row is the violating step). */
  readonly schedule: readonly ScheduleRow[];
  /** The initial state, as a row before the schedule (cpu and action empty). */
  readonly initial: ScheduleRow;
}

/** A program the explorer cannot run: unknown operation, bad argument, too many CPUs … */
export interface ProgramError {
  readonly message: string;
  readonly cpu?: string;
  readonly opLine?: number;
}

export interface InterleavingResult {
  /** No violation in any explored schedule (false too when the program has an error). */
  readonly holds: boolean;
  readonly cancelled: boolean;
  /** Every schedule up to the bounds was explored (not cancelled, no bound reached, no error). */
  readonly complete: boolean;
  readonly profile: string;
  /** The properties checked. */
  readonly properties: readonly string[];
  readonly bounds: ExploreBounds;
  readonly explored: ExploredCounts;
  /** Which library variant each operation ran as on this profile (name → kernel source cited). */
  readonly variants: Readonly<Record<string, string>>;
  readonly violation?: InterleavingViolation;
  readonly error?: ProgramError;
}

export interface OperationParamInfo {
  readonly name: string;
  readonly type: 'string' | 'number' | 'boolean';
  readonly doc: string;
  readonly values?: readonly string[];
  readonly default?: OperationArg;
}

/** One variant of an operation: the kernel code it stands for over a version range. */
export interface OperationVariantInfo {
  /** Kernel versions [since, until), e.g. since `5.12`. */
  readonly since?: string;
  readonly until?: string;
  /** Kernel functions and files, e.g. `mm/memory.c : do_wp_page, wp_page_copy`. */
  readonly source: string;
  /** The atomic steps, in order, as shown in schedules. */
  readonly steps: readonly string[];
  /** What distinguishes this variant. */
  readonly doc: string;
}

export interface ConcurrentOperationInfo {
  readonly name: string;
  readonly params: readonly OperationParamInfo[];
  /** One line for the operation-library table. */
  readonly doc: string;
  readonly variants: readonly OperationVariantInfo[];
}

export interface PropertyInfo {
  readonly id: string;
  readonly doc: string;
}
