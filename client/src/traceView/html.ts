// The trace view's page, built from a TraceResult in the extension host. Pure (no vscode):
// the webview script only forwards clicks, so everything shown is decided here and tested.
//
// Stable hooks for the script, the stylesheet and end-to-end tests:
//   #path-picker (select), #copy-text (button), #steps (table), tr.step[data-index],
//   tr.step.state / tr.step.event, tr.step.hazard, td.bit[data-bit] with .bit-0/.bit-1/.bit-unknown,
//   td.bit.changed, td.form.changed, a.rule[data-rule], #notes.

import type { TraceEntry, TracePathInfo, TraceResult, TraceStep } from '../../../server/src/protocol';

export interface WebviewAssets {
  /** `webview.cspSource`: where the stylesheet and script may come from. */
  readonly cspSource: string;
  /** Fresh per render; only scripts carrying it run. */
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
}

/** Bits every hazard is about (x86/generic W D, arm64 WR RO DT): shown even when they never change. */
export const ALWAYS_SHOWN: ReadonlySet<string> = new Set(['W', 'D', 'WR', 'RO', 'DT']);
const PICKER_LABEL_WIDTH = 120;
const SIDES: Readonly<Record<TraceResult['side'], string>> = { pre: 'before the patch', post: 'after the patch', source: 'source' };

/** Nothing but the extension's stylesheet and the scripts carrying this render's nonce. */
function contentSecurityPolicy(assets: WebviewAssets): string {
  return [`default-src 'none'`, `style-src ${assets.cspSource}`, `script-src 'nonce-${assets.nonce}'`].join('; ');
}

/** The page's head: the policy, the stylesheet and the title; `<body>` follows. */
export function pageHead(assets: WebviewAssets, title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escape(contentSecurityPolicy(assets))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escape(assets.styleUri)}">
<title>${escape(title)}</title>
</head>`;
}

export function traceHtml(trace: TraceResult, assets: WebviewAssets): string {
  const columns = bitColumns(trace.steps);
  return `${pageHead(assets, `mmlens trace: ${trace.function}`)}
<body>
<header id="trace-header">
<h1><span class="function">${escape(trace.function)}</span> <span class="profile">${escape(trace.profile)}</span> <span class="side">${escape(SIDES[trace.side] ?? trace.side)}</span></h1>
<div class="toolbar">
<label for="path-picker">Path</label>
<select id="path-picker">${trace.paths.map((path) => pathOption(path, trace.path)).join('')}</select>
<button id="copy-text" type="button" title="Copy this path as the plain-text table the CLI prints, for a mail reply">Copy as text</button>
</div>
${pathSummary(trace.paths.find((path) => path.index === trace.path))}
</header>
${trace.steps.length > 0 ? stepsTable(trace.steps, columns) : '<p class="empty">No step of this path touches an entry.</p>'}
${trace.notes.length > 0 ? `<ul id="notes">${trace.notes.map((note) => `<li>${escape(note)}</li>`).join('')}</ul>` : ''}
<script nonce="${escape(assets.nonce)}" src="${escape(assets.scriptUri)}"></script>
</body>
</html>
`;
}

function pathLabel(path: TracePathInfo): string {
  const decisions = path.decisions.join(' → ') || '(straight line)';
  const hazards = path.hazards.length > 0 ? ` ⚠ ${path.hazards.join(', ')}` : '';
  return `${path.index + 1}: ${decisions} [${path.end}]${hazards}`;
}

function pathOption(path: TracePathInfo, shown: number): string {
  const label = pathLabel(path);
  const clipped = label.length <= PICKER_LABEL_WIDTH ? label : `${label.slice(0, PICKER_LABEL_WIDTH - 1)}…`;
  const classes = path.hazards.length > 0 ? ' class="hazard"' : '';
  return `<option value="${path.index}"${classes}${path.index === shown ? ' selected' : ''} title="${escape(label)}">${escape(clipped)}</option>`;
}

function pathSummary(path: TracePathInfo | undefined): string {
  if (!path) return '';
  const decisions = path.decisions.length > 0 ? path.decisions.map((d) => `<code>${escape(d)}</code>`).join(' → ') : '(straight line)';
  return `<p id="path-decisions">${decisions} <span class="end">[${escape(path.end)}]</span></p>`;
}

/** The bit columns: every bit that changes or differs along the path, plus the ones hazards are about. */
export function bitColumns(steps: readonly TraceStep[]): string[] {
  const entries = steps.flatMap((step) => [step.before, step.after]).filter((entry) => entry !== undefined);
  return columnsOf(entries, new Set(steps.flatMap((step) => step.changed)), ALWAYS_SHOWN);
}

/** Bits in the entries' order that are always shown, changed, or not the same in every entry that has them. */
export function columnsOf(entries: readonly TraceEntry[], changed: ReadonlySet<string>, alwaysShown: ReadonlySet<string>): string[] {
  const order = [...new Set(entries.flatMap((entry) => Object.keys(entry.bits)))];
  // an entry without the bit (none, before the page is mapped) does not make it vary
  const varies = (bit: string) => new Set(entries.map((entry) => entry.bits[bit]).filter((value) => value !== undefined)).size > 1;
  return order.filter((bit) => alwaysShown.has(bit) || changed.has(bit) || varies(bit));
}

function stepsTable(steps: readonly TraceStep[], columns: readonly string[]): string {
  const head = `<tr><th class="line">line</th><th class="kind">event</th><th class="detail">step</th><th class="form">form</th>${columns
    .map((bit) => `<th class="bit-name">${escape(bit)}</th>`)
    .join('')}</tr>`;
  return `<table id="steps">
