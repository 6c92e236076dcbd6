// `mmlens check`: analyse files, directories, patches and mailboxes; print the
// findings; exit 0 (none), 1 (findings, or with --verify expectations not met).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { DocumentAnalysis, DocumentFinding } from '../analysis/analyzeDocument';
import { checkExpectations, formatExpectationReport } from '../analysis/expectations';
import { allRuleIds } from '../headers/lawRules';
import { ModelSettingError, parseModelSetting, type ModelSetting } from '../analysis/helperModel';
import { KernelTreeError, openKernelTree, type KernelTree } from '../inputs/kernelTree';
import { chooseProfile } from '../inputs/profileChoice';
import { CParser, defaultWasmPaths } from '../parsing';
import { analyzeForCheck, type CheckSettings } from './checkDocument';
import { callSitesOf } from '../analysis/callSites';
import { indexedPath } from '../analysis/workspaceFunctions';
import { testCodeSymbol } from '../inputs/testCode';
import { join, resolve } from 'node:path';
import { buildIdentity, cacheDirectory, removeClaims } from './summaryCache';
import { analyzeInWorkers, type CheckDocument } from './checkWorkers';
import { documentCosts } from './documentCosts';
import { InputError } from './errors';
import { collectFiles } from './files';
import { formatJson, formatSarif, formatText, type CheckedFile } from './formats';

