// node out/test/realFixes/fetch.js [--refresh] [--only ID,…]
// Copies each fix's file, both sides, into the local cache from the first reachable source;
// one line per fix that stays uncached, saying why. Exit 0 unless the data file is bad.

import { readFixData, SIDES, type RealFix } from './data';
import { readCachedSide, resolveSide, sourceEnvironment, writeCachedSide, type SourceEnvironment } from './sources';

export interface FetchSummary {
  readonly cached: number;
  readonly fetched: number;
  readonly skipped: readonly { id: string; reason: string }[];
}

export function fetchFixes(fixes: readonly RealFix[], env: SourceEnvironment, refresh = false): FetchSummary {
  let cached = 0;
  let fetched = 0;
  const skipped: { id: string; reason: string }[] = [];
  for (const fix of fixes) {
    const reasons: string[] = [];
    let fresh = false;
    for (const side of SIDES) {
      if (!refresh && readCachedSide(env.cacheDir, fix, side)) continue;
      const resolution = resolveSide(env, fix, side);
      if ('missing' in resolution) reasons.push(`${side}: ${resolution.missing}`);
      else {
        writeCachedSide(env.cacheDir, fix, side, resolution.text, resolution.meta);
        fresh = true;
      }
    }
    if (reasons.length > 0) skipped.push({ id: fix.id, reason: reasons.join(' | ') });
    else if (fresh) fetched++;
    else cached++;
  }
  return { cached, fetched, skipped };
}

export function printFetchSummary(summary: FetchSummary, cacheDir: string): void {
  for (const s of summary.skipped) console.log(`skip ${s.id}: ${s.reason}`);
  console.log(`real-fixes cache ${cacheDir}: ${summary.cached} already cached, ${summary.fetched} fetched, ${summary.skipped.length} not reachable`);
}

function main(): number {
  const args = process.argv.slice(2);
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : undefined;
  let fixes;
  try {
    fixes = readFixData().fixes.filter((f) => !only || only.has(f.id));
  } catch (error) {
    console.error(`real-fixes: ${(error as Error).message}`);
    return 2;
  }
  const env = sourceEnvironment();
  printFetchSummary(fetchFixes(fixes, env, args.includes('--refresh')), env.cacheDir);
  return 0;
}

if (require.main === module) process.exitCode = main();