<thead>${head}</thead>
<tbody>
${steps.map((step, index) => stepRow(step, index, columns)).join('\n')}
</tbody>
</table>`;
}

function stepRow(step: TraceStep, index: number, columns: readonly string[]): string {
  const entry = step.after ?? step.before;
  const classes = ['step', entry ? 'state' : 'event', ...(step.hazards.length > 0 ? ['hazard'] : [])];
  const line = step.range.start.line + 1;
  const cells = [
    `<td class="line">${line}</td>`,
    `<td class="kind">${escape(step.kind)}</td>`,
    `<td class="detail"><code>${escape(step.detail)}</code>${step.hazards.map(ruleLink).join('')}${step.source && step.source !== step.detail ? `<div class="source">${escape(step.source)}</div>` : ''}</td>`,
  ];
  if (entry) {
    const formChanged = step.changed.includes('form');
    const formTitle = formChanged && step.before ? ` title="form: ${escape(step.before.form)} → ${escape(entry.form)}"` : '';
    cells.push(`<td class="form${formChanged ? ' changed' : ''}"${formTitle}>${escape(entry.form)}</td>`);
    cells.push(...columns.map((bit) => bitCell(step, bit)));
  } else {
    cells.push(`<td class="no-entry" colspan="${columns.length + 1}"></td>`);
  }
  return `<tr class="${classes.join(' ')}" data-index="${index}" data-kind="${escape(step.kind)}" data-line="${line}" tabindex="0">${cells.join('')}</tr>`;
}

/** A rule that fires at the step, next to the call where it is seen; opens the rule's page. */
export function ruleLink(rule: string): string {
  return ` <a class="rule" href="#" data-rule="${escape(rule)}" title="Open the rule's documentation">${escape(rule)}</a>`;
}

function bitCell(step: TraceStep, bit: string): string {
  const value = (step.after ?? step.before)?.bits[bit];
  if (value === undefined) return `<td class="bit bit-absent" data-bit="${escape(bit)}"></td>`;
  const kind = value === '1' ? 'bit-1' : value === '0' ? 'bit-0' : 'bit-unknown';
  const changed = step.changed.includes(bit);
  const title = changed ? `${bit}: ${step.before?.bits[bit] ?? '?'} → ${value}` : `${bit}=${value}`;
  return `<td class="bit ${kind}${changed ? ' changed' : ''}" data-bit="${escape(bit)}" title="${escape(title)}">${escape(value)}</td>`;
}

/** For text and double-quoted attribute values (every attribute here is double-quoted). */
export function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
