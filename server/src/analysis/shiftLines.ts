// Moves plain analysis data (IR, results, summaries) down or up by whole lines: a copy in which
// every numeric `line` property is shifted. Positions, ranges and annotations carry their lines
// that way and nothing else in the data has a numeric `line`, so a function whose text did
// not change but moved (lines inserted above it) can reuse what was computed for it. An object
// with a `file` (a finding, call or summary of another file) keeps its lines: that file did not
// move.

export function shiftLines<T>(value: T, delta: number): T {
  return delta === 0 ? value : (shift(value, delta) as T);
}

function shift(value: unknown, delta: number): unknown {
  if (Array.isArray(value)) return value.map((item) => shift(item, delta));
  // typed arrays (a summary's formula nodes) hold no lines
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  if (typeof (value as { file?: unknown }).file === 'string') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = key === 'line' && typeof item === 'number' ? item + delta : shift(item, delta);
  }
  return copy;
}
