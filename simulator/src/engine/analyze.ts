// analyzeUnit / analyzeFunction: the engine's front door. Chooses the profile
// (annotation, else the caller's), applies `@mm assume`, explores every path,
// builds the function's summary for its callers, and — for a function no caller
// judges (a root) — reports what its hazards and its callees' come to, with
// witnesses (docs/simulator.md "Summaries").

import { BddLimitError, createAlgebra, type Bool, type BoolAlgebra } from '../sym';
import type { Level } from '../model/forms';
import { inVersionRange, parseProfile, type Profile } from '../model/profile';
import { CP_FLAG_PARAMETERS, cpFlagInvariants } from '../model/context';
import type { Layout } from '../model/layout';
import { sameValue, selectValue, type EntryValue } from '../model/value';
import { explainHit, type RuleHit } from '../hazards/check';
import type { Severity } from '../hazards/catalogue';
import { SOFTLEAF_FORMS } from '../model/forms';
import type { Annotation, AssumeAnnotation, IgnoreAnnotation, IrFunction, IrUnit, SourceRange } from '../ir';
import { Simulator, type SimulatorModel } from '../simulator';
import { DEFAULT_BOUNDS, Executor, type EngineBounds, type FinishedPath, type RawFinding } from './execute';
import { formatRendered, renderEntry } from './render';
import type { CallSiteState, Finding, FunctionAnalysis, PathSummary, RenderedEvent } from './results';
import { PathState, type PathEvent } from './state';
import { buildSummary, type FindingGroup } from './summarize';
import { NO_SUMMARIES, STATE_VARIABLE, type CallStep, type FunctionSummary, type SummaryLookup } from './summary';
import { callOrder } from './callOrder';
import { UNKNOWN, canonicalVma, type Value } from './values';
import { INSTALL_FACT_OF_CLEARED } from './events';

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
   * traces and hovers. `findings`: paths keep only their ends and the rules that fire on them —
   * what `check` and the editor's diagnostics need, much cheaper on large functions and small to
   * keep (a server holds thousands of these).
   */
  readonly detail?: 'full' | 'findings';
  /**
   * Starts one function's budget and returns its check (true = out of time). The host
   * owns the clock; the simulator never reads one.
   */
  readonly startBudget?: () => () => boolean;
  /** Summaries of functions defined elsewhere (the tree) that calls may reach; the unit's own win. */
  readonly summaries?: SummaryLookup;
  /** Functions defined elsewhere known to be unable to touch entries. */
  readonly entryFree?: (name: string) => boolean;
  /** Whether a function of the unit has callers elsewhere that judge its hazards (then it is no root). */
  readonly calledElsewhere?: (name: string) => boolean;
  /** Files findings may be placed in (default: only the analysed document's own functions). */
  readonly placeable?: (file: string | undefined) => boolean;
  /** The helpers' model when not the built-in tables (a kernel tree's, bitvec/treeSimulator.ts); a function on another profile uses the tables. */
  readonly model?: SimulatorModel;
}

/** What one function's analysis gives: what people see, and what its callers apply. */
export interface FunctionResult {
  readonly analysis: FunctionAnalysis;
  readonly summary: FunctionSummary | undefined;
}

export interface FunctionContext {
  readonly unit?: IrUnit;
  /** Summaries calls may apply. */
  readonly summaries?: SummaryLookup;
  readonly entryFree?: (name: string) => boolean;
  /** Whether the function is reported as a root: no caller judges its hazards. Default true. */
  readonly root?: boolean;
}

const LOWER: Record<Severity, Severity> = { error: 'warning', warning: 'information', information: 'information' };

/** Analyses a unit's functions callees first, each with its callees' summaries; functions no other one calls are the roots. */
export function analyzeUnit(unit: IrUnit, options: AnalysisOptions = {}): FunctionAnalysis[] {
  return analyzeUnitWithSummaries(unit, options).map((r) => r.analysis);
}

