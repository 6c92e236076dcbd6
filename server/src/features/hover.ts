// Hover. On an entry-typed variable: the states it is given. On a helper call: the entry
// before → after on each distinct path, and the helper's semantics on the active profile. On a
// hunk of a patch or an email: what the hunk does to its function (hazards fixed, introduced,
// unchanged; paths whose final entry changed). The hover's range is the call, the word or the
// hunk.

import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import { formatHelperMarkdown, helperSetFor, parseProfile, type CallSiteState } from '../../../simulator/src';
import type { AnalysedFunction, HunkSummary } from '../analysis/analyzeDocument';
import { entryTable, type EntryRow } from '../analysis/entryMarkdown';
import { entryVariable } from '../analysis/entryVariables';
import { definitionHover } from './definitionHover';
import type { FunctionDetail } from '../analysis/functionCache';
import { changedPaths } from '../analysis/pathChanges';
import { COMMANDS, type ShowTraceArguments } from '../protocol';
import type { DocumentResult } from '../session/documentAnalyses';
import { contains, functionsAt, identifierAt, innermost, sameRange } from '../session/locate';
import { documentUri, throwIfCancelled, validPosition } from '../session/requests';
import type { Session } from '../session/session';
import type { Position, Range } from '../text/positions';

const MAX_PATH_ROWS = 8;

export function register(session: Session): void {
  session.connection.onHover(async (params, token) => {
    const uri = documentUri(params);
    const position = validPosition(params.position);
    if (!position) return null;
    const result = await session.analyses.current(uri, token);
    throwIfCancelled(token);
    if (!result) return null;
    const detail = (fn: AnalysedFunction) => session.analyses.detail(fn);
    return variableHover(result, position, detail) ?? callHover(result, position, detail) ?? definitionHover(uri, result.text, position, result.profile) ?? helperHover(result, position) ?? hunkHover(result, position, detail);
  });
}

type Detail = (fn: AnalysedFunction) => FunctionDetail | undefined;

function markdown(value: string, range: Range): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range };
}

/** A call site the engine simulated: its effect on every path, and what the helper does. */
function callHover(result: DocumentResult, position: Position, detail: Detail): Hover | undefined {
  for (const fn of functionsAt(result.analysis.functions, position)) {
    const full = detail(fn);
    const call = full && innermost(full.analysis.callSites, position);
    if (!full || !call) continue;
    const rows = full.analysis.callSites.filter((c) => sameRange(c.range, call.range));
    const paths = rows.reduce((n, r) => n + r.paths, 0);
    const value = [
      `**${call.callee}** in \`${fn.name}\` on \`${fn.profile}\` — ${rows.length === 1 ? 'one effect' : `${rows.length} different effects`} on ${plural(paths, 'path')}${sideNote(fn)}`,
      '',
      entryTable('paths', rows.map((r): EntryRow => ({ label: String(r.paths), ...entries(r) }))),
      '',
      '---',
      formatHelperMarkdown(helperSetFor(parseProfile(fn.profile)), call.callee),
      '',
      traceLink(result.uri, fn),
    ].join('\n');
    return markdown(value, call.range);
  }
  return undefined;
}

/** An entry-typed variable: the value of each assignment on each path, as the engine saw it. */
function variableHover(result: DocumentResult, position: Position, detail: Detail): Hover | undefined {
  const word = identifierAt(result.text, position);
  if (!word) return undefined;
  for (const fn of functionsAt(result.analysis.functions, position)) {
    const full = detail(fn);
    const variable = full && entryVariable(full.ir, word.name);
    if (!full || !variable) continue;
    const helpers = helperSetFor(parseProfile(fn.profile));
    const rows: EntryRow[] = [];
    for (const assignment of variable.assignments) {
      const calls = full.analysis.callSites.filter((c) => sameRange(c.range, assignment.range));
      // an in-place primitive (ptep_get, ptep_clear_flush …) returns the slot's value before it
      const inPlace = assignment.callee !== undefined && helpers.get(assignment.callee)?.def.kind === 'inplace';
      const label = `${assignment.range.start.line + 1}: ${shorten(assignment.text)}`;
      if (calls.length === 0) rows.push({ label });
      for (const call of calls) rows.push({ label, ...(inPlace ? (call.before ? { after: call.before } : {}) : entries(call)) });
    }
    const type = variable.type.kind === 'entry' ? `${variable.type.level}_t` : 'swp_entry_t';
    const lines = [`**${variable.name}** (\`${type}\`) in \`${fn.name}\` on \`${fn.profile}\`${sideNote(fn)}`, ''];
    if (variable.parameter) lines.push('A parameter: any entry the kernel keeps in a page table (its invariants hold).', '');
    if (rows.length > 0) lines.push('Values it is given (line: expression), one row per distinct state:', '', entryTable('assigned at', rows));
    else if (!variable.parameter) lines.push('It is never assigned here.');
    return markdown(lines.join('\n'), word.range);
  }
  return undefined;
}

