// analyzeUnit / analyzeFunction: the engine's front door. Chooses the profile
// (annotation, else the caller's), applies `@mm assume`, explores every path,
// and turns raw rule hits into deduplicated findings with witnesses.

import { BddLimitError, type Bool, type BoolAlgebra } from '../sym';
import type { Level } from '../model/forms';
import { parseProfile, type Profile } from '../model/profile';
import type { Layout } from '../model/layout';
import type { EntryValue } from '../model/value';
import { explainHit, type RuleHit } from '../hazards/check';
import type { Severity } from '../hazards/catalogue';
import type { Annotation, AssumeAnnotation, IgnoreAnnotation, IrFunction, IrUnit, SourceRange } from '../ir';
import { Simulator } from '../simulator';
import { DEFAULT_BOUNDS, Executor, isModelledCall, type EngineBounds, type FinishedPath, type RawFinding } from './execute';
import { formatRendered, renderEntry } from './render';
import type { CallSiteState, Finding, FunctionAnalysis, PathSummary, RenderedEvent } from './results';
import { PathState, type PathEvent } from './state';
import { CalleeSummaries } from './summaries';

export interface AnalysisOptions {
  /** The profile when no `@mm profile` annotation says otherwise. Default x86_64. */
  readonly profile?: string | Profile;
  readonly bounds?: Partial<EngineBounds>;
  /** Only these rules (default: all). */
  readonly rules?: ReadonlySet<string>;
  /** Checked between paths; true stops the analysis (reported as a bound). */
  readonly isCancelled?: () => boolean;
  /**
   * `full` (default): every path's events and every call site rendered bit by bit, for
   * traces and hovers. `findings`: paths keep their decisions only — what `check` needs,
   * and much cheaper on large functions.
   */
  readonly detail?: 'full' | 'findings';
  /**
   * Starts one function's budget and returns its check (true = out of time). The host
   * owns the clock; the simulator never reads one.
   */
  readonly startBudget?: () => () => boolean;
  /** Functions defined elsewhere in the workspace that calls may inline (the unit's own win). */
  readonly callees?: ReadonlyMap<string, IrFunction>;
}

const LOWER: Record<Severity, Severity> = { error: 'warning', warning: 'information', information: 'information' };

export function analyzeUnit(unit: IrUnit, options: AnalysisOptions = {}): FunctionAnalysis[] {
  const functions = new Map([...(options.callees ?? []), ...unit.functions.map((fn): [string, IrFunction] => [fn.name, fn])]);
  const summaries = new Map<string, CalleeSummaries>();
  return unit.functions.map((fn) => analyzeFunctionSafely(fn, { unit, functions, summaries }, options));
}

/** As analyzeFunction, but a failure inside one function becomes a note on it, never an exception. */
export function analyzeFunctionSafely(fn: IrFunction, context: Parameters<typeof analyzeFunction>[1], options: AnalysisOptions): FunctionAnalysis {
  try {
    return analyzeFunction(fn, context, options);
  } catch (error) {
    const reason = error instanceof BddLimitError ? `${error.message}; the function was not analysed` : `analysis failed: ${(error as Error).message}`;
    return {
      name: fn.name,
      range: fn.range,
      nameRange: fn.nameRange,
      profile: typeof options.profile === 'string' ? options.profile : (options.profile?.name ?? 'x86_64'),
      fragment: fn.fragment,
      paths: [],
      findings: [],
      callSites: [],
      notModelled: [],
      boundsHit: [],
      notes: [reason],
      touchesEntries: true,
    };
  }
}

function profileFor(fn: IrFunction, unit: IrUnit | undefined, options: AnalysisOptions): Profile {
  const annotated = [...fn.annotations, ...(unit?.annotations ?? [])].find((a) => a.kind === 'profile');
  if (annotated?.kind === 'profile') return parseProfile(annotated.spec);
  const given = options.profile ?? 'x86_64';
  return typeof given === 'string' ? parseProfile(given) : given;
}