export function analyzeUnitWithSummaries(unit: IrUnit, options: AnalysisOptions = {}): FunctionResult[] {
  const byName = new Map(unit.functions.map((fn): [string, IrFunction] => [fn.name, fn])); // the last definition wins
  const own = new Map<string, FunctionSummary>();
  const outside = options.summaries ?? NO_SUMMARIES;
  const summaries: SummaryLookup = { get: (name) => own.get(name) ?? (byName.has(name) ? undefined : outside.get(name)) };
  const order = callOrder([...byName.values()]);
  const results = new Map<IrFunction, FunctionResult>();
  for (const fn of order.functions) {
    const root = !order.calledByOthers.has(fn.name) && !(options.calledElsewhere?.(fn.name) ?? false);
    const result = analyzeFunctionSafely(fn, { unit, summaries, ...(options.entryFree ? { entryFree: options.entryFree } : {}), root }, options);
    if (result.summary) own.set(fn.name, result.summary);
    results.set(fn, result);
  }
  return unit.functions.map((fn) => results.get(fn) ?? analyzeFunctionSafely(fn, { unit, summaries, root: true }, options));
}

/** As analyzeFunctionWithSummary, but a failure inside one function becomes a note on it, never an exception. */
export function analyzeFunctionSafely(fn: IrFunction, context: FunctionContext, options: AnalysisOptions): FunctionResult {
  try {
    return analyzeFunctionWithSummary(fn, context, options);
  } catch (error) {
    const reason = error instanceof BddLimitError ? `${error.message}; the function was not analysed` : `analysis failed: ${(error as Error).message}`;
    return {
      analysis: {
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
      },
      summary: undefined,
    };
  }
}

/** One function as a root: what it does and what it causes, with its callees' summaries. */
export function analyzeFunction(fn: IrFunction, context: FunctionContext = {}, options: AnalysisOptions = {}): FunctionAnalysis {
  return analyzeFunctionWithSummary(fn, context, options).analysis;
}

function profileFor(fn: IrFunction, unit: IrUnit | undefined, options: AnalysisOptions): Profile {
  const annotated = [...fn.annotations, ...(unit?.annotations ?? [])].find((a) => a.kind === 'profile');
  if (annotated?.kind === 'profile') return parseProfile(annotated.spec);
  const given = options.profile ?? 'x86_64';
  return typeof given === 'string' ? parseProfile(given) : given;
}