/** A helper name the engine did not reach (or outside any function): what it does on the profile. */
function helperHover(result: DocumentResult, position: Position): Hover | undefined {
  const word = identifierAt(result.text, position);
  if (!word) return undefined;
  const profile = functionsAt(result.analysis.functions, position)[0]?.profile ?? result.profile;
  const helpers = helperSetFor(parseProfile(profile));
  if (!helpers.has(word.name)) return undefined;
  return markdown(formatHelperMarkdown(helpers, word.name), word.range);
}

/** A hunk: the enclosing function before and after it. */
function hunkHover(result: DocumentResult, position: Position, detail: Detail): Hover | undefined {
  const hunk = result.analysis.hunks.find((h) => contains(h.range, position));
  if (!hunk) return undefined;
  const touching = result.analysis.functions.filter((fn) => fn.hunkIndexes.includes(hunk.hunkIndex));
  const side = (which: 'pre' | 'post') => touching.filter((fn) => fn.side === which).flatMap((fn) => detail(fn)?.analysis.paths ?? []);
  const changes = changedPaths(side('pre'), side('post'));
  const name = hunk.functionName ? `\`${hunk.functionName}\`` : 'its code';
  const lines = [
    `**Hunk ${hunk.hunkIndex + 1}** — ${name} before → after this hunk${touching[0] ? ` on \`${touching[0].profile}\`` : ''}`,
    '',
    `- introduced: ${ruleList(hunk.introduced)}`,
    `- fixed: ${ruleList(hunk.fixed)}`,
    `- unchanged: ${ruleList(hunk.unchanged)}`,
    `- paths: ${hunk.pathsBefore} → ${hunk.pathsAfter}`,
  ];
  if (touching.length === 0) lines.push('', '_No function of this hunk could be analysed._');
  else if (changes.length === 0) lines.push('', 'No path ends in a different entry.');
  else {
    lines.push('', `Paths whose final entry changed (${changes.length}):`, '');
    const rows = changes.slice(0, MAX_PATH_ROWS).map((c): EntryRow => ({ label: `${c.decisions}${c.before ? '' : ' (new)'}${c.after ? '' : ' (gone)'}`, ...(c.before ? { before: c.before } : {}), ...(c.after ? { after: c.after } : {}) }));
    lines.push(entryTable('path', rows, 'all'));
    if (changes.length > MAX_PATH_ROWS) lines.push('', `… and ${changes.length - MAX_PATH_ROWS} more (see the trace).`);
  }
  const post = touching.find((fn) => fn.side === 'post');
  if (post) lines.push('', traceLink(result.uri, post));
  return markdown(lines.join('\n'), hunk.range);
}

function entries(call: CallSiteState): Pick<EntryRow, 'before' | 'after'> {
  return { ...(call.before ? { before: call.before } : {}), ...(call.after ? { after: call.after } : {}) };
}

function traceLink(uri: string, fn: AnalysedFunction): string {
  const args: ShowTraceArguments = { uri, function: fn.name, side: fn.side };
  return `[Show every path](command:${COMMANDS.showTrace}?${encodeURIComponent(JSON.stringify([args]))})`;
}

function sideNote(fn: AnalysedFunction): string {
  return fn.side === 'pre' ? ' (before the patch)' : fn.side === 'post' ? ' (after the patch)' : '';
}

function ruleList(rules: HunkSummary['fixed']): string {
  return rules.length === 0 ? '—' : rules.map((r) => `\`${r}\``).join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 48 ? `${flat.slice(0, 47)}…` : flat;
}
