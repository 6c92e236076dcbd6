// The trace view's page for a scenario (protocol.ts ScenarioTraceResult), built in the extension
// host like html.ts: a sequential run as a table of steps with the entry's bits after each, and a
// violating interleaving as a table with a column per CPU, then the entry and every CPU's TLB.
//
// Hooks for the script, the stylesheet and end-to-end tests: #scenario-verdict, #copy-text,
// #steps (tr.step[data-index] with .violation / .hazard, td.bit[data-bit]), #schedule
// (th.cpu[data-cpu], tr.step[data-index], tr.violating, td.tlb[data-cpu]), #problems, #notes.

import type { ScenarioStepView, ScenarioTraceResult, ScheduleView, TraceEntry } from '../../../server/src/protocol';
import { ALWAYS_SHOWN as TRACE_ALWAYS_SHOWN, columnsOf, escape, pageHead, ruleLink, type WebviewAssets } from './html';

/** Bits worth a column: those that change somewhere, the ones every hazard is about, and the tracking bits scenarios follow. */
const ALWAYS_SHOWN = new Set([...TRACE_ALWAYS_SHOWN, 'SFD', 'UW']);

/** What a row of the page points at: an index into this list of 0-based document lines. */
export function scenarioRowLines(result: ScenarioTraceResult): (number | undefined)[] {
  return result.schedule ? result.schedule.rows.map((row) => row.line) : result.steps.map((step) => step.line);
}

export function scenarioHtml(result: ScenarioTraceResult, assets: WebviewAssets): string {
  const title = result.name ?? 'scenario';
  const body = result.problems.length > 0 ? problemsList(result) : `${result.steps.length > 0 ? stepsTable(result) : ''}${result.schedule ? scheduleTable(result.schedule, result.explored) : result.explored ? `<p id="explored">${escape(result.explored)}</p>` : ''}`;
  return `${pageHead(assets, `mmlens scenario: ${title}`)}
<body>
<header id="trace-header">
<h1><span class="function">${escape(title)}</span> <span class="profile">${escape(result.profile)}</span></h1>
<div class="toolbar">
<span id="scenario-verdict" class="${result.holds ? 'holds' : 'violated'}">${escape(result.verdict)}</span>
<button id="copy-text" type="button" title="Copy the run as the plain-text report mmlens scenario prints">Copy as text</button>
</div>
</header>
${body}
${result.notes.length > 0 ? `<ul id="notes">${result.notes.map((note) => `<li>${escape(note)}</li>`).join('')}</ul>` : ''}
<script nonce="${escape(assets.nonce)}" src="${escape(assets.scriptUri)}"></script>
</body>
</html>
`;
}

function problemsList(result: ScenarioTraceResult): string {
  return `<ul id="problems">${result.problems.map((p) => `<li>line ${p.line + 1}: ${escape(p.message)}</li>`).join('')}</ul>`;
}

function stepsTable(result: ScenarioTraceResult): string {
  const entries = [...(result.initial ? [result.initial] : []), ...result.steps.map((s) => s.after)];
  const columns = columnsOf(entries, new Set(result.steps.flatMap((s) => s.changed)), ALWAYS_SHOWN);
  const head = `<tr><th class="line">step</th><th class="detail">operation</th><th class="form">form</th>${columns.map((bit) => `<th class="bit-name">${escape(bit)}</th>`).join('')}<th class="kernel">what the kernel did</th></tr>`;
  const start = result.initial
    ? `<tr class="start"><td class="line"></td><td class="detail">(start)</td><td class="form">${escape(result.initial.form)}</td>${columns.map((bit) => entryBit(result.initial!, bit, false)).join('')}<td class="kernel"></td></tr>`
    : '';
  return `<table id="steps">
<thead>${head}</thead>
<tbody>
${start}
${result.steps.map((step, index) => stepRow(step, index, columns)).join('\n')}
</tbody>
</table>`;
}