/** The `@mm assume` clauses as a constraint on the function's unknowns. */
function assumptions(ex: Executor, annotations: readonly Annotation[], entries: ReadonlyMap<string, EntryValue>): { constraint: Bool; text: string[]; notes: string[] } {
  const sim = ex.sim;
  const alg = sim.alg;
  const parts: Bool[] = [];
  const text: string[] = [];
  const notes: string[] = [];
  const profile = sim.profile.name;
  for (const annotation of annotations.filter((a): a is AssumeAnnotation => a.kind === 'assume')) {
    for (const clause of annotation.clauses) {
      if (clause.kind === 'facts') {
        const source = ex.facts(clause.subject === 'vma' ? ex.targetVma : clause.subject);
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

/** What a root assumes of its inputs, since no caller says (each assumption also in words). */
interface RootAssumption {
  condition: Bool;
  /** The part of `condition` that is the kernel's invariants of the entries the function was given. */
  entries: Bool;
  readonly text: Set<string>;
}

/** The kernel's invariants of an entry the function was given: a root assumes them, a summary's may-flags are taken under them. */
function assumeOfEntries(alg: BoolAlgebra, root: RootAssumption, invariant: Bool): void {
  root.condition = alg.and(root.condition, invariant);
  root.entries = alg.and(root.entries, invariant);
}

export const PROT_ASSUMPTION = 'a pgprot_t parameter is the VMA\'s vm_page_prot for its flags (PAGE_NONE under MM_CP_PROT_NUMA), as mm callers pass it';
export const GATHER_ASSUMPTION = 'a function given an mmu_gather runs inside it: a TLB flush is pending';
export const CHANGE_PROTECTION_ASSUMPTION = 'a function given change_protection()\'s flags runs inside its walk, which keeps a TLB flush pending (3.13+)';
/** From 3.13 change_protection_range() announces its flush for the whole walk (set_tlb_flush_pending(), later inc_tlb_flush_pending(), from 5.19 the caller's mmu_gather). */
const CHANGE_PROTECTION_FLUSH_PENDING_SINCE = '3.13';

/** The function is given change_protection()'s flags: `cp_flags`, or before 5.7 its int parameters. */
function givenChangeProtectionFlags(ex: Executor, fn: IrFunction): boolean {
  return ex.factParams.has('cp') || fn.params.some((p) => CP_FLAG_PARAMETERS[p.name] !== undefined);
}

/** Whether the caller cleared `fact` on purpose in the entry it passes for a parameter. */
function clearedInput(ex: Executor, name: string, param: number, fact: string): Bool {
  const variable = `${name}.${fact}`;
  ex.inputs.set(variable, { kind: 'param-cleared', param, fact });
  return ex.alg.variable(variable, 'context');
}

/** A parameter's value at function entry: an input of the summary (callers bring their facts, roots their assumptions). */
function bindParams(ex: Executor, state: PathState, fn: IrFunction, root: RootAssumption): Map<string, EntryValue> {
  const alg = ex.alg;
  const entries = new Map<string, EntryValue>();
  const vmaParams = fn.params.filter((p) => p.type.kind === 'vma');
  if (vmaParams.length === 1) ex.targetVma = canonicalVma(vmaParams[0]!.name);
  const prots: EntryValue[] = [];
  fn.params.forEach((param, index) => {
    const { name, type } = param;
    ex.paramIndex.set(name, index);
    let value: Value;
    switch (type.kind) {
      case 'entry': {
        const entry = ex.inputValue(name, type.level, 'entry', (field) => ({ kind: 'param-value', param: index, field }));
        assumeOfEntries(alg, root, ex.sim.hazards.readInvariant(alg, type.level, entry, ex.entryContext()));
        // what the caller cleared on purpose in the entry it passes (change_pte_range() hands a
        // resolved entry to prot_commit_flush_ptes()) is the caller's to say
        ex.clearedOnPurpose.set(entry, new Map(Object.values(INSTALL_FACT_OF_CLEARED).map((fact) => [fact, clearedInput(ex, name, index, fact)])));
        entries.set(name, entry);
        value = { kind: 'entry', value: entry };
        break;
      }
      case 'swp': {
        const entry = ex.inputValue(name, 'pte', 'swp', (field) => ({ kind: 'param-value', param: index, field }), SOFTLEAF_FORMS);
        assumeOfEntries(alg, root, ex.sim.hazards.softleafInvariant(alg, entry, ex.entryContext()));
        value = { kind: 'entry', value: entry };
        break;
      }
      case 'prot': {
        const entry = ex.inputValue(name, 'pte', 'prot', (field) => ({ kind: 'param-value', param: index, field }), ['present', 'protnone']);
        prots.push(entry);
        value = { kind: 'entry', value: entry };
        break;
      }
      case 'slot': {
        const slotName = `*${name}`;
        const entry = ex.inputValue(slotName, type.level, 'entry', (field) => ({ kind: 'param-slot', param: index, field }));
        ex.markFromTable(entry);
        const observed = alg.variable(`${slotName}.observed`, 'context');
        ex.inputs.set(`${slotName}.observed`, { kind: 'param-observed', param: index });
        assumeOfEntries(alg, root, ex.sim.hazards.readInvariant(alg, type.level, entry, ex.entryContext()));
        root.condition = alg.and(root.condition, alg.not(observed));
        // a root's pointer is into a page table; a caller may pass its own copy (`&pte`)
        const inTable = alg.variable(`${slotName}.in_table`, 'context');
        ex.inputs.set(`${slotName}.in_table`, { kind: 'param-in-table', param: index });
        root.condition = alg.and(root.condition, inTable);
        state.slots = [...state.slots, { name: slotName, level: type.level, value: entry, live: entry, observed, param: { param: index }, inTable }];
        entries.set(slotName, entry);
        value = { kind: 'slot', slot: state.slots.length - 1, level: type.level };
        break;
      }
      case 'vma':
        ex.factParams.set(canonicalVma(name), index);
        value = { kind: 'object', object: 'vma', name: canonicalVma(name) };
        break;
      case 'folio':
        if (!ex.factParams.has('folio')) ex.factParams.set('folio', index);
        value = { kind: 'object', object: 'folio', name: 'folio' };
        break;
      case 'mm':
        if (!ex.factParams.has('mm')) ex.factParams.set('mm', index);
        value = { kind: 'object', object: 'mm', name: 'mm' };
        break;
      case 'vmf':
        value = { kind: 'object', object: 'vmf', name };
        break;
      case 'lock': {
        // the caller's page-table lock, or some other lock it passes (a root assumes the former)
        const pageTable = alg.variable(`${name}.is_page_table_lock`, 'context');
        ex.inputs.set(`${name}.is_page_table_lock`, { kind: 'param-lock', param: index });
        root.condition = alg.and(root.condition, pageTable);
        value = { kind: 'object', object: 'lock', name, pageTable };
        break;
      }
      case 'int': {
        const legacyFlag = CP_FLAG_PARAMETERS[name];
        if (legacyFlag) {
          value = { kind: 'bool', value: ex.facts('cp').fact(legacyFlag) };
          break;
        }
        const owner = /cp_flags/.test(name) ? 'cp' : /vm_flags/.test(name) ? ex.targetVma : undefined;
        if (owner && !ex.factParams.has(owner)) ex.factParams.set(owner, index);
        value = owner ? { kind: 'flags', owner } : UNKNOWN(name);
        break;
      }
      case 'bool':
        ex.inputs.set(name, { kind: 'param-bool', param: index });
        value = { kind: 'bool', value: alg.variable(name, 'context') };
        break;
      case 'other':
        if (/\bmmu_gather\b/.test(type.text)) {
          root.condition = alg.and(root.condition, alg.variable(STATE_VARIABLE.flush_pending, 'context'));
          root.text.add(GATHER_ASSUMPTION);
        }
        value = UNKNOWN(name);
        break;
    }
    state.locals.set(name, value);
  });
  if (givenChangeProtectionFlags(ex, fn) && inVersionRange(ex.sim.profile.version, CHANGE_PROTECTION_FLUSH_PENDING_SINCE)) {
    root.condition = alg.and(root.condition, alg.variable(STATE_VARIABLE.flush_pending, 'context'));
    root.text.add(CHANGE_PROTECTION_ASSUMPTION);
  }
  if (prots.length > 0) {
    const vmaProt = ex.sim.apply('vm_page_prot', ex.facts(ex.targetVma));
    const numa = ex.factParams.has('cp') ? ex.facts('cp').fact('MM_CP_PROT_NUMA') : alg.FALSE;
    const expected = selectValue(alg, numa, ex.sim.apply('PAGE_NONE'), vmaProt);
    for (const prot of prots) root.condition = alg.and(root.condition, alg.andAll([...prot.bits].map((bit, i) => alg.iff(bit, expected.bits[i]!))));
    root.text.add(PROT_ASSUMPTION);
  }
  return entries;
}

/** The caller's path state at the call: inputs of the summary (a root starts with none of it). */
function callerStateInputs(ex: Executor, state: PathState, root: RootAssumption): void {
  const alg = ex.alg;
  const input = (which: keyof typeof STATE_VARIABLE): Bool => {
    ex.inputs.set(STATE_VARIABLE[which], { kind: 'state', which });
    return alg.variable(STATE_VARIABLE[which], 'context');
  };
  state.downgradeUnflushed = input('downgrade');
  state.flushPending = input('flush_pending');
  state.folioDirtied = input('folio_dirtied');
  state.folioExclusive = input('folio_exclusive');
  root.condition = alg.andAll([root.condition, alg.not(state.downgradeUnflushed), alg.not(state.folioDirtied), alg.not(state.folioExclusive)]);
}

export function analyzeFunctionWithSummary(fn: IrFunction, context: FunctionContext = {}, options: AnalysisOptions = {}): FunctionResult {
  const profile = profileFor(fn, context.unit, options);
  const sim = options.model?.simulator(profile, createAlgebra()) ?? new Simulator(profile);
  const alg = sim.alg;
  const bounds = { ...DEFAULT_BOUNDS, ...options.bounds };
  const cancelled = options.isCancelled ?? (() => false);
  const outOfTime = options.startBudget?.() ?? (() => false);
  const executor = new Executor(sim, fn, context.summaries ?? NO_SUMMARIES, bounds, options.rules, () => cancelled() || outOfTime(), context.entryFree);
  const root: RootAssumption = { condition: alg.TRUE, entries: alg.TRUE, text: new Set() };

  const initial = new PathState(alg.TRUE, new Map(), [], new Map(), alg.FALSE, alg.FALSE, alg.FALSE, [], [], 0, new Map(), alg.TRUE, alg.TRUE, new Map());
  callerStateInputs(executor, initial, root);
  const entries = bindParams(executor, initial, fn, root);
  const cp = executor.facts('cp');
  // every VMA the function is given (a function of two, as fork's or UFFDIO_MOVE's, installs into either)
  const vmas = new Set([executor.targetVma, ...fn.params.filter((p) => p.type.kind === 'vma').map((p) => canonicalVma(p.name))]);
  const vmaInvariants = [...vmas].map((name) => sim.contextInvariants(executor.facts(name), executor.facts('folio')));
  initial.condition = alg.andAll([...vmaInvariants, cpFlagInvariants(alg, cp, executor.facts(executor.targetVma))]);
  const scoped = [...(context.unit?.annotations ?? []), ...fn.annotations];
  const assumed = assumptions(executor, scoped, entries);
  initial.assume(alg, assumed.constraint);
  const assumptionText = [`profile ${sim.profile.name}`, ...assumed.text];
  const notes = [...assumed.notes];
  if (!alg.intersects(initial.condition, root.condition)) notes.push('the @mm assume annotations contradict each other or the kernel invariants: no path can run');

  const finished = alg.isSatisfiable(initial.condition) ? executor.explore(fn, initial) : [];
  for (const slot of executor.memberSlots) {
    assumeOfEntries(alg, root, sim.hazards.readInvariant(alg, slot.level, slot.value, executor.entryContext()));
    root.condition = alg.and(root.condition, alg.not(slot.observed));
  }
  // a root's fault was taken on what the slot held: its handler re-checked the copy under the lock
  for (const fault of executor.faultCopies) {
    assumeOfEntries(alg, root, sim.hazards.readInvariant(alg, fault.level, fault.value, executor.entryContext()));
    root.condition = alg.and(root.condition, sameValue(alg, fault.value, fault.copy));
    if (alg.hasVariable(fault.compared)) root.condition = alg.and(root.condition, alg.variable(fault.compared));
  }
  // an mm a root is given is a user one unless the code says init_mm
  for (const [name, ref] of executor.inputs) if (ref.kind === 'fact' && ref.fact === 'init_mm') root.condition = alg.and(root.condition, alg.not(alg.variable(name)));
  if (fn.fragment) for (const path of finished) if (path.end === 'fragment-end') checkLiveAtEnd(executor, path);

  const ignores = [...scoped, ...(context.unit?.allAnnotations ?? [])].filter((a): a is IgnoreAnnotation => a.kind === 'ignore');
  const groups = groupFindings(executor, fn, assumptionText, ignores, root);
  let summary: FunctionSummary | undefined;
  try {
    summary = buildSummary(executor, fn, finished, groups, root.entries);
  } catch (error) {
    if (!(error instanceof BddLimitError)) throw error;
    executor.boundsHit.add(`${error.message} while summarising: calls to ${fn.name} are unknown calls, and it reports its own findings`);
  }
  // a function without a summary reports its own findings: no caller can judge them
  const asRoot = (context.root ?? true) || summary === undefined;
  let findings: Finding[] = [];
  if (asRoot) {
    try {
      findings = reportAsRoot(executor, fn, groups, root, assumptionText, options.placeable);
    } catch (error) {
      if (!(error instanceof BddLimitError)) throw error;
      executor.boundsHit.add(`${error.message} while judging its findings: they are reported as found, without its callers' facts`);
      findings = groups.map((group) => group.finding);
    }
  }
  const reported = new Set(findings.map((f) => f.rule));
  const rootCondition = root.condition;
  return {
    analysis: {
      name: fn.name,
      range: fn.range,
      nameRange: fn.nameRange,
      profile: sim.profile.name,
      fragment: fn.fragment,
      paths: summarizePaths(executor, finished, groups, rootCondition, reported, options.detail !== 'findings'),
      findings,
      callSites: options.detail === 'findings' ? [] : summarizeCalls(executor, rootCondition),
      notModelled: [...executor.notModelled].sort(),
      boundsHit: [...executor.boundsHit],
      notes,
      touchesEntries: executor.touchesEntries,
    },
    summary,
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

/** A witness without the engine's own bookkeeping (the caller's path state, whether it read a slot). */
function peopleWitness(witness: ReadonlyMap<string, boolean>): Record<string, boolean> {
  return Object.fromEntries([...witness].filter(([name]) => !name.startsWith('caller.') && !name.endsWith('.observed')));
}

function rangeKey(range: SourceRange): string {
  return `${range.start.line}:${range.start.character}`;
}

/** Where a finding happened, across functions and files: a callee's hazard seen from two calls is one. */
function originKey(finding: Finding): string {
  return `${finding.rule}@${finding.file ?? ''}@${finding.function}@${rangeKey(finding.range)}`;
}

/** Raw findings grouped by where they happened, each group rendered once (its first path). */
function groupFindings(executor: Executor, fn: IrFunction, assumptionText: string[], ignores: IgnoreAnnotation[], root: RootAssumption): FindingGroup[] {
  const sim = executor.sim;
  const alg = sim.alg;
  const buckets = new Map<string, RawFinding[]>();
  for (const raw of executor.findings) {
    const id = raw.hit.rule.id;
    const line = raw.range.start.line;
    const ignored = ignores.some((ig) => ig.rules.includes(id) && (fn.annotations.includes(ig) || ig.line === line));
    if (ignored) continue;
    const key = raw.imported ? originKey(raw.imported.obligation.finding) : `${id}@${rangeKey(raw.range)}`;
    buckets.set(key, [...(buckets.get(key) ?? []), raw]);
  }
  const groups = new Map<string, { raws: RawFinding[]; finding: Finding; severity: Severity }>();
  for (const [key, raws] of buckets) {
    // shown on a path the root's assumptions allow, where there is one: a witness a caller could produce
    const shownRaw = raws.find((r) => alg.intersects(alg.and(r.state.condition, root.condition), r.hit.condition)) ?? raws[0]!;
    const ordered = [shownRaw, ...raws.filter((r) => r !== shownRaw)];
    const raw = shownRaw;
    if (raw.imported) {
      groups.set(key, { raws: ordered, finding: raw.imported.obligation.finding, severity: raw.imported.obligation.severity });
      continue;
    }
    const id = raw.hit.rule.id;
    const underRoot = alg.and(raw.state.condition, root.condition);
    const pathCondition = alg.intersects(underRoot, raw.hit.condition) ? underRoot : raw.state.condition;
    const explanation =
      'semantics' in raw.hit.rule
        ? explainHit(alg, sim.set, raw.hit as RuleHit, pathCondition, raw.shown)
        : { message: raw.hit.rule.message, witness: alg.witness(alg.and(pathCondition, raw.hit.condition)) ?? new Map() };
    if (!explanation) continue;
    const rule = raw.hit.rule;
    const severity = raw.wouldBeInstalled ? LOWER[rule.severity] : rule.severity;
    const shownCondition = alg.and(pathCondition, raw.hit.condition);
    const related = raw.state.events
      .filter((e) => e.kind === 'call' && e.before && e.after && rangeKey(e.range) !== rangeKey(raw.range))
      .slice(-4)
      .map((e) => ({ range: e.range, message: `${e.detail}: ${formatRendered(renderEntry(alg, sim.set.layout, e.after!, pathCondition))}` }));
    groups.set(key, {
      raws: ordered,
      severity,
      finding: {
        rule: id,
        severity,
        message: raw.message ?? explanation.message,
        range: raw.range,
        function: fn.name,
        ...(fn.origin ? { file: fn.origin } : {}),
        path: raw.state.decisions,
        witness: peopleWitness(explanation.witness),
        related,
        assumptions: [...assumptionText, ...executor.assumed],
        paths: 1,
        trace: raw.state.events.map((e) => renderEvent(alg, sim.set.layout, e, shownCondition)),
        ...(raw.wouldBeInstalled ? { wouldBeInstalled: true } : {}),
      },
    });
  }
  return [...groups].map(([key, g]) => ({ key, raws: g.raws, finding: g.finding, severity: g.severity }));
}

/**
 * What a root reports: each group whose condition its assumptions allow. A hazard that needs
 * particular values of what the caller chooses (boolean and flag parameters) is stated with
 * that condition, one severity lower; one that happens whatever the caller passes keeps its own.
 */
function reportAsRoot(executor: Executor, fn: IrFunction, groups: readonly FindingGroup[], root: RootAssumption, assumptionText: readonly string[], placeable?: (file: string | undefined) => boolean): Finding[] {
  const alg = executor.alg;
  const givenCp = givenChangeProtectionFlags(executor, fn);
  const choices = [...executor.inputs]
    .filter(([, ref]) => ref.kind === 'param-bool' || (ref.kind === 'fact' && ref.prefix === 'cp' && givenCp))
    .map(([name]) => name);
  const callerFacts = cpFlagInvariants(alg, executor.facts('cp'), executor.facts(executor.targetVma));
  const canPlace = placeable ?? ((file: string | undefined) => file === fn.origin);
  const findings: Finding[] = [];
  for (const group of groups) {
    // the group's paths as conditions on the inputs (cheap), then what the root assumes of them
    const condition = alg.and(alg.orAll(group.raws.map((raw) => alg.projectConjunction(raw.state.condition, raw.hit.condition))), root.condition);
    if (condition === alg.FALSE) continue;
    const needed = choices.filter((name) => alg.support(condition).includes(name));
    const conditional = needed.length > 0 && alg.forall(condition, needed) === alg.FALSE;
    const first = group.raws[0]!;
    const via: CallStep[] = first.imported ? [{ function: fn.name, ...(fn.origin ? { file: fn.origin } : {}), range: first.range, callee: first.imported.callee }, ...first.imported.obligation.via] : [];
    let finding: Finding = {
      ...group.finding,
      severity: conditional ? LOWER[group.severity] : group.severity,
      paths: group.raws.length,
      assumptions: [...new Set([...assumptionText, ...executor.assumed, ...group.finding.assumptions, ...(root.text.size > 0 ? root.text : [])])],
      ...(via.length > 0 ? { via } : {}),
    };
    if (conditional) finding = { ...finding, condition: statedCondition(alg, condition, needed, callerFacts) };
    findings.push(place(finding, via, canPlace));
  }
  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule));
  return findings;
}

/**
 * "if the caller passes writable, cp_flags with MM_CP_UFFD_WP": the witness's choices, without
 * those the others imply by what callers pass (`known`: no "without MM_CP_UFFD_WP" next to
 * "with MM_CP_TRY_CHANGE_WRITABLE") and those the condition holds without.
 */
function statedCondition(alg: BoolAlgebra, condition: Bool, choices: readonly string[], known: Bool): string {
  const witness = alg.witness(condition) ?? new Map<string, boolean>();
  const literal = (name: string) => (witness.get(name) ? alg.variable(name) : alg.not(alg.variable(name)));
  let stated = choices.filter((name) => witness.has(name));
  for (const name of [...stated]) {
    const others = stated.filter((other) => other !== name);
    const rest = alg.andAll(others.map(literal));
    // implied by the others, or not needed for the condition with them
    if (!alg.intersects(alg.and(known, rest), alg.not(literal(name))) || alg.intersects(alg.and(condition, rest), alg.not(literal(name)))) stated = others;
  }
  const parts = stated
    .map((name) => {
      const value = witness.get(name)!;
      const fact = name.startsWith('cp.') ? name.slice(3) : undefined;
      if (fact) return value ? `cp_flags with ${fact}` : `cp_flags without ${fact}`;
      return value ? name.replace(/#\d+$/, '') : `!${name.replace(/#\d+$/, '')}`;
    });
  return `if the caller passes ${[...new Set(parts)].join(', ') || 'particular arguments'}`;
}

/**
 * A finding from a function whose file findings may not be placed in (a header, a file of the
 * tree that is not being checked) is reported at the deepest call on its way that may.
 */
function place(finding: Finding, via: readonly CallStep[], canPlace: (file: string | undefined) => boolean): Finding {
  if (canPlace(finding.file)) return finding;
  for (let i = via.length - 1; i >= 0; i--) {
    const step = via[i]!;
    if (!canPlace(step.file)) continue;
    const { file: _file, ...rest } = finding;
    // the path, trace and related steps are the origin's, in its file: they stay with it
    return {
      ...rest,
      ...(step.file ? { file: step.file } : {}),
      range: step.range,
      function: step.function,
      message: `${finding.message} (in ${finding.function}${finding.file ? `, ${finding.file}` : ''})`,
      path: [],
      trace: [],
      related: [],
      origin: { function: finding.function, range: finding.range, ...(finding.file ? { file: finding.file } : {}) },
    };
  }
  return finding;
}

// shared by every path in `findings` detail
const NONE: readonly never[] = Object.freeze([]);
const NO_WITNESS: Readonly<Record<string, boolean>> = Object.freeze({});

function summarizePaths(executor: Executor, finished: FinishedPath[], groups: readonly FindingGroup[], rootCondition: Bool, reported: ReadonlySet<string>, renderEvents: boolean): PathSummary[] {
  const alg = executor.alg;
  const layout = executor.sim.set.layout;
  const raws = groups.flatMap((g) => g.raws).filter((r) => reported.has(r.hit.rule.id));
  return finished.map((path, index) => {
    const c = renderEvents && alg.intersects(path.state.condition, rootCondition) ? alg.and(path.state.condition, rootCondition) : path.state.condition;
    const hazards = raws
      .filter((r) => r.state.decisions.every((d, i) => path.state.decisions[i]?.taken === d.taken && rangeKey(path.state.decisions[i]!.range) === rangeKey(d.range)))
      .filter((r) => alg.intersects(c, r.hit.condition))
      .map((r) => r.hit.rule.id);
    return {
      index,
      decisions: renderEvents ? path.state.decisions : NONE,
      events: renderEvents ? path.state.events.map((e) => renderEvent(alg, layout, e, c)) : NONE,
      end: path.end,
      witness: renderEvents ? peopleWitness(alg.witness(c) ?? new Map()) : NO_WITNESS,
      hazards: hazards.length > 0 ? [...new Set(hazards)] : NONE,
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

function summarizeCalls(executor: Executor, rootCondition: Bool): CallSiteState[] {
  const alg = executor.alg;
  const layout = executor.sim.set.layout;
  const byKey = new Map<string, CallSiteState>();
  for (const call of executor.calls) {
    const c = alg.intersects(call.state.condition, rootCondition) ? alg.and(call.state.condition, rootCondition) : call.state.condition;
    const before = call.before ? renderEntry(alg, layout, call.before, c) : undefined;
    const after = call.after ? renderEntry(alg, layout, call.after, c) : undefined;
    const key = `${rangeKey(call.range)}|${before ? formatRendered(before) : ''}|${after ? formatRendered(after) : ''}`;
    const existing = byKey.get(key);
    if (existing) byKey.set(key, { ...existing, paths: existing.paths + 1 });
    else byKey.set(key, { range: call.range, callee: call.callee, paths: 1, ...(before ? { before } : {}), ...(after ? { after } : {}) });
  }
  return [...byKey.values()];
}
