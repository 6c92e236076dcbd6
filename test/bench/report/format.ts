// Pure text formatting of the bench's results: aligned tables, values with their units, budgets
// with ✓ / ✗ and by how much they are missed.

export interface Table {
  readonly headers: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

const NUMERIC = /^[-+]?[\d.,]+(\s|$)|^(NaN|–)$/;

/** Columns padded to their widest cell; cells that start with a number are right-aligned. */
export function renderTable(table: Table, indent = '  '): string[] {
  const widths = table.headers.map((header, i) => Math.max(header.length, ...table.rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[], header: boolean) =>
    indent +
    cells
      .map((cell, i) => (!header && NUMERIC.test(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(table.headers, true), indent + widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map((row) => line(row, false))];
}

/** A number with its unit, rounded for reading: 0.123 ms, 12.3 ms, 1234 ms. */
export function formatValue(value: number | undefined, unit: string): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  const abs = Math.abs(value);
  const digits = abs >= 100 || abs === 0 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const text = value.toFixed(digits);
  return unit === '' ? text : unit === '%' ? `${text} %` : `${text} ${unit}`;
}

export interface Budget {
  readonly name: string;
  readonly measured: number | undefined;
  readonly unit: string;
  readonly limit: number;
  /** '<=' for "at most", '<' for "less than". */
  readonly comparison: '<=' | '<';
  /** What was measured when it is not exactly what the budget names (a scaled or capped run). */
  readonly note?: string;
}

export function withinBudget(budget: Budget): boolean | undefined {
  if (budget.measured === undefined || Number.isNaN(budget.measured)) return undefined;
  return budget.comparison === '<=' ? budget.measured <= budget.limit : budget.measured < budget.limit;
}

export function budgetMark(budget: Budget): string {
  const ok = withinBudget(budget);
  return ok === undefined ? '?' : ok ? '✓' : '✗';
}

/** "17.6 ms (budget ≤ 20 ms ✓)" */
export function formatBudget(budget: Budget): string {
  return `${formatValue(budget.measured, budget.unit)} (budget ${budget.comparison === '<=' ? '≤' : '<'} ${formatValue(budget.limit, budget.unit)} ${budgetMark(budget)})`;
}

/** How far over the limit a missed budget is, as a factor of the limit: "2.4× the budget". */
export function overBy(budget: Budget): string {
  if (withinBudget(budget) !== false || budget.measured === undefined) return '';
  if (budget.limit === 0) return 'over';
  return `${formatValue(budget.measured / budget.limit, '')}× the budget`;
}

export function renderBudgets(budgets: readonly Budget[]): string[] {
  return renderTable({
    headers: ['budget', 'measured', 'limit', '', 'missed by', 'note'],
    rows: budgets.map((b) => [b.name, formatValue(b.measured, b.unit), `${b.comparison === '<=' ? '≤' : '<'} ${formatValue(b.limit, b.unit)}`, budgetMark(b), overBy(b), b.note ?? '']),
  });
}
