// Summaries of the functions a document calls but does not define, computed on demand from
// their definitions elsewhere in the tree and kept by content: a summary is reused until the
// function's text, a callee's, or the analysis options change.
//
// Definitions are taken a strongly connected component of the call graph at a time, callees'
// components first. A function's key is its component's: the texts of the component's members
// and what the summaries of the functions they call say (summaryFingerprint), so an edit that
// leaves a function's summary as it was summarises none of its callers again. A call within a
// component (recursion) is an unknown call, so a summary and its key depend only on the tree,
// never on which document asked first or what it had resolved before.

import {
  analyzeFunctionSafely,
  type FunctionAnalysis,
  calledNames,
  EntryFreeFunctions,
  modelledCalls,
  parseProfile,
  stoppedEarly,
  type AnalysisOptions,
  type FunctionSummary,
  type IrFunction,
  type SummaryLookup,
} from '../../../simulator/src';
import { contentHash } from '../lowering/contentHash';
import { Lru } from './lru';
import { summaryFingerprint } from './summaryFingerprint';

/** Where definitions come from: lowered on demand, by name. */
export interface DefinitionSource {
  /** The definition of `name` a call from the file `from` means, lowered (undefined when there is none, or several). */
  lower(name: string, from?: string): IrFunction | undefined;
}

/**
 * Summaries by content, shared across documents and edits (the language server keeps one, the
 * CLI one per index of functions). A key says everything a summary depends on, so a summary
 * found under it is the one analysing would give. `backing` keeps them across runs (the CLI's
 * cache directory).
 */
export class SummaryStore {
  private readonly summaries = new Lru<string, { readonly summary: FunctionSummary | undefined }>(8000);
  private readonly roots = new Lru<string, RootAnalysis>(4000);
  /** Whether an analysis another worker is running throws AnalysisElsewhere instead of being waited for (TreeSummaries.prepare). */
  private deferring = false;

  constructor(private readonly backing?: SummaryBacking) {}

  get(key: string): { readonly summary: FunctionSummary | undefined } | undefined {
    const kept = this.summaries.get(key);
    if (kept || !this.backing) return kept;
    const read = this.backing.read(key);
    if (read === undefined) return undefined;
    const entry = { summary: read ?? undefined };
    this.summaries.set(key, entry);
    return entry;
  }

  set(key: string, summary: FunctionSummary | undefined): void {
    this.summaries.set(key, { summary });
    this.backing?.write(key, summary ?? null);
  }

  /**
   * A definition analysed as a root, under its summary's key and the findings' context. Kept in
   * the backing too: another worker of the run (or the next run) that checks the definition's file
   * takes it from there instead of analysing it again.
   */
  getRoot(key: string): RootAnalysis | undefined {
    const kept = this.roots.get(key);
    if (kept || !this.backing?.readRoot) return kept;
    const read = this.backing.readRoot(key);
    if (read) this.roots.set(key, read);
    return read;
  }

  setRoot(key: string, analysed: RootAnalysis): void {
    this.roots.set(key, analysed);
    this.backing?.writeRoot?.(key, analysed);
  }

  /** `run` with `once` throwing AnalysisElsewhere where it would wait. */
  deferringIn<T>(run: () => T): T {
    const outer = this.deferring;
    this.deferring = true;
    try {
      return run();
    } finally {
      this.deferring = outer;
    }
  }

  /**
   * What `kept` finds, else `analyse()` — unless another worker is analysing `key` now: then what
   * it kept once it is done (analysed here after all when it kept nothing, e.g. cut short).
   */
  once<T>(key: string, kept: () => T | undefined, analyse: () => T): T {
    const claims = this.backing?.claims;
    if (!claims) return kept() ?? analyse();
    while (!claims.claim(key)) {
      if (this.deferring) throw new AnalysisElsewhere(key);
      claims.waitFor(key);
      const found = kept();
      if (found !== undefined) return found;
    }
    try {
      return kept() ?? analyse();
    } finally {
      claims.release(key);
    }
  }
}

/** An analysis the caller needs is running in another worker (SummaryStore.deferringIn): the caller may do other work first and ask again. */
export class AnalysisElsewhere extends Error {
  constructor(key: string) {
    super(`the analysis ${key} is running in another worker`);
  }
}

/** A definition of the tree analysed as a root (what it reports when nothing calls it) and its summary: one analysis gives both. */
export interface RootAnalysis {
  readonly analysis: FunctionAnalysis;
  readonly summary: FunctionSummary | undefined;
}

/**
 * Definitions that are also checked as documents (the CLI checks files of the tree): analysed
 * as roots when first summarised, so that checking the file reuses the analysis. `key` says
 * what else their findings depend on (which files findings may be placed in).
 */
export interface RootReports {
  readonly files: (origin: string) => boolean;
  readonly key: string;
}

