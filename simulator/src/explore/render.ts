// A violating schedule as text: one column per CPU (the step it took), then the entry and
// every TLB after the step — the shape of seed 003's three-column diagram. Long cells wrap
// onto continuation lines so the columns stay aligned.

import type { InterleavingViolation, ScheduleRow } from './types';

/** Widest cell of a CPU's column, and of the others. */
const ACTION_WIDTH = 36;
const STATE_WIDTH = 48;

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

export function renderSchedule(violation: InterleavingViolation, cpuNames: readonly string[]): string[] {
  const header = [...cpuNames, 'entry', ...cpuNames.map((name) => `TLB ${name}`), 'pending', 'locks'];
  const cells = (row: ScheduleRow) => [
    ...cpuNames.map((name) => (row.cpu === name ? row.action : '')),
    row.entry,
    ...cpuNames.map((name) => row.tlbs[name] ?? '-'),
    String(row.flushPending),
    row.locks,
  ];
  const rows = [cells(violation.initial), ...violation.schedule.map(cells)];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => Math.min(i < cpuNames.length ? ACTION_WIDTH : STATE_WIDTH, r[i]!.length))));
  const line = (r: readonly string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-+-')];
  for (const row of rows) {
    const wrapped = row.map((cell, i) => wrap(cell, widths[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let k = 0; k < height; k++) out.push(line(wrapped.map((w) => w[k] ?? '')));
  }
  out.push(`${violation.property}: ${violation.message}`);
  return out;
}
