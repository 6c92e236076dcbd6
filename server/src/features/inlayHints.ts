// Inlay hints after helper calls and installs: the entry they produce, in a few characters
// (`W0 D1 UW1`). Only the outermost call of an expression gets one. Off by default
// (`inlayHints.enable`).

import { InlayHintKind, type InlayHint } from 'vscode-languageserver/node';
import { formatRendered, type CallSiteState } from '../../../simulator/src';
import { compactEntry } from '../analysis/entryMarkdown';
import { contains, overlaps, sameRange } from '../session/locate';
import { documentUri, isRecord, throwIfCancelled } from '../session/requests';
import type { Session } from '../session/session';
import type { Range } from '../text/positions';

export function register(session: Session): void {
  session.connection.languages.inlayHint.on(async (params, token) => {
    const uri = documentUri(params);
    const result = await session.analyses.current(uri, token);
    throwIfCancelled(token);
    if (!result || !result.settings.inlayHints.enable || !isRange(params.range)) return [];
    const hints: InlayHint[] = [];
    for (const fn of result.analysis.functions) {
      if (!fn.touchesEntries || !overlaps(fn.range, params.range)) continue;
      throwIfCancelled(token);
      const calls = session.analyses.detail(fn)?.analysis.callSites ?? [];
      for (const [range, rows] of groupByRange(calls)) {
        if (!overlaps(range, params.range) || calls.some((outer) => !sameRange(outer.range, range) && contains(outer.range, range.start) && contains(outer.range, range.end))) continue;
        const label = compactEntry(rows);
        if (label === '') continue;
        hints.push({
          position: range.end,
          label,
          kind: InlayHintKind.Type,
          paddingLeft: true,
          tooltip: rows.map((r) => `${r.callee} on ${r.paths} path${r.paths === 1 ? '' : 's'}: ${r.after ? formatRendered(r.after) : '?'}`).join('\n'),
        });
      }
    }
    return hints;
  });
}

function groupByRange(calls: readonly CallSiteState[]): Map<Range, CallSiteState[]> {
  const byKey = new Map<string, { range: Range; rows: CallSiteState[] }>();
  for (const call of calls) {
    const key = `${call.range.start.line}:${call.range.start.character}-${call.range.end.line}:${call.range.end.character}`;
    const group = byKey.get(key) ?? { range: call.range, rows: [] };
    group.rows.push(call);
    byKey.set(key, group);
  }
  return new Map([...byKey.values()].map((g) => [g.range, g.rows]));
}

function isRange(value: unknown): value is Range {
  return isRecord(value) && isRecord(value['start']) && isRecord(value['end']);
}
