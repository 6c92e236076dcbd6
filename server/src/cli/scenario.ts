// `mmlens scenario FILE`: run a scenario's steps and explore its CPU sections (docs/scenarios.md).
// Exit status 0 holds, 1 violated, 2 input error.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { kernelTreeFiles, WorkspaceFunctions } from '../analysis/workspaceFunctions';
import { CParser, defaultWasmPaths } from '../parsing';
import { parseProfile } from '../../../simulator/src';
import { formatScenarioJson, formatScenarioText } from '../scenario/formatScenario';
import { runScenarioText } from '../scenario/runScenarioText';
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
  let tree: WorkspaceFunctions | undefined;
  if (options.tree !== undefined) {
    const kernel = openTree(options.tree);
    const arch = options.profile ? parseProfile(options.profile).arch : (kernel.config?.arch ?? 'x86_64');
    tree = new WorkspaceFunctions(parser, () => kernelTreeFiles(kernel.root, arch, process.cwd()));
  }
  const report = runScenarioText(parser, text, { path: resolve(file), ...(options.profile !== undefined ? { profile: options.profile } : {}), ...(tree ? { tree } : {}) });
  const output = options.format === 'json' ? formatScenarioJson(file, report) : formatScenarioText(file, report);
  return { output, exitCode: report.problems.length > 0 ? 2 : report.holds ? 0 : 1 };
}
