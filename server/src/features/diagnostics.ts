// Diagnostics: pulled by the client (`textDocument/diagnostic`) when it can, pushed
// (`textDocument/publishDiagnostics`) after each analysis when it cannot. A finding's code is
// its rule id with a link to the rule's page; its data carries what the code actions need. In
// patches and emails the message says what the patch does to the finding, and only what the
// patch introduces keeps its severity. Input problems,
// annotation errors, bounds hit and calls without a model are information diagnostics. In a
// kernel tree's header, the laws its definitions break (definitionDiagnostics.ts). In a scenario
// document, what its run breaks (scenarioDiagnostics.ts).

import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type Range,
} from 'vscode-languageserver/node';
import { type Severity } from '../../../simulator/src';
import { allRuleIds } from '../headers/lawRules';
import type { AnalysedFunction, DocumentFinding } from '../analysis/analyzeDocument';
import { assumedFacts, RULE_ASSUMPTIONS } from '../analysis/ruleFixes';
import { ruleDocUrl } from '../protocol';
import { definitionDiagnostics } from './definitionDiagnostics';
import { scenarioDiagnostics } from './scenarioDiagnostics';
import type { ClientSupport } from '../session/clientSupport';
import type { DocumentResult } from '../session/documentAnalyses';
import { documentUri } from '../session/requests';
import { reportedSeverity } from '../session/ruleSeverity';
import type { Session } from '../session/session';
import { SOURCE } from './diagnosticSource';

