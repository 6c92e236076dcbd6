// A scenario's report as the editor shows it (protocol.ts ScenarioTraceResult): lines 0-based,
// entries as the trace view's bit tables, the violating schedule as rows with a column per CPU.

import type { RenderedState, StepResult } from '../../../simulator/src/scenario';
import type { ScenarioStepView, ScenarioTraceResult, TraceEntry } from '../protocol';
import { formatScenarioText, scenarioVerdict } from './formatScenario';
import type { ScenarioReport } from './runScenarioText';

function traceEntry(state: RenderedState): TraceEntry {
  return { form: state.form, bits: Object.fromEntries(Object.entries(state.bits).map(([bit, value]) => [bit, value === 1 ? '1' : '0'])) };
}

function stepView(step: StepResult): ScenarioStepView {
  const findings = [...step.violations, ...step.hazards];
  return {
    index: step.index,
    line: step.line - 1,
    text: step.text,
    path: step.path,
    sources: step.sources,
    ...(step.trap ? { trap: step.trap } : {}),
    after: traceEntry(step.after),
    changed: step.before.form === step.after.form ? step.changed : [...step.changed.filter((f) => f in step.after.bits), 'form'],
    violations: step.violations.map((v) => v.rule),
    hazards: step.hazards.map((h) => h.rule),
    messages: [...findings.map((f) => `${f.rule}: ${f.message}`), ...step.notes],
  };
}

export function scenarioView(uri: string, file: string, report: ScenarioReport): ScenarioTraceResult {
  const run = report.run;
  const x = report.interleavings;
  const violation = x?.violation;
  return {
    uri,
    ...(report.name ? { name: report.name } : {}),
    profile: report.profile ?? '',
    holds: report.holds,
    verdict: report.problems.length > 0 ? 'not run: the scenario has problems' : scenarioVerdict(report),
    problems: report.problems.map((p) => ({ line: p.line - 1, message: p.message })),
    ...(run ? { initial: traceEntry(run.initial) } : {}),
    steps: run?.steps.map(stepView) ?? [],
    ...(violation
      ? {
          schedule: {
            cpus: report.cpus,
            rows: [violation.initial, ...violation.schedule].map((row) => ({
              cpu: row.cpu,
              action: row.action,
              entry: row.entry,
              tlbs: row.tlbs,
              flushPending: row.flushPending,
              locks: row.locks,
              ...(row.opLine !== undefined ? { line: row.opLine - 1 } : {}),
            })),
            property: violation.property,
            message: violation.message,
          },
        }
      : {}),
    ...(x ? { explored: `explored ${x.explored.states} states, ${x.explored.schedules} schedules, ${x.explored.transitions} transitions (bounds: ${x.bounds.maxSteps} steps, ${x.bounds.maxStates} states, ${x.bounds.reduction})${x.cancelled ? ', cancelled' : ''}` } : {}),
    notes: run?.notes ?? [],
    text: formatScenarioText(file, report),
  };
}