/** The `@mm assume` clauses as a constraint on the function's unknowns. */
function assumptions(sim: Simulator, annotations: readonly Annotation[], entries: ReadonlyMap<string, EntryValue>): { constraint: Bool; text: string[]; notes: string[] } {
  const alg = sim.alg;
  const parts: Bool[] = [];
  const text: string[] = [];
  const notes: string[] = [];
  const profile = sim.profile.name;
  for (const annotation of annotations.filter((a): a is AssumeAnnotation => a.kind === 'assume')) {
    for (const clause of annotation.clauses) {
      if (clause.kind === 'facts') {
        const source = sim.facts(clause.subject);
        for (const fact of clause.facts) {
          const value = source.fact(fact.name);
          if (value === alg.FALSE && fact.value) {
            notes.push(`@mm assume ${clause.subject} ${fact.name} ignored: ${fact.name} does not exist on ${profile} (it is always clear)`);
            continue;
          }
          parts.push(fact.value ? value : alg.not(value));
        }
        text.push(`${clause.subject} ${clause.facts.map((f) => (f.value ? f.name : `!${f.name}`)).join(' ')}`);
        continue;
      }
      const subject = clause.subject.replace(/^\*/, '');
      const entry = entries.get(subject) ?? entries.get(`*${subject}`) ?? [...entries.entries()].find(([name]) => name.endsWith(subject))?.[1];
      if (!entry) {
        notes.push(`@mm assume ${clause.subject}: no parameter or slot of that name in this function`);
        continue;
      }
      const layout = sim.set.layout;
      if (clause.form) parts.push(entry.bits[layout.formIndex(clause.form as never)]!);
      for (const bit of clause.bits) {
        const index = layout.indexOf(bit.name);
        if (index === undefined) {
          notes.push(`@mm assume ${clause.subject} ${bit.name}=${bit.value ? 1 : 0} ignored: ${profile} has no bit ${bit.name}`);
          continue;
        }
        const actual = entry.bits[index]!;
        parts.push(bit.value ? actual : alg.not(actual));
      }
      text.push(`${clause.subject}${clause.form ? ` ${clause.form}` : ''} ${clause.bits.map((b) => `${b.name}=${b.value ? 1 : 0}`).join(' ')}`.trim());
    }
  }
  return { constraint: alg.andAll(parts), text, notes };
}