function stepRow(step: ScenarioStepView, index: number, columns: readonly string[]): string {
  const classes = ['step', 'state', ...(step.violations.length > 0 ? ['violation', 'hazard'] : step.hazards.length > 0 ? ['hazard'] : [])];
  const rules = [...new Set([...step.violations, ...step.hazards])];
  const kernel = `${step.trap ? `<span class="trap">${escape(step.trap)}</span> ` : ''}${step.path.map((p, i) => `<div class="path" title="${escape(step.sources[i] ?? '')}">${escape(p)}</div>`).join('')}${step.messages.map((m) => `<div class="source">${escape(m)}</div>`).join('')}`;
  const cells = [
    `<td class="line">${step.index}</td>`,
    `<td class="detail"><code>${escape(step.text)}</code>${rules.map(ruleLink).join('')}</td>`,
    `<td class="form${step.changed.includes('form') ? ' changed' : ''}">${escape(step.after.form)}</td>`,
    ...columns.map((bit) => entryBit(step.after, bit, step.changed.includes(bit))),
    `<td class="kernel">${kernel}</td>`,
  ];
  return `<tr class="${classes.join(' ')}" data-index="${index}" data-line="${step.line + 1}" tabindex="0">${cells.join('')}</tr>`;
}

function entryBit(entry: TraceEntry, bit: string, changed: boolean): string {
  const value = entry.bits[bit];
  if (value === undefined) return `<td class="bit bit-absent" data-bit="${escape(bit)}"></td>`;
  return `<td class="bit bit-${value}${changed ? ' changed' : ''}" data-bit="${escape(bit)}" title="${escape(`${bit}=${value}`)}">${escape(value)}</td>`;
}

/**
 * Text that may wrap inside kernel names and lock lists (after `_`, `,` and `:`, before `(`), so the
 * schedule's columns fit the view: `inc_tlb_flush_pending` and `mmap:r(cpu0,cpu1)` are single words.
 */
function breakable(text: string): string {
  return escape(text)
    .replace(/([_,:])(?=\S)/g, '$1<wbr>')
    .replace(/(?<=\S)\(/g, '<wbr>(');
}

function scheduleTable(schedule: ScheduleView, explored: string | undefined): string {
  const cpus = schedule.cpus;
  const head = `<tr><th class="line">#</th>${cpus.map((cpu) => `<th class="cpu" data-cpu="${escape(cpu)}">${escape(cpu)}</th>`).join('')}<th class="entry">entry</th>${cpus.map((cpu) => `<th class="tlb" data-cpu="${escape(cpu)}">TLB ${escape(cpu)}</th>`).join('')}<th class="pending">flush pending</th><th class="locks">locks</th></tr>`;
  const last = schedule.rows.length - 1;
  const rows = schedule.rows.map((row, index) => {
    const classes = ['step', ...(index === 0 ? ['start'] : []), ...(index === last ? ['violating', 'hazard'] : [])];
    const cells = [
      `<td class="line">${index === 0 ? '' : index}</td>`,
      ...cpus.map((cpu) => `<td class="action${row.cpu === cpu ? ' active' : ''}" data-cpu="${escape(cpu)}">${row.cpu === cpu ? breakable(row.action) : ''}</td>`),
      `<td class="entry"><code>${escape(row.entry)}</code></td>`,
      ...cpus.map((cpu) => `<td class="tlb" data-cpu="${escape(cpu)}">${escape(row.tlbs[cpu] ?? '-')}</td>`),
      `<td class="pending">${row.flushPending}</td>`,
      `<td class="locks">${breakable(row.locks)}</td>`,
    ];
    return `<tr class="${classes.join(' ')}" data-index="${index}"${row.line !== undefined ? ` data-line="${row.line + 1}"` : ''} tabindex="0">${cells.join('')}</tr>`;
  });
  return `<p id="schedule-property">${ruleLink(schedule.property)} ${escape(schedule.message)}</p>
<table id="schedule">
<thead>${head}</thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
${explored ? `<p id="explored">${escape(explored)}</p>` : ''}`;
}
