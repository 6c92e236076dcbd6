// npm run real-fixes [-- --profile-at X.Y] [--mode function|file|both] [--only ID,…]
//                       [--budget-ms N] [--no-fetch]
// Fetches what it can into the cache, runs mmlens on both sides of every cached fix (the
// function alone, and the whole file), prints a table and totals, and writes
// test-output/real-fixes/results.json. Exit 0 whatever the counts (the engine is changing);
// 2 on bad arguments or a bad data file.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CParser, defaultWasmPaths } from '../../server/src/parsing';
import { ruleIds } from '../../simulator/src/hazards/catalogue';
import { parseProfile } from '../../simulator/src/model/profile';
import { repoRoot } from '../helpers/paths';
import { readFixData, validateFixData, type RealFix } from './data';
import { evaluateFix, MODES, totalsOf, type FixOutcome, type Mode } from './evaluate';
import { fetchFixes, printFetchSummary } from './fetch';
import { readCachedSide, sourceEnvironment } from './sources';

export interface RunOptions {
  readonly profileAt?: string;
  readonly modes: readonly Mode[];
  readonly only?: ReadonlySet<string>;
  readonly budgetMs: number;
  readonly fetch: boolean;
}

export function parseRunArgs(args: readonly string[]): RunOptions {
  let profileAt: string | undefined;
  let modes: readonly Mode[] = MODES;
  let only: Set<string> | undefined;
  let budgetMs = 2000;
  let fetch = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--profile-at') {
      profileAt = value();
      if (!/^\d+\.\d+$/.test(profileAt)) throw new Error(`--profile-at takes a version x.y, not ${profileAt}`);
    } else if (arg === '--mode') {
      const m = value();
      if (m === 'both') modes = MODES;
      else if (m === 'function' || m === 'file') modes = [m];
      else throw new Error(`--mode takes function, file or both, not ${m}`);
    } else if (arg === '--only') only = new Set(value().split(','));
    else if (arg === '--budget-ms') {
      budgetMs = Number(value());
      if (!Number.isInteger(budgetMs) || budgetMs < 10) throw new Error('--budget-ms takes a whole number of milliseconds, at least 10');
    } else if (arg === '--no-fetch') fetch = false;
    else throw new Error(`unknown argument ${arg}`);
  }
  return { ...(profileAt ? { profileAt } : {}), modes, ...(only ? { only } : {}), budgetMs, fetch };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function sideCell(rules: readonly string[], problem: string | undefined): string {
  if (problem) return `! ${problem.slice(0, 40)}`;
  return rules.length === 0 ? '-' : rules.join(',');
}

export function formatTable(outcomes: readonly FixOutcome[]): string[] {
  const rows = outcomes.map((o) => [o.id, o.expected.join(','), sideCell(o.buggy.rules, o.buggy.problem), sideCell(o.fixed.rules, o.fixed.problem), o.caught ? 'yes' : o.flaggedAfterFix ? (o.laterFix ? `after-fix (bug fixed later: ${o.laterFix})` : 'after-fix') : 'no']);
  const header = ['fix', 'expected', 'buggy', 'fixed', 'caught'];
  const widths = header.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i]!))).join('  '));
}

export function formatTotals(mode: Mode, outcomes: readonly FixOutcome[]): string[] {
  const t = totalsOf(outcomes);
  const lines = [
    `${mode}: caught ${t.caught}/${t.fixes}; buggy side flagged with the expected rule ${t.buggyFlagged}; fixed side still flagged with it ${t.flaggedAfterFix} (${t.flaggedWithLaterFix} with a bug a later fix removed); fixed sides with other findings ${t.fixedWithOther}; sides not analysed ${t.problems}`,
  ];
  const kinds = [...new Set(outcomes.map((o) => o.kind))].sort();
  for (const kind of kinds) {
    const k = totalsOf(outcomes.filter((o) => o.kind === kind));
    lines.push(`  ${pad(kind, 13)} caught ${k.caught}/${k.fixes}, flagged after fix ${k.flaggedAfterFix}, other findings on fixed ${k.fixedWithOther}`);
  }
  return lines;
}

function profileFor(fix: RealFix, version: string, profileAt: string | undefined): string {
  return `${fix.arch}@${profileAt ?? version}`;
}

async function main(): Promise<number> {
  let options: RunOptions;
  let fixes: readonly RealFix[];
  try {
    options = parseRunArgs(process.argv.slice(2));
    if (options.profileAt) parseProfile(`x86_64@${options.profileAt}`);
    const data = readFixData();
    const problems = validateFixData(data, new Set(ruleIds()));
    if (problems.length > 0) throw new Error(`the data file is not well-formed:\n  ${problems.join('\n  ')}`);
    fixes = data.fixes.filter((f) => !options.only || options.only.has(f.id));
  } catch (error) {
    console.error(`real-fixes: ${(error as Error).message}`);
    return 2;
  }
  const env = sourceEnvironment();
  if (options.fetch) printFetchSummary(fetchFixes(fixes, env), env.cacheDir);
  const cached = fixes.flatMap((fix) => {
    const buggy = readCachedSide(env.cacheDir, fix, 'buggy');
    const fixed = readCachedSide(env.cacheDir, fix, 'fixed');
    return buggy && fixed ? [{ fix, buggy, fixed }] : [];
  });
  console.log(`${cached.length} of ${fixes.length} fixes have both sides cached`);
  if (cached.length === 0) {
    console.log('nothing to run: set MMLENS_KERNEL_GIT to a kernel clone, or see docs/real-fixes.md');
    return 0;
  }
  const parser = await CParser.load(defaultWasmPaths());
  const results: Record<string, FixOutcome[]> = {};
  const started = performance.now();
  for (const mode of options.modes) {
    const outcomes: FixOutcome[] = [];
    for (const { fix, buggy, fixed } of cached) {
      if (process.stderr.isTTY) process.stderr.write(`\r${mode} ${outcomes.length + 1}/${cached.length} ${fix.id}\x1b[K`);
      outcomes.push(
        evaluateFix(
          parser,
          fix,
          {
            buggy: { text: buggy.text, profile: profileFor(fix, buggy.meta.version, options.profileAt) },
            fixed: { text: fixed.text, profile: profileFor(fix, fixed.meta.version, options.profileAt) },
          },
          mode,
          { budgetMs: options.budgetMs },
        ),
      );
    }
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    results[mode] = outcomes;
    console.log(`\n== ${mode === 'function' ? 'the function alone' : 'the whole file'}${options.profileAt ? ` at ${options.profileAt}` : ', each side at its own version'}`);
    for (const line of formatTable(outcomes)) console.log(line);
  }
  console.log('');
  for (const mode of options.modes) for (const line of formatTotals(mode, results[mode]!)) console.log(line);
  const out = join(repoRoot(), 'test-output', 'real-fixes');
  mkdirSync(out, { recursive: true });
  const file = join(out, 'results.json');
  const totals = Object.fromEntries(Object.entries(results).map(([mode, o]) => [mode, totalsOf(o)]));
  writeFileSync(file, `${JSON.stringify({ profileAt: options.profileAt ?? null, cachedFixes: cached.length, listedFixes: fixes.length, seconds: Math.round((performance.now() - started) / 1000), totals, results }, null, 2)}\n`);
  console.log(`results: ${file}`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`real-fixes: ${(error as Error)?.stack ?? String(error)}`);
      process.exitCode = 1;
    },
  );
}
