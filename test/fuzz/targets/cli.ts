// The CLI as a user runs it on a saved file: exit 0, 1 or 2; with 0 and 1 the documented JSON;
// with 2 a one-line message on stderr; never a stack trace.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../../helpers/paths';
import { cliJsonProblems } from '../properties';
import type { Outcome } from './analysis';

const CLI = join(repoRoot(), 'dist', 'cli.js');
let scratch: string | undefined;

const STACK_FRAME = /^\s+at .+(\(.+:\d+:\d+\)|:\d+:\d+)$/m;

export function cliCase(fileName: string, bytes: Buffer, limitMs: number): Outcome {
  scratch ??= mkdtempSync(join(tmpdir(), 'mmlens-fuzz-'));
  const file = join(scratch, fileName);
  writeFileSync(file, bytes);
  const start = performance.now();
  // cwd is the scratch directory, so a patch is never applied to the repository's own files.
  const run = spawnSync(process.execPath, [CLI, 'check', file, '--format', 'json', '--jobs', '1'], { cwd: scratch, encoding: 'utf8', timeout: limitMs, maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (run.error) return { verdict: [`did not finish: ${run.error.message}`], ms };
  const verdict: string[] = [];
  if (STACK_FRAME.test(run.stderr)) verdict.push(`stack trace on stderr: ${run.stderr.slice(0, 800)}`);
  if (run.status === 0 || run.status === 1) verdict.push(...cliJsonProblems(run.stdout, run.status));
  else if (run.status === 2) {
    const message = run.stderr.trim();
    if (message === '') verdict.push('exit 2 with no message');
    else if (message.includes('\n')) verdict.push(`exit 2 with more than one line on stderr: ${message.slice(0, 400)}`);
  } else verdict.push(`exit status ${run.status} (signal ${run.signal}): ${run.stderr.slice(0, 400)}`);
  return { verdict, ms };
}
