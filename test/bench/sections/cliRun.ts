// `mmlens check <dir> --format json --jobs N` as a user runs it: a spawned process, timed from
// spawn to exit, with its peak RSS (worker threads are in the same process). The peak comes from
// GNU time's "Maximum resident set size" when /usr/bin/time exists, else from polling VmHWM.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../../helpers/paths';

export interface CliRun {
  readonly jobs: number;
  readonly wallMs: number;
  readonly files: number;
  readonly functions: number;
  readonly paths: number;
  readonly findings: number;
  readonly truncated: number;
  readonly peakRssMb: number | undefined;
  readonly rssFrom: 'gnu-time' | 'VmHWM';
}

const GNU_TIME = '/usr/bin/time';

export function cliPath(): string {
  return join(repoRoot(), 'dist', 'cli.js');
}

/** Peak RSS in kB from GNU time -v's report on stderr. */
export function gnuTimePeakKb(stderr: string): number | undefined {
  const kb = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(stderr)?.[1];
  return kb === undefined ? undefined : Number(kb);
}

function vmHwmKb(pid: number | undefined): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb);
  } catch {
    return undefined; // exited
  }
}

export function runCli(dir: string, jobs: number, timeoutMs: number): Promise<CliRun> {
  const args = [cliPath(), 'check', dir, '--format', 'json', '--jobs', String(jobs)];
  const useTime = existsSync(GNU_TIME);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = useTime ? spawn(GNU_TIME, ['-v', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let polledKb: number | undefined;
    const poll = useTime ? undefined : setInterval(() => (polledKb = Math.max(polledKb ?? 0, vmHwmKb(child.pid) ?? 0)), 50);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - start;
      clearInterval(poll);
      clearTimeout(timer);
      if (signal) return reject(new Error(`mmlens check --jobs ${jobs} was stopped after ${Math.round(timeoutMs / 1000)} s (${signal})`));
      if (code !== 0 && code !== 1) return reject(new Error(`mmlens check exited with ${code}: ${err.slice(-500)}`));
      const summary = (JSON.parse(out) as { summary: Omit<CliRun, 'jobs' | 'wallMs' | 'peakRssMb' | 'rssFrom'> }).summary;
      const peakKb = useTime ? gnuTimePeakKb(err) : polledKb;
      resolve({
        jobs,
        wallMs,
        files: summary.files,
        functions: summary.functions,
        paths: summary.paths,
        findings: summary.findings,
        truncated: summary.truncated,
        peakRssMb: peakKb === undefined ? undefined : peakKb / 1024,
        rssFrom: useTime ? 'gnu-time' : 'VmHWM',
      });
    });
  });
}
