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
  /** The one definition of `name`, lowered (undefined when there is none, or several). */
  lower(name: string): IrFunction | undefined;
}

/** Summaries by content, shared across documents and edits (the language server keeps one). */
export class SummaryStore {
  private readonly summaries = new Lru<string, { readonly summary: FunctionSummary | undefined; readonly key: string }>(4000);

  get(key: string): { readonly summary: FunctionSummary | undefined; readonly key: string } | undefined {
    return this.summaries.get(key);
  }

  set(key: string, summary: FunctionSummary | undefined): void {
    this.summaries.set(key, { summary, key });
  }
}

export class TreeSummaries implements SummaryLookup {
  private readonly computed = new Map<string, { summary: FunctionSummary | undefined; key: string }>();
  private readonly inProgress = new Set<string>();
  private readonly entryFreeFunctions: EntryFreeFunctions;
  private readonly isModelled: (name: string) => boolean;
  /** How many summaries were computed (not reused), for tests and logs. */
  readonly counts = { analysed: 0 };

  constructor(
    private readonly definitions: DefinitionSource,
    private readonly options: AnalysisOptions,
    private readonly store: SummaryStore = new SummaryStore(),
    /** Names the caller defines itself (they shadow the tree's). */
    private readonly shadowed: (name: string) => boolean = () => false,
  ) {
    const profile = options.profile ?? 'x86_64';
    this.isModelled = modelledCalls(typeof profile === 'string' ? parseProfile(profile) : profile);
    this.entryFreeFunctions = new EntryFreeFunctions((name) => (shadowed(name) ? undefined : definitions.lower(name)), this.isModelled);
  }

  /** Whether `name`, defined in the tree, cannot touch entries (no summary needed). */
  readonly entryFree = (name: string): boolean => !this.shadowed(name) && this.entryFreeFunctions.isEntryFree(name);

  get(name: string): FunctionSummary | undefined {
    return this.resolve(name)?.summary;
  }

  /** What `name`'s summary is kept under: it changes when anything the summary depends on does. */
  keyOf(name: string): string | undefined {
    return this.resolve(name)?.key;
  }

  /** The summary of `name` and the key it is kept under (undefined: no definition, or a call cycle). */
  private resolve(name: string): { summary: FunctionSummary | undefined; key: string } | undefined {
    if (this.shadowed(name)) return undefined;
    const known = this.computed.get(name);
    if (known) return known;
    if (this.inProgress.has(name) || this.isModelled(name)) return undefined;
    const fn = this.definitions.lower(name);
    if (!fn || this.entryFree(name)) return undefined;
    this.inProgress.add(name);
    try {
      const callees = [...calledNames(fn)].filter((callee) => callee !== name).sort();
      const calleeKeys = callees.map((callee) => `${callee}=${this.resolve(callee)?.key ?? '-'}`);
      const key = contentHash(fn.contentHash, fn.origin ?? '', optionsKey(this.options), ...calleeKeys);
      let entry = this.store.get(key);
      if (!entry) {
        const result = analyzeFunctionSafely(fn, { summaries: this, entryFree: this.entryFree, root: false }, { ...this.options, detail: 'findings' });
        this.counts.analysed++;
        this.store.set(key, result.summary);
        entry = { summary: result.summary, key };
      }
      this.computed.set(name, entry);
      return entry;
    } finally {
      this.inProgress.delete(name);
    }
  }
}

function optionsKey(options: AnalysisOptions): string {
  const profile = typeof options.profile === 'string' || options.profile === undefined ? options.profile : options.profile.name;
  const rules = options.rules ? [...options.rules].sort() : null;
  return JSON.stringify({ profile, bounds: options.bounds ?? null, rules });
}
