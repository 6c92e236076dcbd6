// Entries for the editor: a compact Markdown bit table for hovers (one row per distinct
// before → after, changed bits marked) and a few-character label for inlay hints (`W0 D1 UW1`).

import { changedBits, type RenderedEntry } from '../../../simulator/src';

/** The bits hazards are about; shown whenever the architecture has them. */
const RELEVANT = ['W', 'D', 'SD', 'SFD', 'UW', 'WR', 'RO', 'DT', 'swp_sd', 'swp_uw'];
/** The bits an inlay hint always shows when known. */
const PRIMARY = ['W', 'D', 'WR', 'DT'];
const MAX_HINT_ITEMS = 5;

export interface EntryRow {
  readonly label: string;
  readonly before?: RenderedEntry;
  readonly after?: RenderedEntry;
}

/** The bit columns for rows: the relevant bits, and any bit that changes or differs between rows. */
function columnsFor(rows: readonly EntryRow[]): string[] {
  const entries = rows.flatMap((r) => (r.after ? [r.after] : []));
  const order = [...new Set(entries.flatMap((e) => Object.keys(e.bits)))];
  const shown = new Set(order.filter((bit) => RELEVANT.includes(bit)));
  for (const bit of order) if (new Set(entries.map((e) => e.bits[bit])).size > 1) shown.add(bit);
  for (const row of rows) for (const bit of changedBits(row.before, row.after)) shown.add(bit);
  return order.filter((bit) => shown.has(bit));
}

/**
 * A Markdown table: a label column, the form, and the bits; `0→**1**` marks a change. With
 * `differences: 'all'`, a bit that was unknown on one side shows as `?→1` too.
 */
export function entryTable(labelHeader: string, rows: readonly EntryRow[], differences: 'known' | 'all' = 'known'): string {
  const columns = columnsFor(rows);
  const header = `| ${labelHeader} | form | ${columns.join(' | ')} |`;
  const rule = `|${' --- |'.repeat(columns.length + 2)}`;
  const body = rows.map((row) => {
    const changed = new Set(changedBits(row.before, row.after));
    const cell = (before: string | undefined, after: string | undefined, marked: boolean) => {
      if (marked) return `${before}→**${after}**`;
      if (differences === 'all' && row.before && before !== after) return `${before ?? '·'}→${after ?? '·'}`;
      return after ?? '·';
    };
    const form = cell(row.before?.form, row.after?.form, changed.has('form'));
    const bits = columns.map((bit) => cell(row.before?.bits[bit], row.after?.bits[bit], changed.has(bit)));
    return `| ${escapeCell(row.label)} | ${form} | ${bits.join(' | ')} |`;
  });
  return [header, rule, ...body].join('\n');
}

/**
 * The entry after a call as a short label, for an inlay hint: the bits the call changed and W/D,
 * each only when every path agrees on it; the form when the call changed it. Empty when
 * nothing is known.
 */
export function compactEntry(rows: readonly { readonly before?: RenderedEntry; readonly after?: RenderedEntry }[]): string {
  const afters = rows.flatMap((r) => (r.after ? [r.after] : []));
  if (afters.length === 0) return '';
  const agreed = (read: (e: RenderedEntry) => string | undefined): string | undefined => {
    const values = new Set(afters.map(read));
    const [value] = values;
    return values.size === 1 && value !== undefined && value !== '?' ? value : undefined;
  };
  const changed = new Set(rows.flatMap((r) => changedBits(r.before, r.after)));
  const items: string[] = [];
  const form = agreed((e) => e.form);
  if (changed.has('form') && form) items.push(form);
  const names = Object.keys(afters[0]!.bits);
  for (const bit of names.filter((b) => PRIMARY.includes(b) || changed.has(b) || (RELEVANT.includes(b) && agreed((e) => e.bits[b]) === '1'))) {
    const value = agreed((e) => e.bits[bit]);
    if (value !== undefined) items.push(`${bit}${value}`);
  }
  return items.slice(0, MAX_HINT_ITEMS).join(' ');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