export interface CheckOptions {
  readonly paths: readonly string[];
  /** A profile for every document; none (or `auto`): each document's tree or mail headers choose. */
  readonly profile?: string;
  /** The kernel tree of this check (its root): its version and .config choose the profile, for files inside it or not. */
  readonly tree?: string;
  /** `builtin` or `derived` (default): the helpers' model for code in a kernel tree (analysis/helperModel.ts). */
  readonly model?: string;
  readonly format: 'text' | 'json' | 'sarif';
  readonly rules?: readonly string[];
  /** Report only what the working tree's change against this git revision introduces. */
  readonly base?: string;
  /** Treat @mm expect annotations as the expected result (fixtures). */
  readonly verify: boolean;
  /** In patches, also report findings the patch leaves unchanged. */
  readonly all?: boolean;
  /** Worker threads (1 = analyse in this thread). */
  readonly jobs: number;
  /** Reuse and keep analyses in the cache directory (default: no). */
  readonly cache?: boolean;
  /** Told after each document (progress on a terminal). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface CheckOutcome {
  readonly output: string;
  readonly exitCode: number;
}

function validate(options: CheckOptions): ReadonlySet<string> | undefined {
  chooseProfile({ given: options.profile }); // throws ProfileError on a profile that does not parse
  modelSetting(options.model);
  if (!['text', 'json', 'sarif'].includes(options.format)) throw new InputError(`--format must be text, json or sarif, not "${options.format}"`);
  if (!options.rules) return undefined;
  const known = new Set(allRuleIds());
  const unknown = options.rules.filter((r) => !known.has(r));
  if (unknown.length > 0) throw new InputError(`unknown rule ${unknown.join(', ')} (see mmlens rules)`);
  return new Set(options.rules);
}

function documentsFor(options: CheckOptions): { documents: CheckDocument[]; errors: string[] } {
  if (options.base !== undefined) {
    let diff: string;
    try {
      diff = execFileSync('git', ['diff', '--no-color', '--no-ext-diff', options.base, '--', ...options.paths], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      throw new InputError(`git diff ${options.base} failed: ${((error as { stderr?: string }).stderr ?? (error as Error).message).trim()}`);
    }
    return { documents: diff.trim() === '' ? [] : [{ path: `git diff ${options.base}`, text: diff }], errors: [] };
  }
  if (options.paths.length === 0) throw new InputError('check needs files or directories, e.g. mmlens check mm/mprotect.c');
  const { files, errors } = collectFiles(options.paths);
  const documents: CheckDocument[] = [];
  for (const path of files) {
    try {
      documents.push({ path, text: readFileSync(path, 'utf8') });
    } catch (error) {
      errors.push(`${path}: ${(error as Error).message}`);
    }
  }
  return { documents, errors };
}

/**
 * A C file reports everything. A patch reports what it introduces; what was already
 * there (unchanged) only with --all or --verify, since a hunk alone knows little of its
 * function's context; what it fixes is listed apart and does not count.
 */
function isReported(finding: DocumentFinding, options: CheckOptions): boolean {
  switch (finding.change) {
    case undefined:
    case 'introduced':
      return true;
    case 'unchanged':
      return options.base === undefined && (options.all || options.verify);
    case 'fixed':
      return false;
  }
}

/** Below this many documents, starting workers costs more than it saves. */
const MIN_DOCUMENTS_FOR_WORKERS = 4;

async function analyzeAll(documents: readonly CheckDocument[], settings: CheckSettings, options: CheckOptions): Promise<DocumentAnalysis[]> {
  const progress = (done: number) => options.onProgress?.(done, documents.length);
  if (options.jobs > 1 && documents.length >= MIN_DOCUMENTS_FOR_WORKERS) return analyzeInWorkers(documents, settings, options.jobs, progress, documentCosts(settings.cacheDirectory));
  const parser = await CParser.load(defaultWasmPaths());
  return documents.map((document, index) => {
    const analysis = analyzeForCheck(parser, document, settings);
    progress(index + 1);
    return analysis;
  });
}

const C_SOURCE = /\.[ch]$/;

/**
 * Each finding under the file it happens in: a function of one checked file may report what
 * happens in another (a callee's hazard, judged at its call), and two callers may reach the
 * same one. Findings of files that are not checked stay where they were placed.
 */
function findingsByFile(documents: readonly CheckDocument[], analyses: readonly DocumentAnalysis[], cwd: string): DocumentFinding[][] {
  const index = new Map(documents.map((d, i) => [indexedPath(d.path, cwd), i]));
  const placed: DocumentFinding[][] = documents.map(() => []);
  const seen = new Set<string>();
  analyses.forEach((analysis, i) => {
    for (const finding of analysis.findings) {
      const target = finding.file !== undefined ? (index.get(indexedPath(finding.file, cwd)) ?? i) : i;
      const key = `${target}|${finding.rule}|${finding.range.start.line}:${finding.range.start.character}|${finding.change ?? ''}|${finding.law?.id ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      placed[target]!.push(asTestCode(target === i ? finding : movedFrom(finding, documents[i]!.path), documents[target]!.path));
    }
  });
  return placed;
}

/** A finding moved to the file it happens in, from the document `path` that found it: the calls of that document it was reached by name it. */
function movedFrom(finding: DocumentFinding, path: string): DocumentFinding {
  const { file: _file, ...rest } = finding;
  return rest.via ? { ...rest, via: rest.via.map((step) => (step.file === undefined ? { ...step, file: path } : step)) } : rest;
}

/** In test code (a file built only with a test or debugging option) a finding is information, and says so. */
function asTestCode(finding: DocumentFinding, path: string): DocumentFinding {
  const symbol = testCodeSymbol(resolve(path));
  if (!symbol) return finding;
  return { ...finding, severity: 'information', testCode: `CONFIG_${symbol}`, message: `${finding.message} (test code: built only with CONFIG_${symbol})` };
}

/** `--tree DIR`, read once for the whole run; not a kernel tree is an input error. */
export function openTree(directory: string): KernelTree {
  try {
    return openKernelTree(directory);
  } catch (error) {
    throw error instanceof KernelTreeError ? new InputError(`--tree: ${error.message}`) : error;
  }
}

export async function runCheck(options: CheckOptions): Promise<CheckOutcome> {
  const rules = validate(options);
  if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new InputError(`--jobs takes a number of worker threads (1, 2, …), not "${options.jobs}"`);
  const tree = options.tree === undefined ? undefined : openTree(options.tree);
  const { documents, errors } = documentsFor(options);
  const sources = documents.filter((document) => C_SOURCE.test(document.path));
  const settings: CheckSettings = {
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(tree ? { tree } : {}),
    helperModel: modelSetting(options.model),
    cwd: process.cwd(),
    ...(rules ? { rules: [...rules] } : {}),
    ...(sources.length > 1 ? { callSites: callSitesOf(sources), checkedPaths: sources.map((d) => d.path) } : {}),
    ...(options.cache ? { cacheDirectory: cacheDirectory(buildIdentity(require.main?.filename ?? process.argv[1] ?? '')) } : {}),
  };
  // Without a cache the workers still share what they summarise during this run (each would
  // otherwise summarise the callees they have in common): a directory of the run's own, removed after it.
  const runCache = !settings.cacheDirectory && options.jobs > 1 && documents.length >= MIN_DOCUMENTS_FOR_WORKERS ? scratchDirectory() : undefined;
  let analyses: DocumentAnalysis[];
  try {
    analyses = await analyzeAll(documents, runCache ? { ...settings, cacheDirectory: runCache } : settings, options);
  } finally {
    if (runCache) rmSync(runCache, { recursive: true, force: true });
    else if (settings.cacheDirectory) removeClaims(settings.cacheDirectory);
  }
  const placed = findingsByFile(documents, analyses, settings.cwd);
  const checked: CheckedFile[] = [];
  const verifyLines: string[] = [];
  documents.forEach((document, index) => {
    const analysis = analyses[index]!;
    const reported = placed[index]!.filter((f) => isReported(f, options));
    const unchangedHidden = analysis.findings.filter((f) => f.change === 'unchanged' && !reported.includes(f)).length;
    checked.push({ path: document.path, analysis, findings: reported, fixed: analysis.findings.filter((f) => f.change === 'fixed'), unchangedHidden });
    if (options.verify) {
      const report = checkExpectations(analysis.annotations, reported.map((f) => ({ rule: f.rule, line: f.range.start.line })));
      // As clang's -verify: a file that states no expectation is not a test that passed.
      if (!report.isTest) verifyLines.push(`${document.path}: error: no @mm expect annotations (a file expected to be clean says /* @mm expect none */)`);
      verifyLines.push(...formatExpectationReport(document.path, report));
      verifyLines.push(...analysis.annotationErrors.map((e) => `${document.path}:${e.range.start.line + 1}: ${e.message}`));
    }
  });
  const fallback = chooseProfile({ given: options.profile, givenBy: 'flag' });
  const body = options.format === 'json' ? formatJson(checked, fallback) : options.format === 'sarif' ? formatSarif(checked, fallback) : formatText(checked, fallback).join('\n');
  const findings = checked.reduce((n, f) => n + f.findings.length, 0);
  const lines = [body, ...errors.map((e) => `mmlens: ${e}`)];
  if (options.verify) {
    lines.push(verifyLines.length === 0 ? `verify: all expectations met in ${checked.length} files` : ['verify: expectations not met:', ...verifyLines].join('\n'));
  }
  const exitCode = errors.length > 0 ? 2 : options.verify ? (verifyLines.length > 0 ? 1 : 0) : findings > 0 ? 1 : 0;
  return { output: lines.join('\n'), exitCode };
}

/** `--model`, checked: a bad value is an input error. */
export function modelSetting(value: string | undefined): ModelSetting {
  try {
    return parseModelSetting(value);
  } catch (error) {
    throw error instanceof ModelSettingError ? new InputError(error.message) : error;
  }
}

/** A directory of this run's own, or none where the system's temporary directory cannot have one (then the workers share nothing). */
function scratchDirectory(): string | undefined {
  try {
    return mkdtempSync(join(tmpdir(), 'mmlens-run-'));
  } catch {
    return undefined;
  }
}