export function analyzeFunction(
  fn: IrFunction,
  context: {
    readonly unit?: IrUnit;
    readonly functions?: ReadonlyMap<string, IrFunction>;
    /** Callee summaries shared by the unit's functions, per profile name. */
    readonly summaries?: Map<string, CalleeSummaries>;
  } = {},
  options: AnalysisOptions = {},
): FunctionAnalysis {
  const profile = profileFor(fn, context.unit, options);
  const sim = new Simulator(profile);
  const alg = sim.alg;
  const bounds = { ...DEFAULT_BOUNDS, ...options.bounds };
  const cancelled = options.isCancelled ?? (() => false);
  const outOfTime = options.startBudget?.() ?? (() => false);
  const functions = context.functions ?? new Map([[fn.name, fn]]);
  let summaries = context.summaries?.get(sim.profile.name);
  if (!summaries) {
    summaries = new CalleeSummaries(functions, (name) => isModelledCall(sim, name));
    context.summaries?.set(sim.profile.name, summaries);
  }
  const executor = new Executor(sim, functions, bounds, options.rules, () => cancelled() || outOfTime(), summaries);

  const vma = sim.facts('vma');
  const folio = sim.facts('folio');
  const cp = sim.facts('cp');
  const initial = new PathState(
    alg.and(sim.contextInvariants(vma, folio), alg.not(alg.and(cp.fact('MM_CP_UFFD_WP'), cp.fact('MM_CP_UFFD_WP_RESOLVE')))),
    new Map(),
    [],
    new Map(),
    alg.FALSE,
    alg.FALSE,
    alg.FALSE,
    [],
    [],
    0,
    new Map(),
    alg.TRUE,
    alg.TRUE,
    new Map(),
  );
  const entries = new Map<string, EntryValue>();
  for (const param of fn.params) {
    const value = executor.initialValue(initial, param.name, param.type);
    initial.locals.set(param.name, value);
    if (value.kind === 'entry') entries.set(param.name, value.value);
    if (value.kind === 'slot') entries.set(initial.slots[value.slot]!.name, initial.slots[value.slot]!.value);
  }
  const scoped = [...(context.unit?.annotations ?? []), ...fn.annotations];
  const assumed = assumptions(sim, scoped, entries);
  initial.assume(alg, assumed.constraint);
  const assumptionText = [`profile ${sim.profile.name}`, ...assumed.text];
  const notes = [...assumed.notes];
  if (!alg.isSatisfiable(initial.condition)) notes.push('the @mm assume annotations contradict each other or the kernel invariants: no path can run');

  const finished = alg.isSatisfiable(initial.condition) ? executor.explore(fn, initial, 0) : [];
  if (fn.fragment) for (const path of finished) if (path.end === 'fragment-end') checkLiveAtEnd(executor, path);

  assumptionText.push(...executor.assumed);
  const ignores = [...scoped, ...(context.unit?.allAnnotations ?? [])].filter((a): a is IgnoreAnnotation => a.kind === 'ignore');
  const findings = collectFindings(executor, fn, assumptionText, ignores);
  return {
    name: fn.name,
    range: fn.range,
    nameRange: fn.nameRange,
    profile: sim.profile.name,
    fragment: fn.fragment,
    paths: summarizePaths(executor, finished, findings.raw, options.detail !== 'findings'),
    findings: findings.list,
    callSites: options.detail === 'findings' ? [] : summarizeCalls(executor),
    notModelled: [...executor.notModelled].sort(),
    boundsHit: [...executor.boundsHit],
    notes,
    touchesEntries: executor.touchesEntries,
  };
}

/** In a fragment that never installs: entry values live at the end are checked as if installed. */
function checkLiveAtEnd(executor: Executor, path: FinishedPath): void {
  const installed = path.state.events.some((e) => e.kind === 'install');
  if (installed) return;
  const sim = executor.sim;
  for (const [name, value] of path.state.locals) {
    if (value.kind !== 'entry' || value.value.kind !== 'entry') continue;
    const produced = path.state.events.some((e) => e.kind === 'call' && e.after === value.value);
    if (!produced) continue;
    const level: Level = value.value.level;
    const range = [...path.state.events].reverse().find((e) => e.after === value.value)!.range;
    for (const hit of sim.hazards.checkState(sim.alg, level, value.value, executor.entryContext())) {
      executor.record(path.state, hit, range, value.value, { wouldBeInstalled: true, message: `${hit.rule.message.replace(/\{l\}/g, level)} — if ${name} is installed` });
    }
  }
}

function rangeKey(range: SourceRange): string {
  return `${range.start.line}:${range.start.character}`;
}