/** Where summaries outlive a run: `read` gives undefined when nothing is kept, null for "no summary". */
export interface SummaryBacking {
  read(key: string): FunctionSummary | null | undefined;
  write(key: string, summary: FunctionSummary | null): void;
  /** Root analyses (undefined: none kept under `key`). */
  readRoot?(key: string): RootAnalysis | undefined;
  writeRoot?(key: string, analysed: RootAnalysis): void;
  /** The analyses other workers sharing the backing are running now (cli/analysisClaims.ts). */
  readonly claims?: AnalysisClaims;
}

/** Analyses under way, shared by the workers of a check so that two do not run the same one at once. */
export interface AnalysisClaims {
  /** True when this worker may run the analysis of `key` (no other one is running it); it then releases it when done. */
  claim(key: string): boolean;
  release(key: string): void;
  /** Waits until the analysis of `key` another worker claimed is over (or its claim is stale). */
  waitFor(key: string): void;
}

const storesByDefinitions = new WeakMap<DefinitionSource, SummaryStore>();

/** The store shared by everything that resolves calls through one index of definitions. */
export function summaryStoreFor(definitions: DefinitionSource, backing?: SummaryBacking): SummaryStore {
  let store = storesByDefinitions.get(definitions);
  if (!store) {
    store = new SummaryStore(backing);
    storesByDefinitions.set(definitions, store);
  }
  return store;
}

/** One definition of the tree, as a call from some file resolves it. */
interface Node {
  readonly id: string;
  readonly fn: IrFunction;
  /** The definitions its calls resolve to (modelled helpers and entry-free functions left out). */
  readonly callees: readonly Node[];
  /** The members of its call-graph component (calls to them are unknown calls). */
  component?: ReadonlySet<Node>;
  key?: string;
  summary?: FunctionSummary;
  done?: boolean;
}

export class TreeSummaries implements SummaryLookup {
  private readonly entryFreeFunctions: EntryFreeFunctions;
  private readonly isModelled: (name: string) => boolean;
  private readonly nodes = new Map<string, Node | null>();
  /** How many summaries were computed (not reused), for tests and logs. */
  readonly counts = { analysed: 0 };

  constructor(
    private readonly definitions: DefinitionSource,
    private readonly options: AnalysisOptions,
    private readonly store: SummaryStore = summaryStoreFor(definitions),
    /** Names the caller defines itself (they shadow the tree's). */
    private readonly shadowed: (name: string) => boolean = () => false,
    private readonly roots?: RootReports,
  ) {
    const profile = options.profile ?? 'x86_64';
    this.isModelled = modelledCalls(typeof profile === 'string' ? parseProfile(profile) : profile);
    // what the tree's functions are does not depend on the document that asks
    this.entryFreeFunctions = new EntryFreeFunctions((name, from) => definitions.lower(name, from), this.isModelled);
  }

  /** Whether `name`, defined in the tree (and not by the document), cannot touch entries (no summary needed). */
  readonly entryFree = (name: string): boolean => !this.shadowed(name) && this.entryFreeFunctions.isEntryFree(name);

  get(name: string): FunctionSummary | undefined {
    const node = this.shadowed(name) ? undefined : this.node(name, undefined);
    return node ? this.summaryOf(node) : undefined;
  }

  /**
   * Summarises what a unit's functions will ask for before any is analysed: the tree's functions
   * `names` calls mean, and the unit's own functions as the tree defines them in `file` (when the
   * unit is that checked file). An analysis another worker is running throws AnalysisElsewhere.
   */
  prepare(names: Iterable<string>, file: string | undefined): void {
    this.store.deferringIn(() => {
      for (const name of names) {
        if (!this.shadowed(name)) this.keyOf(name);
        else if (file !== undefined) {
          const own = this.node(name, file);
          if (own?.fn.origin === file) this.settle(own);
        }
      }
    });
  }

  /** What `name`'s summary is kept under: it changes when anything the summary depends on does. */
  keyOf(name: string): string | undefined {
    const node = this.shadowed(name) ? undefined : this.node(name, undefined);
    if (!node) return undefined;
    this.settle(node);
    return node.key;
  }

  /** The definition a call to `name` from `from` means, with its callees (null: none to summarise). */
  private node(name: string, from: string | undefined): Node | undefined {
    if (this.isModelled(name)) return undefined;
    const fn = this.definitions.lower(name, from);
    if (!fn) return undefined;
    const id = `${fn.origin ?? ''}\0${name}`;
    const known = this.nodes.get(id);
    if (known !== undefined) return known ?? undefined;
    if (this.entryFreeFunctions.isEntryFree(name, from)) {
      this.nodes.set(id, null);
      return undefined;
    }
    const callees: Node[] = [];
    const node: Node = { id, fn, callees };
    this.nodes.set(id, node);
    for (const callee of [...calledNames(fn)].sort()) {
      const resolved = callee === name ? undefined : this.node(callee, fn.origin);
      if (resolved) callees.push(resolved);
    }
    return node;
  }

  private summaryOf(node: Node): FunctionSummary | undefined {
    this.settle(node);
    return node.summary;
  }

