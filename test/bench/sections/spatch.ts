// Coccinelle as a yardstick: the time spatch takes only to list every pte_/pmd_/pud_/ptep_/
// pmdp_/pudp_ call (list-helpers.cocci) over the same files with the same number of jobs.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../../helpers/paths';

export type SpatchRun = { readonly wallMs: number; readonly calls: number } | { readonly skipped: string };

export function spatchOnPath(): boolean {
  return spawnSync('sh', ['-c', 'command -v spatch'], { stdio: 'ignore' }).status === 0;
}

export function runSpatch(dir: string, jobs: number, timeoutMs: number): SpatchRun {
  if (!spatchOnPath()) return { skipped: 'spatch (Coccinelle) is not on PATH' };
  const cocci = join(repoRoot(), 'test', 'bench', 'list-helpers.cocci');
  const start = performance.now();
  const run = spawnSync('spatch', ['--sp-file', cocci, '--dir', dir, '-j', String(jobs), '--no-includes', '--very-quiet'], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: timeoutMs,
  });
  const wallMs = performance.now() - start;
  if (run.error) return { skipped: `spatch failed: ${run.error.message}` };
  if (run.status !== 0) return { skipped: `spatch exited with ${run.status}: ${run.stderr.slice(0, 300)}` };
  return { wallMs, calls: run.stdout.split('\n').filter((line) => /:\d+: \w+$/.test(line)).length };
}
