// Findings as text (for people), JSON (for scripts) and SARIF 2.1.0 (for code-scanning CI).

import { RULES, changedBits, formatRendered, summarizeWitness, type Finding, type RenderedEvent } from '../../../simulator/src';
import { ruleDocUrl } from '../protocol';
import { readRuleDoc } from './explain';
import type { DocumentAnalysis, DocumentFinding, LawInfo } from '../analysis/analyzeDocument';
import { HELPER_LAW_RULE } from '../headers/lawRules';
import { formatCounterexample } from '../headers/counterexample';
import type { ProfileChoice } from '../inputs/profileChoice';
import type { ModelChoice } from '../analysis/helperModel';
import { formatDecisions } from '../analysis/decisions';
import { formatTraceTable } from '../analysis/traceText';
import { VERSION } from '../version';

export interface CheckedFile {
  readonly path: string;
  readonly analysis: DocumentAnalysis;
  /** The findings to report (after --rules, --base and --all filtering). */
  readonly findings: readonly DocumentFinding[];
  /** In patches: what the patch fixes (listed, not counted). */
  readonly fixed?: readonly DocumentFinding[];
  /** In patches: findings already there before the patch, not listed without --all. */
  readonly unchangedHidden?: number;
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note' } as const;

/** SARIF `help`: the rule page when installed (text without Markdown headings, and Markdown). */
function helpFor(rule: string): { help?: { text: string; markdown: string } } {
  const markdown = readRuleDoc(rule);
  return markdown === undefined ? {} : { help: { text: markdown.replace(/^#+\s*/gm, '').replace(/`/g, ''), markdown } };
}

function stepText(step: RenderedEvent): string {
  const entry = step.after ? `: ${step.before ? `${formatRendered(step.before)} → ` : ''}${formatRendered(step.after)}` : '';
  return `${step.kind} ${step.detail}${entry}`;
}


/** The finding's path as a table, its own step marked with the rule. */
function findingTable(finding: Finding): string[] {
  const at = finding.trace.map((e) => e.range.start.line === finding.range.start.line && e.range.start.character === finding.range.start.character);
  const index = at.lastIndexOf(true);
  return formatTraceTable(finding.trace, new Map(index >= 0 ? [[index, finding.rule]] : []));
}

/** Each file's profile choice (`fallback` for one that was not analysed). */
function choices(files: readonly CheckedFile[], fallback: ProfileChoice): ProfileChoice[] {
  return files.map((file) => file.analysis.profile ?? fallback);
}

/** The profile every file was analysed on; null when they differ. With no files, `fallback`'s. */
function sharedProfile(files: readonly CheckedFile[], fallback: ProfileChoice): string | null {
  const profiles = new Set(choices(files, fallback).map((c) => c.profile));
  return profiles.size === 0 ? fallback.profile : profiles.size === 1 ? [...profiles][0]! : null;
}

/** `profile x86_64@6.1 (from the mail's Date: 2022-12-05)`, once per distinct choice, naming the files when they differ. */
function profileLines(files: readonly CheckedFile[], fallback: ProfileChoice): string[] {
  const groups = new Map<string, { choice: ProfileChoice; paths: string[] }>();
  choices(files, fallback).forEach((choice, index) => {
    const key = `${choice.profile}\0${choice.reason}`;
    const group = groups.get(key) ?? { choice, paths: [] };
    group.paths.push(files[index]!.path);
    groups.set(key, group);
  });
  if (groups.size === 0) return [`profile ${fallback.profile} (${fallback.reason})`];
  return [...groups.values()].map(({ choice, paths }) => {
    const which = groups.size === 1 ? '' : `: ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''}`;
    return `profile ${choice.profile} (${choice.reason})${which}`;
  });
}

/** The distinct helper models the files were analysed with (none for files not analysed). */
function distinctModels(files: readonly CheckedFile[]): { readonly choice: ModelChoice; readonly paths: string[] }[] {
  const groups = new Map<string, { choice: ModelChoice; paths: string[] }>();
  for (const file of files) {
    const choice = file.analysis.model;
    if (!choice) continue;
    const key = `${choice.kind}\0${choice.reason}\0${choice.headers ?? ''}`;
    const group = groups.get(key) ?? { choice, paths: [] };
    group.paths.push(file.path);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** `model derived from the headers of DIR for P (N helpers from the tree, M built in: …)`, once per distinct model. */
function modelLines(files: readonly CheckedFile[]): string[] {
  const groups = distinctModels(files);
  return groups.map(({ choice, paths }) => {
    const which = groups.length === 1 ? '' : `: ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''}`;
    const builtin = choice.builtinHelpers ?? [];
    const counts = choice.kind === 'derived' ? ` (${choice.derivedHelpers} helpers from the tree, ${builtin.length} built in: ${builtin.slice(0, 6).map((h) => h.name).join(', ')}${builtin.length > 6 ? ', … — --format json says why' : ''})` : '';
    return `model ${choice.kind}: ${choice.reason}${counts}${which}`;
  });
}

export function formatText(files: readonly CheckedFile[], fallback: ProfileChoice): string[] {
  const lines: string[] = [];
  for (const file of files) {
    for (const problem of file.analysis.problems.filter((p) => p.severity !== 'info')) {
      lines.push(`${file.path}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: ${problem.severity}: ${problem.message} [input:${problem.code}]`);
    }
    for (const error of file.analysis.annotationErrors) {
      lines.push(`${file.path}:${error.range.start.line + 1}:${error.range.start.character + 1}: error: ${error.message} [annotation]`);
    }
    const notes = new Set<string>();
    for (const fn of file.analysis.functions) {
      for (const note of [...fn.notes, ...fn.boundsHit]) notes.add(`${file.path}:${fn.nameRange.start.line + 1}:${fn.nameRange.start.character + 1}: note: ${fn.name}: ${note}`);
    }
    lines.push(...notes);
    for (const f of file.findings) {
      const change = f.change ? ` (${f.change} by the patch)` : '';
      lines.push(`${file.path}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity}: ${f.message} [${f.rule}]${change}`);
      if (f.law) {
        lines.push(...lawLines(f.law));
        continue;
      }
      lines.push(`    in ${f.function}, path: ${formatDecisions(f.path)}`);
      lines.push(`    when: ${summarizeWitness(f.witness) || '(always)'}`);
      lines.push(...findingTable(f).map((row) => `  ${row}`));
    }
    for (const f of file.fixed ?? []) {
      lines.push(`${file.path}:${f.range.start.line + 1}:${f.range.start.character + 1}: note: fixed by the patch: ${f.message} [${f.rule}]`);
      if (f.law) lines.push(...lawLines(f.law));
      else lines.push(`    in ${f.function} before the patch, path: ${formatDecisions(f.path)}`);
    }
    if (file.unchangedHidden) lines.push(`${file.path}: note: ${file.unchangedHidden} finding${file.unchangedHidden === 1 ? '' : 's'} in the changed functions were there before the patch too (--all lists them)`);
  }
  lines.push(...profileLines(files, fallback), ...modelLines(files));
  const count = files.reduce((n, f) => n + f.findings.length, 0);
  const functions = files.reduce((n, f) => n + f.analysis.functions.length, 0);
  const paths = files.reduce((n, f) => n + f.analysis.functions.reduce((m, fn) => m + fn.paths.length, 0), 0);
  lines.push(`${count} finding${count === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'} (${functions} functions, ${paths} paths)`);
  return lines;
}

/** A law a header breaks: the law, an entry it fails on, the definitions it reads, the hunk. */
function lawLines(law: LawInfo): string[] {
  return [
    `    law ${law.id}@${law.levels.join(',')} on ${law.profile}: ${law.text}  [${law.semantics}]`,
    `    counterexample: ${formatCounterexample(new Map(Object.entries(law.counterexample)))}`,
    `    definitions: ${law.definitions.map((d) => `${d.name} (${d.file}:${d.line})`).join(', ')}`,
    ...(law.hunk ? [`    by hunk ${law.hunk.number} of ${law.hunk.file} ${law.hunk.header}`] : []),
  ];
}

const JSON_SEVERITY = { error: 'error', warning: 'warning', information: 'info' } as const;
const JSON_SIDE = { pre: 'before', post: 'after', source: null } as const;

function jsonStep(event: RenderedEvent) {
  return {
    line: event.range.start.line + 1,
    column: event.range.start.character + 1,
    kind: event.kind,
    detail: event.detail,
    before: event.before ?? null,
    after: event.after ?? null,
    changed: changedBits(event.before, event.after),
  };
}

/** The stable machine format: field names are a contract with other tools (docs/cli.md). */
export function formatJson(files: readonly CheckedFile[], fallback: ProfileChoice): string {
  const functions = files.flatMap((f) => f.analysis.functions);
  // What a patch fixes is listed too (`change: "fixed"`, `side: "before"`), and not counted.
  const findings = files.flatMap((file) =>
    [...file.findings, ...(file.fixed ?? [])].map((f) => ({
      rule: f.rule,
      severity: JSON_SEVERITY[f.severity],
      file: file.path,
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      function: f.function || null,
      side: JSON_SIDE[f.side],
      change: f.change ?? null,
      message: f.message,
      witness: f.witness,
      trace: f.trace.map(jsonStep),
      path: f.path.map((d) => ({ condition: d.text, taken: d.taken, line: d.range.start.line + 1 })),
      related: f.related.map((r) => ({ line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message })),
      assumptions: f.assumptions,
      // what the caller must pass for it to happen (a function nothing calls), and how it is reached
      condition: f.condition ?? null,
      via: (f.via ?? []).map((step) => ({ function: step.function, file: step.file ?? file.path, line: step.range.start.line + 1, callee: step.callee })),
      testCode: f.testCode ?? null,
      // a law a header (patch) breaks or fixes: which, on what entry, the definitions it reads
      law: f.law ?? null,
    })),
  );
  const problems = files.flatMap((file) => [
    ...file.analysis.problems.map((p) => ({ file: file.path, line: p.range.start.line + 1, column: p.range.start.character + 1, severity: p.severity, code: `input:${p.code}`, message: p.message })),
    ...file.analysis.annotationErrors.map((e) => ({ file: file.path, line: e.range.start.line + 1, column: e.range.start.character + 1, severity: 'error', code: 'annotation', message: e.message })),
    ...file.analysis.functions.flatMap((fn) =>
      [...fn.notes, ...fn.boundsHit].map((note) => ({ file: file.path, line: fn.nameRange.start.line + 1, column: fn.nameRange.start.character + 1, severity: 'info', code: 'note', message: `${fn.name}: ${note}` })),
    ),
  ]);
  const summary = {
    files: files.length,
    functions: functions.length,
    paths: functions.reduce((n, fn) => n + fn.paths.length, 0),
    findings: findings.filter((f) => f.change !== 'fixed').length,
    fixed: findings.filter((f) => f.change === 'fixed').length,
    truncated: functions.filter((fn) => fn.boundsHit.length > 0).length,
    notModelled: [...new Set(functions.flatMap((fn) => fn.notModelled))].sort(),
  };
  const profile = sharedProfile(files, fallback);
  const models = distinctModels(files).map(({ choice }) => choice);
  return JSON.stringify({ tool: 'mmlens', version: VERSION, profile, models, files: fileProfiles(files, fallback).map(({ path, ...choice }) => ({ file: path, ...choice })), findings, problems, summary }, null, 2);
}

/** Per checked file: the profile it was analysed on, where it came from and why. */
function fileProfiles(files: readonly CheckedFile[], fallback: ProfileChoice) {
  return choices(files, fallback).map((choice, index) => {
    const model = files[index]!.analysis.model;
    return { path: files[index]!.path, profile: choice.profile, profileSource: choice.source, profileReason: choice.reason, ...(model ? { model: model.kind, modelReason: model.reason } : {}) };
  });
}

const sarifUri = (path: string) => path.split('\\').join('/');

/** SARIF 2.1.0 §3.27.24: a patch's findings against its pre-image; plain files have no baseline. */
const BASELINE_STATE = { introduced: 'new', unchanged: 'unchanged', fixed: 'absent' } as const;

export function formatSarif(files: readonly CheckedFile[], fallback: ProfileChoice): string {
  const ids = [...new Set(RULES.map((r) => r.id))];
  const rules = ids.map((id) => {
    const rule = RULES.find((r) => r.id === id)!;
    return {
      id,
      shortDescription: { text: rule.message.replace(/\{l\}/g, 'pte') },
      helpUri: ruleDocUrl(id),
      ...helpFor(id),
      defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
      properties: { semantics: rule.semantics },
    };
  });
  // helper-law is no hazard of the catalogue: listed when a finding carries it
  if (files.some((file) => [...file.findings, ...(file.fixed ?? [])].some((f) => f.rule === HELPER_LAW_RULE))) {
    rules.push({
      id: HELPER_LAW_RULE,
      shortDescription: { text: 'a helper\'s definition in the headers breaks a law the helpers must obey' },
      helpUri: ruleDocUrl(HELPER_LAW_RULE),
      ...helpFor(HELPER_LAW_RULE),
      defaultConfiguration: { level: 'error' },
      properties: { semantics: ['§7 debug_vm_pgtable'] },
    });
  }
  const location = (path: string, range: Finding['range']) => ({
    physicalLocation: {
      artifactLocation: { uri: sarifUri(path) },
      region: { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 },
    },
  });
  const results = files.flatMap((file) =>
    [...file.findings, ...(file.fixed ?? [])].map((f) => ({
      ruleId: f.rule,
      // A fixed finding no longer happens after the patch: the rule passes there (§3.27.9), so no level.
      ...(f.change === 'fixed' ? { kind: 'pass', level: 'none' } : { level: SARIF_LEVEL[f.severity] }),
      ...(f.change ? { baselineState: BASELINE_STATE[f.change] } : {}),
      message: { text: f.message },
      locations: [location(file.path, f.range)],
      relatedLocations: f.related.map((r, i) => ({ id: i, ...location(file.path, r.range), message: { text: r.message } })),
      // a thread flow has at least one location (§3.37.5): a law's finding has no path
      ...(f.trace.length > 0 ? { codeFlows: [{ threadFlows: [{ locations: f.trace.map((step) => ({ location: { ...location(file.path, step.range), message: { text: stepText(step) } } })) }] }] } : {}),
      properties: { function: f.function, change: f.change, witness: f.witness, path: f.path.map((d) => ({ condition: d.text, taken: d.taken })), ...(f.law ? { law: f.law } : {}) },
    })),
  );
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'mmlens', informationUri: 'https://github.com/mmlens/mmlens', rules } },
          results,
          properties: { profile: sharedProfile(files, fallback), models: distinctModels(files).map(({ choice }) => choice), documents: fileProfiles(files, fallback).map(({ path, ...choice }) => ({ uri: sarifUri(path), ...choice })) },
        },
      ],
    },
    null,
    2,
  );
}
