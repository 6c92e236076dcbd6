// `mmlens/trace`: the steps of one path of one function, for the client's trace view: each
// step's source range and line, the call or event, the entry before → after with the changed
// bits, the hazards that fire there; and the same path as the table the CLI prints.

import { changedBits, type PathSummary, type RenderedEvent } from '../../../simulator/src';
import type { AnalysedFunction } from '../analysis/analyzeDocument';
import { decisionText } from '../analysis/decisions';
import { formatPath } from '../analysis/traceText';
import { TraceRequest, type TraceParams, type TracePathInfo, type TraceResult, type TraceStep } from '../protocol';
import { functionsAt } from '../session/locate';
import { documentUri, invalidParams, isRecord, throwIfCancelled, validPosition } from '../session/requests';
import type { Session } from '../session/session';
import { splitLines } from '../text/lines';

const SIDES = ['pre', 'post', 'source'] as const;

export function register(session: Session): void {
  session.connection.onRequest(TraceRequest, async (params: TraceParams, token) => {
    const uri = documentUri(params);
    const request = checked(params);
    const result = await session.analyses.current(uri, token);
    throwIfCancelled(token);
    if (!result) return null;
    const fn = pick(result.analysis.functions, request);
    const full = fn && session.analyses.detail(fn)?.analysis;
    if (!full) return null;
    const index = request.path ?? Math.max(0, full.paths.findIndex((p) => p.hazards.length > 0));
    const path = full.paths[index];
    if (!path && full.paths.length > 0) throw invalidParams(`${full.name} has ${full.paths.length} paths; path takes 0 … ${full.paths.length - 1}`);
    const lines = splitLines(result.text);
    const trace: TraceResult = {
      uri,
      function: full.name,
      side: full.side,
      profile: full.profile,
      paths: full.paths.map(pathInfo),
      path: path ? index : 0,
      steps: path ? path.events.map((event) => step(event, full, path, lines[event.range.start.line]?.text ?? '')) : [],
      notes: [...full.boundsHit, ...full.notes, ...(full.notModelled.length > 0 ? [`no model for ${full.notModelled.join(', ')}`] : [])],
      text: path ? formatPath(path).join('\n') : `${full.name}: no path could be explored`,
    };
    return trace;
  });
}

/** The optional parameters, checked (a bad one is an InvalidParams error, not a crash). */
function checked(params: unknown): { name?: string; position?: { line: number; character: number }; side?: (typeof SIDES)[number]; path?: number } {
  const p = isRecord(params) ? params : {};
  const out: ReturnType<typeof checked> = {};
  if (p['function'] !== undefined) {
    if (typeof p['function'] !== 'string') throw invalidParams('function must be a function name');
    out.name = p['function'];
  }
  if (p['position'] !== undefined) {
    const position = validPosition(p['position']);
    if (!position) throw invalidParams('position must have whole, non-negative line and character');
    out.position = position;
  }
  if (p['side'] !== undefined) {
    if (!SIDES.includes(p['side'] as never)) throw invalidParams('side must be pre, post or source');
    out.side = p['side'] as (typeof SIDES)[number];
  }
  if (p['path'] !== undefined) {
    if (!(typeof p['path'] === 'number' && Number.isSafeInteger(p['path']) && p['path'] >= 0)) throw invalidParams('path must be a path index (0, 1, …)');
    out.path = p['path'];
  }
  return out;
}

/** The function by name (and side), else the one at the position; after the patch when both sides have it. */
function pick(functions: readonly AnalysedFunction[], request: ReturnType<typeof checked>): AnalysedFunction | undefined {
  const candidates = request.position ? functionsAt(functions, request.position) : [...functions];
  const named = request.name === undefined ? candidates : candidates.filter((fn) => fn.name === request.name);
  const sided = request.side ? named.filter((fn) => fn.side === request.side) : named;
  return sided.find((fn) => fn.side === 'post') ?? sided[0];
}

function pathInfo(path: PathSummary): TracePathInfo {
  return {
    index: path.index,
    decisions: path.decisions.map(decisionText),
    end: path.end,
    hazards: path.hazards,
  };
}

function step(event: RenderedEvent, fn: AnalysedFunction, path: PathSummary, line: string): TraceStep {
  const at = (r: RenderedEvent['range']) => r.start.line === event.range.start.line && r.start.character === event.range.start.character;
  const hazards = fn.findings.filter((f) => at(f.range) && path.hazards.includes(f.rule)).map((f) => f.rule);
  return {
    range: event.range,
    kind: event.kind,
    detail: event.detail,
    source: line.trim(),
    ...(event.before ? { before: event.before } : {}),
    ...(event.after ? { after: event.after } : {}),
    changed: changedBits(event.before, event.after),
    hazards: [...new Set(hazards)],
  };
}
