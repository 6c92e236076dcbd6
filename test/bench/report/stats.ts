// Pure aggregation of measurements: quantiles, distributions, path-count buckets, bound kinds.

export interface Distribution {
  readonly count: number;
  readonly median: number;
  readonly p90: number;
  readonly p95: number;
  readonly max: number;
}

/** The value at quantile q (0–1) of `values`, nearest rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))]!;
}

export function distribution(values: readonly number[]): Distribution {
  return { count: values.length, median: quantile(values, 0.5), p90: quantile(values, 0.9), p95: quantile(values, 0.95), max: values.length ? Math.max(...values) : NaN };
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Path-count buckets per function; the last one is the default path bound (256). */
export const PATH_BUCKETS: ReadonlyArray<readonly [string, number]> = [
  ['0', 0],
  ['1', 1],
  ['2-4', 4],
  ['5-16', 16],
  ['17-64', 64],
  ['65-255', 255],
  ['256+', Infinity],
];

export function pathBucket(paths: number): string {
  return PATH_BUCKETS.find(([, most]) => paths <= most)![0];
}

/** The kind of a bound the engine reports (analysis boundsHit), without its names and numbers. */
export function boundKind(message: string): string {
  if (/loops unrolled/.test(message)) return 'loop unroll';
  if (/nested deeper/.test(message)) return 'inline depth';
  if (/paths to inline/.test(message)) return 'callee paths to inline';
  if (/too large to inline/.test(message)) return 'callee too large to inline';
  if (/truncated after .* paths/.test(message)) return 'paths per function';
  if (/time budget|cancelled/.test(message)) return 'time budget';
  if (/BDD nodes/.test(message)) return 'BDD nodes';
  if (/too many different values/.test(message)) return 'merged callee values';
  if (/cut after .* steps/.test(message)) return 'steps per path';
  return 'other';
}

export interface FunctionPaths {
  readonly paths: number;
  readonly boundsHit: readonly string[];
}

export interface PathStats {
  readonly functions: number;
  /** Functions per path-count bucket (PATH_BUCKETS). */
  readonly pathsPerFunction: Record<string, number>;
  readonly paths: Distribution;
  /** Functions that hit each kind of bound (a function counts once per kind). */
  readonly boundsHit: Record<string, number>;
}

export function pathStats(functions: readonly FunctionPaths[]): PathStats {
  const pathsPerFunction = Object.fromEntries(PATH_BUCKETS.map(([name]) => [name, 0]));
  const boundsHit: Record<string, number> = {};
  for (const fn of functions) {
    pathsPerFunction[pathBucket(fn.paths)]!++;
    for (const kind of new Set(fn.boundsHit.map(boundKind))) boundsHit[kind] = (boundsHit[kind] ?? 0) + 1;
  }
  return { functions: functions.length, pathsPerFunction, paths: distribution(functions.map((f) => f.paths)), boundsHit };
}