  /**
   * Keys and summaries for `start` and everything it reaches: components in Tarjan's order
   * (callees first), iteratively, so deep call chains cannot overflow the stack.
   */
  private settle(start: Node): void {
    if (start.done) return;
    const index = new Map<Node, number>();
    const low = new Map<Node, number>();
    const stack: Node[] = [];
    const onStack = new Set<Node>();
    let counter = 0;
    const work: Array<{ node: Node; next: number }> = [];
    const enter = (node: Node) => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: 0 });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const callee = frame.node.callees[frame.next];
      if (callee) {
        frame.next++;
        if (callee.done) continue;
        if (!index.has(callee)) enter(callee);
        else if (onStack.has(callee)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(callee)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: Node[] = [];
      for (;;) {
        const member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
        if (member === frame.node) break;
      }
      this.summarise(component);
    }
  }

  /** Keys and summaries of one component, whose callees outside it are done. */
  private summarise(component: Node[]): void {
    const members = new Set(component);
    const outside = [...new Set(component.flatMap((node) => node.callees.filter((callee) => !members.has(callee)).map((callee) => `${callee.id}=${summaryFingerprint(callee.summary)}`)))].sort();
    const key = contentHash(optionsKey(this.options), ...component.map((node) => `${node.id}=${node.fn.contentHash}`).sort(), ...outside);
    for (const node of component) {
      node.key = contentHash(key, node.id);
      node.component = members;
    }
    for (const node of component) {
      const asRoot = this.roots?.files(node.fn.origin ?? '') ?? false;
      node.summary = this.store.once<{ readonly summary: FunctionSummary | undefined }>(node.key!, () => this.store.get(node.key!), () => this.analyse(node, asRoot)).summary;
      node.done = true;
    }
  }

  /**
   * The tree's definition of `name` in `file` analysed as a root, when the document `file`
   * would analyse it alike: the same text (`contentHash`), every function of the document it
   * reaches through the document's own functions the tree's too (`ownHash` gives the document's
   * hash of each), and none of them in a cycle of calls (the tree leaves calls within a cycle
   * unknown, the document applies the summaries of the members it analysed first). Otherwise
   * undefined (the document is analysed on its own).
   */
  rootAnalysis(name: string, file: string, contentHash: string, ownHash: (name: string) => string | undefined): RootAnalysis | undefined {
    if (!this.roots) return undefined;
    const node = this.node(name, file);
    if (!node || node.fn.origin !== file || node.fn.contentHash !== contentHash) return undefined;
    const reached = this.ownReached(node, file, ownHash);
    if (!reached) return undefined;
    this.settle(node);
    if (reached.some((own) => own.component!.size > 1)) return undefined;
    // claimed under the summary's key: a worker summarising the definition analyses it as a root too
    return this.store.once(node.key!, () => this.store.getRoot(this.rootKey(node)), () => this.analyse(node, true));
  }

  /** `start` and the functions of `file` it reaches through them, or undefined when a call to a function the document defines means another definition. */
  private ownReached(start: Node, file: string, ownHash: (name: string) => string | undefined): Node[] | undefined {
    const reached = new Set([start]);
    for (const node of reached) {
      for (const callee of calledNames(node.fn)) {
        const own = ownHash(callee);
        if (own === undefined) continue;
        const resolved = callee === node.fn.name ? node.fn : this.definitions.lower(callee, file);
        if (resolved?.origin !== file || resolved.contentHash !== own) return undefined;
      }
      for (const callee of node.callees) if (callee.fn.origin === file) reached.add(callee);
    }
    return [...reached];
  }

  private rootKey(node: Node): string {
    return `${node.key}|${this.roots?.key ?? ''}`;
  }

  /** Analyses a settled component's member (calls within the component are unknown: the result depends on the tree alone). */
  private analyse(node: Node, asRoot: boolean): RootAnalysis {
    const members = node.component ?? new Set([node]);
    const byName = new Map(node.callees.filter((callee) => !members.has(callee)).map((callee) => [callee.fn.name, callee]));
    const lookup: SummaryLookup = { get: (name) => byName.get(name)?.summary };
    const entryFree = (name: string) => this.entryFreeFunctions.isEntryFree(name, node.fn.origin);
    const result = analyzeFunctionSafely(node.fn, { summaries: lookup, entryFree, root: asRoot }, { ...this.options, detail: 'findings' });
    this.counts.analysed++;
    // one out of its time is used in this run, never kept: another run may get further
    if (stoppedEarly(result.analysis)) return result;
    if (!this.store.get(node.key!)) this.store.set(node.key!, result.summary);
    if (asRoot) this.store.setRoot(this.rootKey(node), result);
    return result;
  }
}

/** What of the engine's options a result depends on: the profile, the bounds, the rules, the helpers' model (a tree's, by its identity). */
export function optionsKey(options: AnalysisOptions): string {
  const profile = typeof options.profile === 'string' || options.profile === undefined ? options.profile : options.profile.name;
  const rules = options.rules ? [...options.rules].sort() : null;
  return JSON.stringify({ profile, bounds: options.bounds ?? null, rules, model: options.model?.id ?? 'builtin' });
}
