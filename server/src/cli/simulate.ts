// `mmlens simulate <file>:<function>`: every path of one function, step by step.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatPath } from '../analysis/traceText';
import { analyzeDocument } from '../analysis/analyzeDocument';
import { CParser, defaultWasmPaths } from '../parsing';
import { InputError } from './errors';
import { modelSetting, openTree } from './check';

export interface SimulateOptions {
  /** None: the file's kernel tree chooses (as in check). */
  readonly profile?: string;
  readonly tree?: string;
  /** `--model` (as in check). */
  readonly model?: string;
}

export async function runSimulate(target: string, options: SimulateOptions, pathNumber: number | undefined): Promise<string> {
  const match = /^(.*):([A-Za-z_][A-Za-z0-9_]*)$/.exec(target);
  if (!match) throw new InputError(`simulate takes FILE:FUNCTION, e.g. mm/mprotect.c:change_pte_range (got "${target}")`);
  const [, file, name] = match as unknown as [string, string, string];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: ${(error as Error).message}`);
  }
  const parser = await CParser.load(defaultWasmPaths());
  const analysis = analyzeDocument(parser, text, {
    path: file,
    diskPath: resolve(file),
    ...(options.profile !== undefined ? { profile: options.profile, profileGivenBy: 'flag' as const } : {}),
    ...(options.tree !== undefined ? { kernelTree: openTree(options.tree) } : {}),
    helperModel: modelSetting(options.model),
  });
  const fn = analysis.functions.find((f) => f.name === name);
  if (!fn) throw new InputError(`${file} has no function ${name} (functions: ${analysis.functions.map((f) => f.name).join(', ') || 'none'})`);
  const paths = pathNumber === undefined ? fn.paths : fn.paths.filter((p) => p.index === pathNumber - 1);
  if (paths.length === 0) throw new InputError(`${name} has ${fn.paths.length} paths; --path takes 1 … ${fn.paths.length}`);
  const why = [
    ...(fn.profile === analysis.profile?.profile ? [`profile ${fn.profile} (${analysis.profile.reason})`] : []),
    ...(analysis.model ? [`model ${analysis.model.kind}: ${analysis.model.reason}`] : []),
  ];
  return [`${name} on ${fn.profile}: ${fn.paths.length} paths, ${fn.findings.length} findings`, ...why, ...(fn.boundsHit.length ? [`bounds hit: ${fn.boundsHit.join('; ')}`] : []), ...paths.flatMap(formatPath)].join('\n');
}
