// One scenario document → what the CLI and the editor show: parse it (problems with lines), run
// its steps on the page, then, when it has CPU sections, explore every interleaving from the
// state the steps leave. Reads the scenario's `source` file relative to the scenario; its calls
// resolve in the source, then in the functions around the scenario (its kernel tree or directory).
// runScenarioSteps pauses between stages and every few dozen transitions of the exploration, so
// the editor runs it in slices and stops it when the request is cancelled; the CLI runs it through.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ruleIds } from '../../../simulator/src';
import { concurrentOperations, exploreSteps, RACE_PROPERTIES, type ExploreOptions, type InterleavingResult } from '../../../simulator/src/explore';
import { finish } from '../../../simulator/src/explore/search';
import { parseProfile } from '../../../simulator/src';
import { interleavingProgram, parseScenario, propertyIds, runScenario, scenarioProfile, ScenarioError, type ScenarioProblem, type ScenarioRun } from '../../../simulator/src/scenario';
import type { WorkspaceFunctions } from '../analysis/workspaceFunctions';
import type { CParser } from '../parsing';
import { scenarioFunctions, type SourceText } from './scenarioFunctions';

export interface ScenarioReport {
  readonly name?: string;
  readonly profile?: string;
  /** Input problems: the scenario could not run (exit status 2). */
  readonly problems: readonly ScenarioProblem[];
  /** The steps (before the CPU sections, when there are some). */
  readonly run?: ScenarioRun;
  /** The interleavings of the CPU sections. */
  readonly interleavings?: InterleavingResult;
  /** The CPU names in the order the scenario gives them (the schedule's columns). */
  readonly cpus: readonly string[];
  readonly holds: boolean;
}

export interface ScenarioInputs {
  /** The scenario's path on disk (its `source` is relative to it). */
  readonly path?: string;
  /** Wins over the scenario's profile line. */
  readonly profile?: string;
  /** The functions around the scenario for the profile's architecture (its kernel tree's, or its directory's): where calls the source does not define resolve. */
  readonly around?: (arch: string) => WorkspaceFunctions | undefined;
  /** Reads the source file (default: from disk); the editor passes open documents' text. */
  readonly readSource?: (absolutePath: string) => string;
  readonly explore?: ExploreOptions;
}

/** Every property id a `check` line may name. */
export function knownProperties(): string[] {
  return [...new Set([...propertyIds(), ...ruleIds(), ...RACE_PROPERTIES.map((p) => p.id)])];
}

export function runScenarioText(parser: CParser, text: string, inputs: ScenarioInputs = {}): ScenarioReport {
  return finish(runScenarioSteps(parser, text, inputs));
}

export function* runScenarioSteps(parser: CParser, text: string, inputs: ScenarioInputs = {}): Generator<void, ScenarioReport, void> {
  const cpuOperations = concurrentOperations.map((o) => o.name);
  const parsed = parseScenario(text, { cpuOperations, properties: knownProperties() });
  const cpus = parsed.scenario?.cpus.map((c) => c.name) ?? [];
  if (!parsed.scenario) return { problems: parsed.problems, cpus, holds: false };
  const scenario = parsed.scenario;
  try {
    const profile = scenarioProfile(scenario, inputs.profile).name;
    let source: SourceText | undefined;
    if (scenario.source) {
      const absolute = resolve(inputs.path ? dirname(inputs.path) : process.cwd(), scenario.source.path);
      try {
        source = { path: absolute, text: (inputs.readSource ?? ((p) => readFileSync(p, 'utf8')))(absolute) };
      } catch (error) {
        return { problems: [{ line: scenario.source.line, message: `source ${scenario.source.path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}` }], cpus, holds: false };
      }
    }
    const around = scenario.steps.some((step) => step.op === 'call') ? inputs.around?.(parseProfile(profile).arch) : undefined;
    yield;
    const functions = source || around ? scenarioFunctions(parser, profile, source, around) : undefined;
    yield;
    const run = runScenario(scenario, { profile, ...(functions ? { functions } : {}) });
    yield;
    if (scenario.cpus.length === 0) return { ...(scenario.name ? { name: scenario.name } : {}), profile, problems: [], run, cpus, holds: run.holds };
    const start = run.steps.length > 0 ? run.steps[run.steps.length - 1]!.after : run.initial;
    const program = interleavingProgram(scenario, profile, start, concurrentOperations);
    const interleavings = yield* exploreSteps(program, inputs.explore);
    if (interleavings.error) {
      return { profile, problems: [{ line: interleavings.error.opLine ?? scenario.cpus[0]!.line, message: interleavings.error.message }], run, cpus, holds: false };
    }
    const setup = run.steps.length > 0 ? { run } : {};
    return { ...(scenario.name ? { name: scenario.name } : {}), profile, problems: [], ...setup, interleavings, cpus, holds: run.holds && interleavings.holds };
  } catch (error) {
    if (error instanceof ScenarioError) return { problems: error.problems, cpus, holds: false };
    throw error;
  }
}
