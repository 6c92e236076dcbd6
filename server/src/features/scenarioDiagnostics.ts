// Diagnostics of a scenario document: its input problems as errors at their lines; the property a
// step breaks as an error on that step, with the steps that caused it as related information; the
// hazard rules the entry breaks after a step (warnings) and notes (information); the operation of
// a violating schedule as an error on its line. The diagnostics feature (diagnostics.ts) serves them.

import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver/node';
import type { Severity } from '../../../simulator/src';
import type { StepFinding, StepResult } from '../../../simulator/src/scenario';
import { ruleDocUrl } from '../protocol';
import type { ClientSupport } from '../session/clientSupport';
import type { ScenarioResult } from '../session/scenarioRuns';
import { SOURCE } from './diagnosticSource';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

/** The text of a line (0-based) as a range, from its first non-blank character. */
function lineRange(lines: readonly string[], line: number): Range {
  const text = lines[line] ?? '';
  const comment = text.search(/#|\/\//);
  const content = (comment < 0 ? text : text.slice(0, comment)).trimEnd();
  const start = content.length - content.trimStart().length;
  return { start: { line, character: start }, end: { line, character: Math.max(content.length, start) } };
}

function findingDiagnostic(step: StepResult, finding: StepFinding, range: Range, related: DiagnosticRelatedInformation[] | undefined): Diagnostic {
  return {
    range,
    severity: finding.kind === 'property' ? DiagnosticSeverity.Error : SEVERITY[finding.severity],
    source: SOURCE,
    code: finding.rule,
    codeDescription: { href: ruleDocUrl(finding.rule) },
    message: `step ${step.index} (${step.text}): ${finding.message}`,
    ...(related && related.length > 0 ? { relatedInformation: related } : {}),
  };
}

export function scenarioDiagnostics(result: ScenarioResult, text: string, support: ClientSupport): Diagnostic[] {
  const lines = text.split(/\r?\n/);
  const { report, uri } = result;
  const range = (line1: number) => lineRange(lines, line1 - 1);
  const diagnostics: Diagnostic[] = report.problems.map((p) => ({ range: range(p.line), severity: DiagnosticSeverity.Error, source: SOURCE, code: 'scenario', message: p.message }));
  const steps = report.run?.steps ?? [];
  for (const step of steps) {
    for (const violation of step.violations) {
      // the earlier steps whose entry broke the same rule: where the violation was set up
      const causes = support.relatedInformation
        ? steps.filter((s) => s.index < step.index && s.hazards.some((h) => h.rule === violation.rule)).map((s) => ({ location: { uri, range: range(s.line) }, message: `step ${s.index} (${s.text}) left the entry so: ${s.hazards.find((h) => h.rule === violation.rule)!.message}` }))
        : undefined;
      diagnostics.push(findingDiagnostic(step, violation, range(step.line), causes));
    }
    for (const hazard of step.hazards) diagnostics.push(findingDiagnostic(step, hazard, range(step.line), undefined));
    for (const note of step.notes) diagnostics.push({ range: range(step.line), severity: DiagnosticSeverity.Information, source: SOURCE, code: 'note', message: `step ${step.index}: ${note}` });
  }
  const violation = report.interleavings?.violation;
  if (violation) {
    const others = support.relatedInformation
      ? violation.schedule.filter((row) => row.opLine !== undefined && row.opLine !== violation.opLine).map((row) => ({ location: { uri, range: range(row.opLine!) }, message: `${row.cpu}: ${row.action}` }))
      : undefined;
    const x = report.interleavings!;
    diagnostics.push({
      range: range(violation.opLine ?? 1),
      severity: DiagnosticSeverity.Error,
      source: SOURCE,
      code: violation.property,
      codeDescription: { href: ruleDocUrl(violation.property) },
      message: `${violation.cpu} (${violation.op}): ${violation.message} — a schedule of ${violation.schedule.length} steps, found among ${x.explored.states} states (Run scenario shows it)`,
      ...(others && others.length > 0 ? { relatedInformation: others.slice(0, 12) } : {}),
    });
  }
  return diagnostics;
}
