// Failing cases kept for replay: the input exactly as checked (bytes, or the server script as
// JSON) under a name that says target, run seed and case number, with a .json note beside it
// saying how it was made and what went wrong.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';

export type TargetName = 'c' | 'patch' | 'mail' | 'annotations' | 'cli' | 'lsp';

export interface Failure {
  readonly target: TargetName;
  readonly runSeed: number;
  readonly caseNumber: number;
  readonly seedName: string;
  readonly fileName: string;
  readonly mutations: readonly string[];
  readonly verdict: readonly string[];
  /** The text as the analysis got it, when the bytes do not say it (lone UTF-16 surrogates). */
  readonly text?: string;
  /** Where the input was written, when it was. */
  readonly file?: string;
}

export function saveFailure(dir: string, failure: Failure, input: Buffer | string): Failure {
  mkdirSync(dir, { recursive: true });
  const ext = failure.target === 'lsp' ? '.lsp.json' : extname(failure.fileName) || '.txt';
  const file = join(dir, `${failure.target}-seed${failure.runSeed}-case${failure.caseNumber}${ext}`);
  writeFileSync(file, input);
  writeFileSync(`${file}.note.json`, `${JSON.stringify({ ...failure, file }, null, 2)}\n`);
  return { ...failure, file };
}

/** The note written beside a failing input, if there is one. */
export function readFailureNote(file: string): Failure | undefined {
  try {
    return JSON.parse(readFileSync(`${file}.note.json`, 'utf8')) as Failure;
  } catch {
    return undefined;
  }
}
