// Summaries of the functions a document calls but does not define, computed on demand from
// their definitions elsewhere in the tree, callees first (each definition's own callees are
// summarised before it), and kept by content: a summary is reused until the function's text,
// one of its callees' summaries, or the analysis options change.

import {
  analyzeFunctionSafely,
  calledNames,
  EntryFreeFunctions,
  modelledCalls,
  parseProfile,
  type AnalysisOptions,
  type FunctionSummary,
  type IrFunction,
  type SummaryLookup,
} from '../../../simulator/src';
import { contentHash } from '../lowering/contentHash';
import { Lru } from './lru';

/** Where definitions come from: lowered on demand, by name. */
export interface DefinitionSource {
  /** The definition of `name` a call from the file `from` means, lowered (undefined when there is none, or several). */
  lower(name: string, from?: string): IrFunction | undefined;
}

/**
 * Summaries by content, shared across documents and edits (the language server keeps one, the
 * CLI one per index of functions). A key says everything a summary depends on — the function's
 * text, its file, the options and its callees' keys — so a summary found under it is the one
 * analysing would give. `backing` keeps them across runs (the CLI's cache directory).
 */
export class SummaryStore {
  private readonly summaries = new Lru<string, { readonly summary: FunctionSummary | undefined; readonly key: string }>(8000);

  constructor(private readonly backing?: SummaryBacking) {}

  get(key: string): { readonly summary: FunctionSummary | undefined; readonly key: string } | undefined {
    const kept = this.summaries.get(key);
    if (kept || !this.backing) return kept;
    const read = this.backing.read(key);
    if (read === undefined) return undefined;
    const entry = { summary: read ?? undefined, key };
    this.summaries.set(key, entry);
    return entry;
  }

  set(key: string, summary: FunctionSummary | undefined): void {
    this.summaries.set(key, { summary, key });
    this.backing?.write(key, summary ?? null);
  }
}

/** Where summaries outlive a run: `read` gives undefined when nothing is kept, null for "no summary". */
export interface SummaryBacking {
  read(key: string): FunctionSummary | null | undefined;
  write(key: string, summary: FunctionSummary | null): void;
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

export class TreeSummaries implements SummaryLookup {
  private readonly entryFreeFunctions: EntryFreeFunctions;
  private readonly isModelled: (name: string) => boolean;
  /** How many summaries were computed (not reused), for tests and logs. */
  readonly counts = { analysed: 0 };

  constructor(
    private readonly definitions: DefinitionSource,
    private readonly options: AnalysisOptions,
    private readonly store: SummaryStore = summaryStoreFor(definitions),
    /** Names the caller defines itself (they shadow the tree's). */
    private readonly shadowed: (name: string) => boolean = () => false,
    /** The file the calls come from (its own static functions are visible to it). */
    private readonly from?: string,
  ) {
    const profile = options.profile ?? 'x86_64';
    this.isModelled = modelledCalls(typeof profile === 'string' ? parseProfile(profile) : profile);
    this.entryFreeFunctions = new EntryFreeFunctions((name) => (shadowed(name) ? undefined : definitions.lower(name, from)), this.isModelled);
  }

  /** Whether `name`, defined in the tree, cannot touch entries (no summary needed). */
  readonly entryFree = (name: string): boolean => !this.shadowed(name) && this.entryFreeFunctions.isEntryFree(name);
  private readonly computed = new Map<string, { summary: FunctionSummary | undefined; key: string }>();
  private readonly inProgress = new Set<string>();

  get(name: string): FunctionSummary | undefined {
    return this.resolve(name, this.from)?.summary;
  }

  /** What `name`'s summary is kept under: it changes when anything the summary depends on does. */
  keyOf(name: string): string | undefined {
    return this.resolve(name, this.from)?.key;
  }

  /** The summary of `name` as a call from `from` means it, and the key it is kept under (undefined: no definition, or a call cycle). */
  private resolve(name: string, from: string | undefined): { summary: FunctionSummary | undefined; key: string } | undefined {
    if (from === this.from && this.shadowed(name)) return undefined;
    if (this.isModelled(name)) return undefined;
    const fn = this.definitions.lower(name, from);
    if (!fn) return undefined;
    const id = `${fn.origin ?? ''}\0${name}`;
    const known = this.computed.get(id);
    if (known) return known;
    if (this.inProgress.has(id) || this.entryFreeFunctions.isEntryFree(name)) return undefined;
    this.inProgress.add(id);
    try {
      const callees = [...calledNames(fn)].filter((callee) => callee !== name).sort();
      const calleeKeys = callees.map((callee) => `${callee}=${this.resolve(callee, fn.origin)?.key ?? '-'}`);
      const key = contentHash(fn.contentHash, fn.origin ?? '', optionsKey(this.options), ...calleeKeys);
      let entry = this.store.get(key);
      if (!entry) {
        const lookup: SummaryLookup = { get: (callee) => this.resolve(callee, fn.origin)?.summary };
        const entryFree = (callee: string) => this.entryFreeFunctions.isEntryFree(callee);
        const result = analyzeFunctionSafely(fn, { summaries: lookup, entryFree, root: false }, { ...this.options, detail: 'findings' });
        this.counts.analysed++;
        this.store.set(key, result.summary);
        entry = { summary: result.summary, key };
      }
      this.computed.set(id, entry);
      return entry;
    } finally {
      this.inProgress.delete(id);
    }
  }
}

function optionsKey(options: AnalysisOptions): string {
  const profile = typeof options.profile === 'string' || options.profile === undefined ? options.profile : options.profile.name;
  const rules = options.rules ? [...options.rules].sort() : null;
  return JSON.stringify({ profile, bounds: options.bounds ?? null, rules });
}