/** `Diagnostic.data` of a finding: enough for the code actions to act without re-analysing. */
export interface FindingData {
  readonly rule: string;
  readonly function: string;
  readonly side: 'pre' | 'post' | 'source';
  readonly profile: string;
  /** The document line the function starts on (where a function's `@mm assume` goes). */
  readonly functionLine: number;
  /** The calls on the path before the finding, innermost last: callee and range. */
  readonly calls: readonly { readonly callee: string; readonly range: Range }[];
  /** What the witness says of the facts the rule's assumptions are about (RULE_ASSUMPTIONS) and no @mm assume fixes yet. */
  readonly facts: Readonly<Record<string, boolean>>;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

/** Input problems that only say there is nothing here: no diagnostic for an ordinary text file. */
const SILENT_PROBLEMS = new Set(['nothing-to-analyse', 'empty-document']);
const KNOWN_RULES = new Set(allRuleIds());

export function register(session: Session): void {
  const { connection, analyses } = session;
  connection.languages.diagnostics.on(async (params, token) => {
    const uri = documentUri(params);
    const scenario = await session.scenarios.current(uri, { token });
    if (scenario) return { kind: DocumentDiagnosticReportKind.Full, items: scenarioDiagnostics(scenario, session.documents.get(uri)?.getText() ?? '', session.support()) } satisfies DocumentDiagnosticReport;
    const result = await analyses.current(uri, token);
    if (!result) return { kind: DocumentDiagnosticReportKind.Full, items: [] } satisfies DocumentDiagnosticReport;
    const { items, resultId } = reportOf(result, session.support());
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
  });
  analyses.onDidAnalyse((result) => {
    if (session.support().pullDiagnostics) return;
    if (session.documents.get(result.uri)?.version !== result.version) return;
    void connection.sendDiagnostics({ uri: result.uri, version: result.version, diagnostics: reportOf(result, session.support()).items });
  });
  session.scenarios.onDidRun((scenario) => {
    const document = session.documents.get(scenario.uri);
    if (session.support().pullDiagnostics || document?.version !== scenario.version) return;
    void connection.sendDiagnostics({ uri: scenario.uri, version: scenario.version, diagnostics: scenarioDiagnostics(scenario, document.getText(), session.support()) });
  });
  session.documents.onDidClose(({ document }) => {
    lastReports.delete(document.uri);
    if (!session.support().pullDiagnostics) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });
}

export function toDiagnostics(result: DocumentResult, support: ClientSupport): Diagnostic[] {
  const { analysis, settings, uri } = result;
  const functions = new Map(analysis.functions.map((fn) => [`${fn.side}:${fn.name}`, fn]));
  const diagnostics: Diagnostic[] = [];
  if (result.skipped) diagnostics.push(information(zero(), result.skipped, 'not-analysed'));
  for (const finding of analysis.findings) {
    const severity = reportedSeverity(finding.rule, finding.severity, settings);
    if (!severity) continue;
    diagnostics.push(findingDiagnostic(finding, severity, functions.get(`${finding.side}:${finding.function}`), uri, support));
  }
  for (const problem of analysis.problems) {
    if (!SILENT_PROBLEMS.has(problem.code)) diagnostics.push(information(problem.range, problem.message, `input:${problem.code}`));
  }
  for (const error of analysis.annotationErrors) diagnostics.push(information(error.range, error.message, 'annotation'));
  diagnostics.push(...functionNotes(analysis.functions));
  // in a kernel tree's header: the laws its definitions break
  diagnostics.push(...definitionDiagnostics(result, support));
  return diagnostics;
}

/** A finding's diagnostic, kept while the finding, its severity, function and document stay the same. */
const findingDiagnostics = new WeakMap<DocumentFinding, { readonly severity: Severity; readonly fn: AnalysedFunction | undefined; readonly uri: string; readonly related: boolean; readonly diagnostic: Diagnostic }>();

function findingDiagnostic(finding: DocumentFinding, severity: Severity, fn: AnalysedFunction | undefined, uri: string, support: ClientSupport): Diagnostic {
  const kept = findingDiagnostics.get(finding);
  const related = support.relatedInformation;
  if (kept && kept.severity === severity && kept.fn === fn && kept.uri === uri && kept.related === related) return kept.diagnostic;
  const diagnostic = newFindingDiagnostic(finding, severity, fn, uri, support);
  findingDiagnostics.set(finding, { severity, fn, uri, related, diagnostic });
  return diagnostic;
}

function newFindingDiagnostic(finding: DocumentFinding, severity: Severity, fn: AnalysedFunction | undefined, uri: string, support: ClientSupport): Diagnostic {
  // in a patch, what the patch changes stands out; the rest of the context is information
  const quiet = finding.change === 'fixed' || finding.change === 'unchanged';
  const data: FindingData = {
    rule: finding.rule,
    function: finding.function,
    side: finding.side,
    profile: fn?.profile ?? '',
    functionLine: fn?.range.start.line ?? finding.range.start.line,
    calls: finding.related.map((r) => ({ callee: r.message.slice(0, r.message.indexOf('(')), range: r.range })),
    facts: witnessFacts(finding),
  };
  return {
    range: finding.range,
    severity: quiet ? DiagnosticSeverity.Information : SEVERITY[severity],
    code: finding.rule,
    ...(KNOWN_RULES.has(finding.rule) ? { codeDescription: { href: ruleDocUrl(finding.rule) } } : {}),
    source: SOURCE,
    message: changeMessage(finding),
    ...(support.relatedInformation && finding.related.length > 0
      ? { relatedInformation: finding.related.map((r) => ({ location: { uri, range: r.range }, message: r.message })) }
      : {}),
    data,
  };
}

interface Report {
  readonly items: Diagnostic[];
  readonly resultId: string;
  readonly keys: readonly string[];
}

const reports = new WeakMap<DocumentResult, Report>();
/** The last report made for each document, to tell whether a new one says anything new. */
const lastReports = new Map<string, Report>();
let lastResultId = 0;

/**
 * A result's diagnostics, computed once, and an id that changes only when they do: most edits
 * leave a document's diagnostics as they were, and the client then skips the whole report.
 */
function reportOf(result: DocumentResult, support: ClientSupport): Report {
  let report = reports.get(result);
  if (!report) {
    const items = toDiagnostics(result, support);
    const keys = items.map(diagnosticKey);
    const last = lastReports.get(result.uri);
    const same = last !== undefined && last.keys.length === keys.length && last.keys.every((key, i) => key === keys[i]);
    report = { items, keys, resultId: same ? last.resultId : String(++lastResultId) };
    reports.set(result, report);
    lastReports.set(result.uri, report);
  }
  return report;
}

const keys = new WeakMap<Diagnostic, string>();

function diagnosticKey(diagnostic: Diagnostic): string {
  let key = keys.get(diagnostic);
  if (key === undefined) {
    key = JSON.stringify(diagnostic);
    keys.set(diagnostic, key);
  }
  return key;
}

/** The witness's value of each fact an assumption of the rule is about, unless an @mm assume already fixes it. */
function witnessFacts(finding: DocumentFinding): Record<string, boolean> {
  const assumed = assumedFacts(finding.assumptions);
  const facts = (RULE_ASSUMPTIONS[finding.rule] ?? []).map((a) => a.fact).filter((fact) => fact in finding.witness && !assumed.has(fact));
  return Object.fromEntries(facts.map((fact) => [fact, finding.witness[fact]!]));
}

function changeMessage(finding: DocumentFinding): string {
  switch (finding.change) {
    case 'introduced':
      return `${finding.message} — introduced by this patch`;
    case 'fixed':
      return `fixed by this patch: ${finding.message}`;
    case 'unchanged':
      return `${finding.message} — also before this patch`;
    default:
      return finding.message;
  }
}

/** Bounds hit, notes, and (in functions that touch entries) calls without a model: one each per function. */
function functionNotes(functions: readonly AnalysedFunction[]): Diagnostic[] {
  const seen = new Set<string>();
  const notes: Diagnostic[] = [];
  const add = (fn: AnalysedFunction, message: string, code: string) => {
    const key = `${fn.nameRange.start.line}:${fn.nameRange.start.character}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    notes.push(information(fn.nameRange, message, code));
  };
  for (const fn of functions) {
    if (fn.boundsHit.length > 0) add(fn, `${fn.name}: ${fn.boundsHit.join('; ')}`, 'analysis-bound');
    for (const note of fn.notes) add(fn, `${fn.name}: ${note}`, 'analysis-note');
    if (fn.touchesEntries && fn.notModelled.length > 0) {
      add(fn, `${fn.name}: no model for ${fn.notModelled.join(', ')}; what they do to entries is unknown`, 'not-modelled');
    }
  }
  return notes;
}

function information(range: Range, message: string, code: string): Diagnostic {
  return { range, severity: DiagnosticSeverity.Information, code, source: SOURCE, message };
}

function zero(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
