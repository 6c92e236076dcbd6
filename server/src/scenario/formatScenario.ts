// A scenario's report as text (a table of steps, the violation with its cause, the schedule of an
// interleaving as columns per CPU) and as JSON (docs/scenarios.md "Output").

import { renderSchedule } from '../../../simulator/src/explore';
import type { RenderedState, StepResult } from '../../../simulator/src/scenario';
import { VERSION } from '../version';
import type { ScenarioReport } from './runScenarioText';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** The bits worth a column: those that change somewhere in the run, and the first two (W, D). */
function shownBits(states: readonly RenderedState[]): string[] {
  const names = [...new Set(states.flatMap((s) => Object.keys(s.bits)))];
  return names.filter((name, i) => i < 2 || states.some((s) => (s.bits[name] ?? 0) !== (states[0]!.bits[name] ?? 0)));
}

function stateCells(state: RenderedState, bits: readonly string[], changed: ReadonlySet<string>): string[] {
  return [state.form, ...bits.map((b) => (state.bits[b] === undefined ? '' : `${state.bits[b]}${changed.has(b) ? '*' : ''}`))];
}

function stepLines(report: ScenarioReport): string[] {
  const run = report.run!;
  if (run.steps.length === 0) return [];
  const bits = shownBits([run.initial, ...run.steps.map((s) => s.after)]);
  const mark = (step: StepResult) => [...step.violations, ...step.hazards].map((f) => `<-- ${f.rule}`).join(' ');
  const rows = [
    ['step', 'line', 'operation', 'form', ...bits, 'what the kernel did'],
    ['', '', '(start)', ...stateCells(run.initial, bits, new Set()), ''],
    ...run.steps.map((step) => [
      String(step.index),
      String(step.line),
      step.text,
      ...stateCells(step.after, bits, new Set(step.changed)),
      `${step.trap ? `[${step.trap}] ` : ''}${step.path.join('; then ')} ${mark(step)}`.trim(),
    ]),
  ];
  return table(rows);
}

function findingLines(file: string, report: ScenarioReport): string[] {
  const run = report.run!;
  const lines: string[] = [];
  for (const step of run.steps) {
    for (const f of [...step.violations, ...step.hazards]) {
      const severity = f.kind === 'property' ? 'error' : f.severity;
      lines.push(`${file}:${step.line}: ${severity}: step ${step.index} (${step.text}): ${f.message} [${f.rule}]`);
    }
    for (const note of step.notes) lines.push(`${file}:${step.line}: note: step ${step.index}: ${note}`);
  }
  return lines;
}

/** One line: holds, or where the scenario fails. */
export function scenarioVerdict(report: ScenarioReport): string {
  if (report.holds) return 'holds';
  const v = report.run?.violation;
  if (v) return `violated at step ${v.step} (line ${v.line}): ${v.rule}`;
  const x = report.interleavings?.violation;
  return x ? `violated by a schedule: ${x.property} (${x.cpu}, line ${x.opLine ?? '?'})` : 'violated';
}

export function formatScenarioText(file: string, report: ScenarioReport): string {
  if (report.problems.length > 0) return report.problems.map((p) => `${file}:${p.line}: error: ${p.message}`).join('\n');
  const out: string[] = [`${file}: ${report.name ? `${report.name} ` : ''}on ${report.profile}`];
  if (report.run) {
    out.push(...stepLines(report), ...findingLines(file, report), ...report.run.notes.map((n) => `note: ${n}`));
    if (report.run.branches.total > 1) out.push(`calls with several outcomes: ${report.run.branches.total} runs, ${report.run.branches.holding} hold (the one shown ${report.run.holds ? 'holds' : 'fails'})`);
  }
  const x = report.interleavings;
  if (x) {
    const counts = `${x.explored.states} states, ${x.explored.schedules} schedules, ${x.explored.transitions} transitions`;
    const bounds = `bounds: ${x.bounds.maxSteps} steps, ${x.bounds.maxStates} states, ${x.bounds.reduction}${x.bounds.stepsExceeded ? ', steps bound hit' : ''}${x.bounds.statesExceeded ? ', states bound hit' : ''}`;
    out.push(`interleavings of ${report.cpus.join(', ')}: explored ${counts} (${bounds})${x.cancelled ? ' — cancelled' : ''}`);
    if (x.violation) {
      out.push(...renderSchedule(x.violation, report.cpus));
      out.push(`${file}:${x.violation.opLine ?? '?'}: error: ${x.violation.cpu} (${x.violation.op}): ${x.violation.message} [${x.violation.property}]`);
    }
  }
  out.push(scenarioVerdict(report));
  return out.join('\n');
}

export function formatScenarioJson(file: string, report: ScenarioReport): string {
  return JSON.stringify({ tool: 'mmlens', version: VERSION, file, ...report }, null, 2);
}
