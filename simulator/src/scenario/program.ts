// A scenario with CPU sections as the explorer's input (explore/types.ts): the page as the steps
// before the CPU sections leave it (or as the scenario starts), and each CPU's operations, their
// words bound to the operation's parameters in order (`uffd_wp on` → { mode: 'on' }).

import type { ConcurrentOperationInfo, InterleavingProgram, OperationArg, ProgramOperation } from '../explore/types';
import type { RenderedState } from './state';
import { SCENARIO_VMA_FACTS } from './vmaKinds';
import { ScenarioError, type ArgValue, type Scenario, type ScenarioOp, type ScenarioProblem } from './types';

function typed(value: string, type: 'string' | 'number' | 'boolean'): OperationArg | undefined {
  if (type === 'string') return value;
  if (type === 'number') return /^-?\d+$/.test(value) ? Number(value) : undefined;
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

function programOperation(op: ScenarioOp, library: readonly ConcurrentOperationInfo[], problems: ScenarioProblem[]): ProgramOperation {
  const info = library.find((o) => o.name === op.op);
  const args: Record<string, ArgValue> = { ...op.args };
  if (info) {
    op.words.forEach((word, i) => {
      const param = info.params[i];
      if (!param) {
        problems.push({ line: op.line, message: `${op.op} takes ${info.params.length} word${info.params.length === 1 ? '' : 's'} (${info.params.map((p) => p.name).join(', ') || 'none'}), not "${op.words.join(' ')}"` });
        return;
      }
      const value = typed(word, param.type);
      if (value === undefined || (param.values && !param.values.includes(String(value)))) {
        problems.push({ line: op.line, message: `${op.op}: ${param.name} is ${param.values ? param.values.join(' or ') : `a ${param.type}`}, not "${word}"` });
        return;
      }
      args[param.name] = value;
    });
  } else if (op.words.length > 0) {
    problems.push({ line: op.line, message: `${op.op} is not an operation of the interleaving explorer` });
  }
  return { op: op.op, args, line: op.line };
}

/** The explorer's program; `start` is the page when the CPUs start. Throws ScenarioError with lines. */
export function interleavingProgram(scenario: Scenario, profile: string, start: RenderedState, library: readonly ConcurrentOperationInfo[]): InterleavingProgram {
  const problems: ScenarioProblem[] = [];
  const cpus = scenario.cpus.map((cpu) => ({ name: cpu.name, ops: cpu.ops.map((op) => programOperation(op, library, problems)) }));
  if (problems.length > 0) throw new ScenarioError(problems);
  const entry: Record<string, boolean> = { [start.form]: true };
  for (const [bit, value] of Object.entries(start.bits)) if (value === 1) entry[bit] = true;
  return {
    profile,
    // facts only scenarios state (why a filesystem wants write notification) stay here: writenotify says it
    initial: { entry, vma: { flags: start.vma.filter((f) => !(SCENARIO_VMA_FACTS as readonly string[]).includes(f)) }, folio: [...start.folio] },
    cpus,
    ...(scenario.check ? { properties: scenario.check.ids } : {}),
  };
}
