// `mmlens scenario FILE`: run a scenario's steps and explore its CPU sections (docs/scenarios.md).
// Exit status 0 holds, 1 violated, 2 input error.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CParser, defaultWasmPaths } from '../parsing';
import { formatScenarioJson, formatScenarioText } from '../scenario/formatScenario';
import { runScenarioText } from '../scenario/runScenarioText';
import { ScenarioIndexes } from '../scenario/scenarioIndexes';
import { openTree } from './check';
import { InputError } from './errors';

export interface ScenarioOptions {
  readonly profile?: string;
  readonly format: 'text' | 'json';
  readonly tree?: string;
}

export async function runScenarioCommand(file: string, options: ScenarioOptions): Promise<{ output: string; exitCode: number }> {
  if (options.format !== 'text' && options.format !== 'json') throw new InputError(`--format takes text or json for scenario, not "${options.format}"`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const parser = await CParser.load(defaultWasmPaths());
  const tree = options.tree === undefined ? undefined : openTree(options.tree);
  const path = resolve(file);
  const around = new ScenarioIndexes(parser).around(path, tree, process.cwd());
  const report = runScenarioText(parser, text, { path, around, ...(options.profile !== undefined ? { profile: options.profile } : {}) });
  const output = options.format === 'json' ? formatScenarioJson(file, report) : formatScenarioText(file, report);
  return { output, exitCode: report.problems.length > 0 ? 2 : report.holds ? 0 : 1 };
}
