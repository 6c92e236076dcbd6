// Steps of a path as a plain-text table of bits: what `mmlens check` prints under a
// finding, `mmlens simulate` prints per path, and the trace view copies for a mail reply.
//
//   line  step                                      form     W   D   UW
//     18  maybe_mkwrite(pte_mkdirty(pte), vma)      present  1*  1   0
//     20  pte_mkuffd_wp(pte)                        present  1   1   1*   <-- uffd-wp-writable
//
// A `*` marks a bit the step changed. Only bits that change somewhere on the path (and
// W and D, which every hazard is about) get a column, so the table fits a mail reply.

import { changedBits, type PathSummary, type RenderedEvent } from '../../../simulator/src';
import { formatDecisions } from './decisions';

const ALWAYS_SHOWN = ['W', 'D'];
const STEP_WIDTH = 44;
const KIND_WIDTH = 9;
/** Short names for the event column; a helper call has none. */
const KIND_LABELS: Readonly<Record<string, string>> = {
  call: '',
  'flush-pending-begin': 'pending+',
  'flush-pending-end': 'pending-',
  'folio-dirty': 'dirtied',
  'folio-exclusive': 'exclusive',
  'folio-file': 'file',
  'folio-lock': 'locked',
  'folio-unlock': 'unlocked',
  'mmap-write-lock': 'mmap+',
  'mmap-write-unlock': 'mmap-',
};

function columnsFor(events: readonly RenderedEvent[]): string[] {
  const entries = events.flatMap((e) => (e.after ? [e.after] : []));
  const order = entries[0] ? Object.keys(entries[0].bits) : [];
  const varying = new Set<string>();
  for (const name of order) {
    const values = new Set(entries.map((e) => e.bits[name]));
    if (values.size > 1) varying.add(name);
  }
  for (const e of events) for (const name of changedBits(e.before, e.after)) varying.add(name);
  return order.filter((name) => varying.has(name) || ALWAYS_SHOWN.includes(name));
}

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= width ? flat.padEnd(width) : `${flat.slice(0, width - 1)}…`;
}

/**
 * The table for a sequence of steps. `markers` puts a note (a rule id) at the end of the
 * row with that index.
 */
export function formatTraceTable(events: readonly RenderedEvent[], markers: ReadonlyMap<number, string> = new Map()): string[] {
  const columns = columnsFor(events);
  const widths = columns.map((c) => Math.max(c.length, 2) + 1);
  const header = `  line  ${'event'.padEnd(KIND_WIDTH)}${'step'.padEnd(STEP_WIDTH)}  ${'form'.padEnd(9)}${columns.map((c, i) => c.padEnd(widths[i]!)).join(' ')}`.trimEnd();
  const rows = events.map((event, index) => {
    const line = String(event.range.start.line + 1).padStart(6);
    const kind = (KIND_LABELS[event.kind] ?? event.kind).padEnd(KIND_WIDTH);
    const step = `${kind}${clip(event.detail, STEP_WIDTH)}`;
    const entry = event.after;
    const changed = new Set(changedBits(event.before, event.after));
    const form = entry ? `${entry.form}${changed.has('form') ? '*' : ''}`.padEnd(9) : ''.padEnd(9);
    const bits = entry ? columns.map((c, i) => `${entry.bits[c] ?? ' '}${changed.has(c) ? '*' : ''}`.padEnd(widths[i]!)).join(' ') : '';
    const marker = markers.get(index);
    return `${line}  ${step}  ${form}${bits}${marker ? `  <-- ${marker}` : ''}`.trimEnd();
  });
  return [header, ...rows];
}

/** One path for `mmlens simulate` and the trace view's "copy as text". */
export function formatPath(path: PathSummary): string[] {
  return [
    `path ${path.index + 1}: ${formatDecisions(path.decisions)}  [${path.end}]`,
    ...(path.hazards.length > 0 ? [`  hazards: ${path.hazards.join(', ')}`] : []),
    ...formatTraceTable(path.events),
  ];
}
