// Whole results of checked files, kept by what they were computed from: the file's text and the
// run's settings (the key), and the answers to what the analysis asked outside the file — the
// tree's definitions it reached (each by a fingerprint of its text), whether its functions are
// called from other checked files, the helpers' model. A later run takes a kept result when its
// key matches and every question still has the same answer: an unchanged file of an unchanged
// tree costs a hash, a read and those answers, never a parse or a lowering. Anything else is
// analysed again, and the per-function caches below decide what of it is reused.

import { stoppedEarly } from '../../../simulator/src';
import type { DocumentAnalysis } from './analyzeDocument';
import type { DefinitionLookup } from './workspaceFunctions';

/** What a file's result was computed from besides its key. */
export interface FileDependencies {
  /** Each definition looked up, with its fingerprint then. */
  readonly definitions: readonly (readonly [name: string, from: string, fingerprint: string])[];
  /** Each function asked about, and whether another checked file called it. */
  readonly calledElsewhere: readonly (readonly [name: string, called: boolean])[];
  /** The headers a model derived from the tree read, each with a hash of its text (none: the model is asked again). */
  readonly modelHeaders?: readonly (readonly [file: string, hash: string])[];
}

export interface StoredFileResult {
  readonly dependencies: FileDependencies;
  readonly analysis: DocumentAnalysis;
}

export interface FileResultBacking {
  read(key: string): StoredFileResult | undefined;
  write(key: string, stored: StoredFileResult): void;
}

/** The questions as the run at hand answers them. */
export interface DependencyAnswers {
  fingerprint(name: string, from: string | undefined): string;
  calledElsewhere(name: string): boolean;
  /** The helpers' model the profile `profile` gets now, as the analysis states it (JSON). */
  model(profile: string): string;
  /** The headers the model of `profile` derived from the tree read, with a hash of each (undefined: none derived). */
  modelHeaders(profile: string): readonly (readonly [file: string, hash: string])[] | undefined;
  /** A hash of a header of the tree as it is now. */
  headerHash(file: string): string;
}

/** An analysis run that reports what it asked. */
export interface RecordedAnalysis {
  readonly analysis: DocumentAnalysis;
  readonly definitions: readonly DefinitionLookup[];
  readonly calledElsewhere: ReadonlyMap<string, boolean>;
}

export class FileResults {
  /** How many files were taken from the backing and how many analysed, for tests and logs. */
  readonly counts = { reused: 0, analysed: 0 };

  constructor(private readonly backing: FileResultBacking) {}

  /** The file's result under `key`: kept and still valid, else `analyse`d and kept. */
  resultOf(key: string, answers: DependencyAnswers, analyse: () => RecordedAnalysis): DocumentAnalysis {
    const kept = this.backing.read(key);
    if (kept && stillValid(kept, answers)) {
      this.counts.reused++;
      return kept.analysis;
    }
    const run = analyse();
    this.counts.analysed++;
    // a function cut short by the clock makes the file's result one of this run only
    if (run.analysis.functions.some(stoppedEarly)) return run.analysis;
    const profile = run.analysis.model?.kind === 'derived' ? run.analysis.profile?.profile : undefined;
    const modelHeaders = profile === undefined ? undefined : answers.modelHeaders(profile);
    this.backing.write(key, {
      analysis: run.analysis,
      dependencies: {
        definitions: run.definitions.map(([name, from]) => [name, from, answers.fingerprint(name, from || undefined)] as const),
        calledElsewhere: [...run.calledElsewhere].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        ...(modelHeaders ? { modelHeaders } : {}),
      },
    });
    return run.analysis;
  }
}

function stillValid(kept: StoredFileResult, answers: DependencyAnswers): boolean {
  const { definitions, calledElsewhere, modelHeaders } = kept.dependencies;
  const { model, profile } = kept.analysis;
  // the same headers give the same model: reading them is much cheaper than deriving it
  if (modelHeaders) {
    if (!modelHeaders.every(([file, hash]) => answers.headerHash(file) === hash)) return false;
  } else if (model && (!profile || answers.model(profile.profile) !== JSON.stringify(model))) return false;
  return calledElsewhere.every(([name, called]) => answers.calledElsewhere(name) === called) && definitions.every(([name, from, fingerprint]) => answers.fingerprint(name, from || undefined) === fingerprint);
}