function collectFindings(executor: Executor, fn: IrFunction, assumptionText: string[], ignores: IgnoreAnnotation[]): { list: Finding[]; raw: RawFinding[] } {
  const sim = executor.sim;
  const alg = sim.alg;
  const byKey = new Map<string, { finding: Finding; count: number }>();
  const kept: RawFinding[] = [];
  for (const raw of executor.findings) {
    const id = raw.hit.rule.id;
    const line = raw.range.start.line;
    const ignored = ignores.some((ig) => ig.rules.includes(id) && (fn.annotations.includes(ig) || ig.line === line));
    if (ignored) continue;
    const key = `${id}@${rangeKey(raw.range)}`;
    const existing = byKey.get(key);
    if (existing) {
      existing.count++;
      continue;
    }
    const explanation =
      'semantics' in raw.hit.rule
        ? explainHit(alg, sim.set, raw.hit as RuleHit, raw.state.condition, raw.shown)
        : { message: raw.hit.rule.message, witness: alg.witness(alg.and(raw.state.condition, raw.hit.condition)) ?? new Map() };
    if (!explanation) continue;
    kept.push(raw);
    const rule = raw.hit.rule;
    const severity = raw.wouldBeInstalled ? LOWER[rule.severity] : rule.severity;
    const related = raw.state.events
      .filter((e) => e.kind === 'call' && e.before && e.after && rangeKey(e.range) !== rangeKey(raw.range))
      .slice(-4)
      .map((e) => ({ range: e.range, message: `${e.detail}: ${formatRendered(renderEntry(alg, sim.set.layout, e.after!, raw.state.condition))}` }));
    const shownCondition = alg.and(raw.state.condition, raw.hit.condition);
    byKey.set(key, {
      count: 1,
      finding: {
        rule: id,
        severity,
        message: raw.where ? `${raw.message ?? explanation.message} (${raw.where})` : (raw.message ?? explanation.message),
        range: raw.range,
        function: fn.name,
        path: raw.state.decisions,
        witness: Object.fromEntries(explanation.witness),
        related,
        assumptions: assumptionText,
        paths: 1,
        trace: raw.state.events.map((e) => renderEvent(alg, sim.set.layout, e, shownCondition)),
        ...(raw.wouldBeInstalled ? { wouldBeInstalled: true } : {}),
      },
    });
  }
  const list = [...byKey.values()].map(({ finding, count }) => ({ ...finding, paths: count }));
  list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule));
  return { list, raw: kept };
}

function summarizePaths(executor: Executor, finished: FinishedPath[], raw: RawFinding[], renderEvents: boolean): PathSummary[] {
  const alg = executor.alg;
  const layout = executor.sim.set.layout;
  return finished.map((path, index) => {
    const c = path.state.condition;
    const hazards = raw
      .filter((r) => r.state.decisions.every((d, i) => path.state.decisions[i]?.taken === d.taken && rangeKey(path.state.decisions[i]!.range) === rangeKey(d.range)))
      .filter((r) => alg.intersects(c, r.hit.condition))
      .map((r) => r.hit.rule.id);
    return {
      index,
      decisions: path.state.decisions,
      events: (renderEvents ? path.state.events : []).map((e) => renderEvent(alg, layout, e, c)),
      end: path.end,
      witness: renderEvents ? Object.fromEntries(alg.witness(c) ?? new Map()) : {},
      hazards: [...new Set(hazards)],
    };
  });
}

function renderEvent(alg: BoolAlgebra, layout: Layout, event: PathEvent, condition: Bool): RenderedEvent {
  return {
    kind: event.kind,
    range: event.range,
    detail: event.detail,
    ...(event.before ? { before: renderEntry(alg, layout, event.before, condition) } : {}),
    ...(event.after ? { after: renderEntry(alg, layout, event.after, condition) } : {}),
  };
}

function summarizeCalls(executor: Executor): CallSiteState[] {
  const alg = executor.alg;
  const layout = executor.sim.set.layout;
  const byKey = new Map<string, CallSiteState>();
  for (const call of executor.calls) {
    const before = call.before ? renderEntry(alg, layout, call.before, call.state.condition) : undefined;
    const after = call.after ? renderEntry(alg, layout, call.after, call.state.condition) : undefined;
    const key = `${rangeKey(call.range)}|${before ? formatRendered(before) : ''}|${after ? formatRendered(after) : ''}`;
    const existing = byKey.get(key);
    if (existing) byKey.set(key, { ...existing, paths: existing.paths + 1 });
    else byKey.set(key, { range: call.range, callee: call.callee, paths: 1, ...(before ? { before } : {}), ...(after ? { after } : {}) });
  }
  return [...byKey.values()];
}

