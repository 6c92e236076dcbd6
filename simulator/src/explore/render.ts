// A violating schedule as text: one column per CPU (the step it took), then the entry and
// every TLB after the step — the shape of seed 003's three-column diagram.

import type { InterleavingViolation, ScheduleRow } from './types';

export function renderSchedule(violation: InterleavingViolation, cpuNames: readonly string[]): string[] {
  const header = [...cpuNames, 'entry', ...cpuNames.map((name) => `TLB ${name}`), 'pending', 'locks'];
  const cells = (row: ScheduleRow) => [
    ...cpuNames.map((name) => (row.cpu === name ? row.action : '')),
    row.entry,
    ...cpuNames.map((name) => row.tlbs[name] ?? '-'),
    String(row.flushPending),
    row.locks,
  ];
  const rows = [header, cells(violation.initial), ...violation.schedule.map(cells)];
  const widths = header.map((_, i) => Math.min(48, Math.max(...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.slice(1).map(line), `${violation.property}: ${violation.message}`];
}
