#!/usr/bin/env node
// mmlens command line. Exit status: 0 success / no findings, 1 findings, 2 usage or input error.

import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { ProfileError } from '../../../simulator/src';
import { runCheck } from './check';
import { isCheckWorker, serveCheckWorker } from './checkWorkers';
import { InputError } from './errors';
import { runExplain } from './explain';
import { runScenarioCommand } from './scenario';
import { runSimulate } from './simulate';
import { modelDiffReport, patchLawsReport, treeLawsReport } from './modelCommands';
import { helperReport, lawsReport, profilesReport, rulesReport } from './simulatorCommands';

const USAGE = `usage: mmlens <command> [options]

commands:
  check <files|dirs|.patch|.mbox|email>…   report hazards (exit 0 none, 1 findings, 2 input error)
      --profile P   --format text|json|sarif   --rules a,b   --base REV   --verify
      --tree DIR    the kernel tree of the check (default: the one each file is in)
      --model builtin|derived   the helpers' model: derived (default) reads each helper from
                    the tree's headers for the profile, where code is in a tree; builtin: the tables
      --jobs N      worker threads (default: one per core)
      --all         in patches, also findings the patch leaves unchanged
      --no-cache    do not read or write the analyses kept in the cache directory
                    ($MMLENS_CACHE_DIR, else $XDG_CACHE_HOME/mmlens, else ~/.cache/mmlens)
  simulate FILE:FUNCTION [--path N]        every path of a function, step by step (--tree, --model as check)
  scenario FILE [--format text|json]       run a scenario (.mmscenario): steps on one page, and
                                           every interleaving of its CPU sections
                                           (exit 0 holds, 1 violated, 2 input error)
  explain RULE                             what a rule means, why, how to fix it
  rules [--profile P]…                     the hazard rules; which apply on each profile, and why not
  laws [--profile P]…                      prove the helper laws symbolically on each profile
      --tree DIR    on the helpers the tree's headers define instead of the built-in tables
      --patch FILE  with --tree: the laws a patch to the headers breaks and repairs, per hunk
  model diff --tree DIR [--profile P]      the tree's helpers against the built-in tables, with
                                           a counterexample entry for each difference
  helper NAME [--profile P]…               what a helper does on each profile
  profiles                                 architectures, versions and config symbols

profiles look like x86_64, x86_64@6.1, arm64, generic, "x86_64 -X86_USER_SHADOW_STACK";
without --profile (or with --profile auto), check and simulate take the version, architecture
and config of the file's kernel tree (Makefile, .config), else of a mail (a version in the
subject, base-commit:, Date:), else x86_64@6.19; an @mm profile annotation always wins`;

class UsageError extends Error {}

function showProgress(done: number, total: number): void {
  process.stderr.write(`\r\x1b[Kmmlens: checked ${done}/${total} files`);
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      profile: { type: 'string', multiple: true },
      format: { type: 'string' },
      rules: { type: 'string' },
      base: { type: 'string' },
      tree: { type: 'string' },
      path: { type: 'string' },
      patch: { type: 'string' },
      model: { type: 'string' },
      verify: { type: 'boolean' },
      all: { type: 'boolean' },
      jobs: { type: 'string', short: 'j' },
      'no-cache': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const profiles = values.profile ?? ['x86_64'];
  /** check and simulate: the profile given, else none (the documents choose). */
  const given = values.profile?.[0];
  const one = (what: string) => {
    if (rest.length !== 1) throw new UsageError(`${command} takes one ${what}`);
    return rest[0]!;
  };
  switch (command) {
    case 'check': {
      if (profiles.length > 1) throw new UsageError('check takes one --profile');
      const outcome = await runCheck({
        paths: rest,
        ...(given !== undefined ? { profile: given } : {}),
        ...(values.tree !== undefined ? { tree: values.tree } : {}),
        ...(values.model !== undefined ? { model: values.model } : {}),
        format: (values.format ?? 'text') as 'text' | 'json' | 'sarif',
        ...(values.rules ? { rules: values.rules.split(',').map((r) => r.trim()).filter(Boolean) } : {}),
        ...(values.base !== undefined ? { base: values.base } : {}),
        verify: values.verify ?? false,
        all: values.all ?? false,
        jobs: values.jobs === undefined ? availableParallelism() : Number(values.jobs),
        cache: !(values['no-cache'] ?? false),
        ...(process.stderr.isTTY ? { onProgress: showProgress } : {}),
      });
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      console.log(outcome.output);
      return outcome.exitCode;
    }
    case 'simulate': {
      const pathNumber = values.path === undefined ? undefined : Number(values.path);
      if (pathNumber !== undefined && !(Number.isInteger(pathNumber) && pathNumber > 0)) throw new UsageError('--path takes a path number (1, 2, …)');
      if (profiles.length > 1) throw new UsageError('simulate takes one --profile');
      console.log(await runSimulate(one('FILE:FUNCTION'), { ...(given !== undefined ? { profile: given } : {}), ...(values.tree !== undefined ? { tree: values.tree } : {}), ...(values.model !== undefined ? { model: values.model } : {}) }, pathNumber));
      return 0;
    }
    case 'scenario': {
      if (profiles.length > 1) throw new UsageError('scenario takes one --profile');
      const outcome = await runScenarioCommand(one('scenario file'), {
        format: (values.format ?? 'text') as 'text' | 'json',
        ...(given !== undefined ? { profile: given } : {}),
        ...(values.tree !== undefined ? { tree: values.tree } : {}),
      });
      console.log(outcome.output);
      return outcome.exitCode;
    }
    case 'explain':
      console.log(runExplain(one('rule id')));
      return 0;
    case 'laws':
      if (values.patch !== undefined && values.tree === undefined) throw new UsageError('laws --patch needs --tree DIR');
      if (values.tree !== undefined) {
        if ((values.profile?.length ?? 0) > 1) throw new UsageError('laws --tree takes one --profile');
        if (values.patch !== undefined) {
          const report = patchLawsReport(values.tree, values.patch, given);
          console.log(report.lines.join('\n'));
          return report.introduced > 0 ? 1 : 0;
        }
        console.log(treeLawsReport(values.tree, given).lines.join('\n'));
        return 0;
      }
      console.log(lawsReport(profiles).join('\n'));
      return 0;
    case 'model': {
      if (rest[0] !== 'diff' || rest.length !== 1) throw new UsageError('model takes one subcommand: model diff --tree DIR');
      if (values.tree === undefined) throw new UsageError('model diff needs --tree DIR');
      if ((values.profile?.length ?? 0) > 1) throw new UsageError('model diff takes one --profile');
      console.log(modelDiffReport(values.tree, given).lines.join('\n'));
      return 0;
    }
    case 'helper':
      console.log(helperReport(one('helper name, e.g. mmlens helper pte_mkwrite'), profiles).join('\n'));
      return 0;
    case 'profiles':
      console.log(profilesReport().join('\n'));
      return 0;
    case 'rules':
      console.log(rulesReport(values.profile ?? []).join('\n'));
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function main(): void {
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      const known = usage || error instanceof InputError || error instanceof ProfileError;
      console.error(`mmlens: ${(error as Error).message}${usage ? `\n\n${USAGE}` : ''}`);
      if (!known) console.error((error as Error).stack);
      process.exitCode = 2;
    },
  );
}

if (isCheckWorker()) void serveCheckWorker();
else main();
