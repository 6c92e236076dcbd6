// The sequential runner: a scenario's steps one after another on one page, each step an operation
// of the library (operations.ts) or a kernel function (kernelCall.ts), with the properties
// (properties.ts) and the hazard rules' state conditions checked after each. Pure: the host
// hands over the summaries of the functions `call` steps name.

import { createAlgebra } from '../sym';
import { constantFacts } from '../model/context';
import { inVersionRange, isEnabled, parseProfile, ProfileError, whyDisabled, type Profile } from '../model/profile';
import type { EntryValue } from '../model/value';
import type { Severity } from '../hazards/catalogue';
import { HazardChecker } from '../hazards/check';
import { helperSetFor } from '../helpers/registry';
import type { FunctionSummary } from '../engine/summary';
import { CallError, callFunction, type CallHazard, type CallOutcome } from './kernelCall';
import { HARDWARE, operationNamed, type OperationCase, type OperationDef, type OperationVariant } from './operations';
import { PROPERTIES } from './properties';
import { ConcreteModel, type PageState, type RenderedState } from './state';
import { ScenarioError, type Scenario, type ScenarioOp, type ScenarioProblem } from './types';

export interface FunctionLookup {
  get(name: string): FunctionSummary | undefined;
  /** Every function that can be called, for messages. */
  names(): readonly string[];
}

export interface RunOptions {
  /** Wins over the scenario's own profile line. */
  readonly profile?: string;
  readonly functions?: FunctionLookup;
}

export type FindingKind = 'property' | 'state' | 'function';

export interface StepFinding {
  readonly rule: string;
  readonly kind: FindingKind;
  readonly severity: Severity;
  readonly message: string;
  /** For a hazard inside a called function: its line in the C file (1-based). */
  readonly sourceLine?: number;
}

export interface StepResult {
  /** 1-based among the steps. */
  readonly index: number;
  readonly line: number;
  readonly text: string;
  readonly op: string;
  /** What the kernel did, case by case (a retried access has several). */
  readonly path: readonly string[];
  /** The kernel code each case stands for. */
  readonly sources: readonly string[];
  readonly trap?: string;
  readonly access?: 'read' | 'write';
  readonly before: RenderedState;
  readonly after: RenderedState;
  /** Entry fields the step changed. */
  readonly changed: readonly string[];
  /** Properties the step breaks: what makes the scenario fail. */
  readonly violations: readonly StepFinding[];
  /** Hazard rules the entry breaks after the step (and hazards inside a called function). */
  readonly hazards: readonly StepFinding[];
  readonly notes: readonly string[];
  /** A call with several outcomes: which one this run follows. */
  readonly outcome?: { readonly index: number; readonly of: number };
}

export interface ScenarioRun {
  readonly name?: string;
  readonly profile: string;
  readonly initial: RenderedState;
  readonly steps: readonly StepResult[];
  readonly holds: boolean;
  /** The first broken property (else the first hazard): where the scenario fails. */
  readonly violation?: { readonly step: number; readonly line: number } & StepFinding;
  /** How many runs a call's several outcomes led to (1 when none branched), and how many hold. */
  readonly branches: { readonly total: number; readonly holding: number };
  readonly notes: readonly string[];
}

const MAX_BRANCHES = 32;

/** What to write instead, where an initial entry breaks a rule people hit by writing the bits of another version. */
const INITIAL_HINTS: Readonly<Record<string, string>> = {
  'shstk-lookalike': '; on x86 from 6.6 a read-only dirty entry keeps its dirt in SavedDirty: write SD=1, not D=1',
};

function fail(line: number, message: string): never {
  throw new ScenarioError([{ line, message }]);
}

/** The profile a scenario runs on: the option, else its own line, else x86_64@6.19. */
export function scenarioProfile(scenario: Scenario, override?: string): Profile {
  const spec = override ?? scenario.profile?.spec ?? 'x86_64';
  try {
    return parseProfile(spec);
  } catch (error) {
    if (error instanceof ProfileError) fail(override === undefined ? (scenario.profile?.line ?? 1) : 1, error.message);
    throw error;
  }
}

class Runner {
  readonly model: ConcreteModel;
  readonly checker: HazardChecker;
  readonly checked: Set<string>;
  branches = 0;

  constructor(
    readonly profile: Profile,
    readonly scenario: Scenario,
    readonly functions: FunctionLookup | undefined,
  ) {
    const set = helperSetFor(profile);
    this.model = new ConcreteModel(createAlgebra(), set);
    this.checker = new HazardChecker(set);
    const check = scenario.check;
    if (check) {
      const refused = check.ids.flatMap((id) => {
        const why = this.whyNotChecked(id);
        return why === undefined ? [] : [`${id} cannot be checked on ${profile.name}: ${why}`];
      });
      if (refused.length > 0) fail(check.line, refused.join('; '));
    }
    this.checked = new Set(check?.ids ?? [...PROPERTIES.map((p) => p.id), ...this.checker.rules('state').map((r) => r.id)].filter((id) => this.whyNotChecked(id) === undefined));
  }

  /**
   * Why a property or rule cannot be judged on this profile: each property is the visible side of
   * the hazard rule of its name, so where the rule cannot fire at the page's level (soft-dirty
   * without CONFIG_MEM_SOFT_DIRTY) the property is inapplicable, not held or broken.
   */
  whyNotChecked(id: string): string | undefined {
    return this.checker.applicability.find((a) => a.rule.id === id && a.level === 'pte')?.reason;
  }

  /** The default properties the profile cannot judge, with why (reported, so that "holds" does not claim them). */
  inapplicable(): string[] {
    if (this.scenario.check) return [];
    return PROPERTIES.flatMap((p) => {
      const why = this.whyNotChecked(p.id);
      return why === undefined ? [] : [`${p.id} is not checked on ${this.profile.name}: ${why}`];
    });
  }

  initialState(): PageState {
    const s = this.scenario;
    const model = this.model;
    const vma = model.withWritenotify(model.existingFacts(s.vma.facts));
    let entry: EntryValue | string = model.initialEntry('none', {});
    if (s.entry) entry = model.initialEntry(s.entry.form, s.entry.bits);
    if (typeof entry === 'string') fail(s.entry!.line, entry);
    const folio = model.existingFacts(s.folio?.facts ?? []);
    const state: PageState = { entry, vma, folio, mm: new Set(s.mm?.facts ?? []), written: false };
    if (s.entry && s.entry.form !== 'none') {
      const hits = this.stateHazards(state);
      if (hits.length > 0) fail(s.entry.line, `the initial entry already breaks ${hits.map((h) => h.rule).join(', ')} in this VMA: the kernel never leaves a page so (${hits[0]!.message})${INITIAL_HINTS[hits[0]!.rule] ?? ''}`);
    }
    return state;
  }

  stateHazards(state: PageState): StepFinding[] {
    const alg = this.model.alg;
    return this.checker
      .checkState(alg, 'pte', state.entry, { vma: constantFacts(alg, state.vma), folio: constantFacts(alg, state.folio) })
      .filter((hit) => hit.condition === alg.TRUE && this.checked.has(hit.rule.id))
      .map((hit) => ({ rule: hit.rule.id, kind: 'state' as const, severity: hit.rule.severity, message: hit.rule.message.replace(/\{l\}/g, 'pte') }));
  }

  properties(before: PageState, after: PageState, access: 'read' | 'write' | undefined): StepFinding[] {
    return PROPERTIES.filter((p) => this.checked.has(p.id) && (p.after === 'step' || access === p.after) && this.model.holdsAcross(p.condition, before, after)).map((p) => ({
      rule: p.id,
      kind: 'property' as const,
      severity: 'error' as const,
      message: p.message,
    }));
  }

  variantOf(def: OperationDef, op: ScenarioOp): OperationVariant {
    const missing = (def.needs ?? []).find((symbol) => !isEnabled(this.profile, symbol));
    if (missing) fail(op.line, `${def.name} needs CONFIG_${missing}, which ${this.profile.name} lacks (${whyDisabled(this.profile, missing)})`);
    const variant = def.variants.find((v) => inVersionRange(this.profile.version, v.since, v.until));
    if (!variant) {
      const spans = def.variants.map((v) => `${v.since ?? '…'}–${v.until ?? '…'}`).join(', ');
      fail(op.line, `${def.name} is modelled for kernels ${spans}, not ${this.profile.name}`);
    }
    return variant;
  }

  /** One library operation (and what it runs next); the cases that ran. */
  libraryOperation(def: OperationDef, op: ScenarioOp, state: PageState, depth = 0): { state: PageState; cases: OperationCase[]; trap?: string; access?: 'read' | 'write' } {
    const model = this.model;
    const variant = this.variantOf(def, op);
    let current: PageState = { ...state, vma: model.withWritenotify(model.applyFacts(state.vma, variant.vmaBefore, state)) };
    if (def.takesProtection) current = { ...current, vma: this.protectionFlags(op, current) };
    const chosen = variant.cases.find((c) => c.when === undefined || model.holds(c.when, current));
    if (!chosen) fail(op.line, `${def.name}: no case of the library matches the state ${model.render(current).entry} (a gap in the library)`);
    const source = chosen.source === 'HW_SOURCE' ? HARDWARE[this.profile.arch].source : chosen.source;
    const ran = { ...chosen, source };
    if (chosen.trap) return { state, cases: [ran], trap: chosen.trap };
    let entry = current.entry;
    if (chosen.hardware) entry = model.hardwareAccess(chosen.hardware, current);
    else if (chosen.entry) entry = model.runEffect(chosen.entry, current, chosen.prot);
    let folio: ReadonlySet<string> = current.folio;
    for (const change of chosen.folio ?? []) folio = model.applyFacts(folio, change, current);
    let next: PageState = {
      entry,
      vma: model.withWritenotify(model.applyFacts(current.vma, variant.vmaAfter, current)),
      folio,
      mm: current.mm,
      written: chosen.discards ? false : current.written || chosen.access === 'write',
    };
    const cases = [ran];
    let access = chosen.access;
    let trap: string | undefined;
    for (const name of chosen.then ?? []) {
      if (depth > 3) fail(op.line, `${def.name}: the library retries without end (a gap in the library)`);
      const follow = this.libraryOperation(operationNamed(name)!, op, next, depth + 1);
      next = follow.state;
      cases.push(...follow.cases);
      access = follow.access;
      trap = follow.trap;
    }
    return { state: next, cases, ...(trap ? { trap } : {}), ...(access ? { access } : {}) };
  }

  /** mprotect's words: the VMA's new VM_READ/VM_WRITE/VM_EXEC, refused (EACCES) beyond VM_MAY*. */
  protectionFlags(op: ScenarioOp, state: PageState): Set<string> {
    const vma = new Set(state.vma);
    const wanted = new Set(op.words.filter((w) => w !== 'none'));
    for (const [word, flag, may] of [['read', 'VM_READ', 'VM_MAYREAD'], ['write', 'VM_WRITE', 'VM_MAYWRITE'], ['exec', 'VM_EXEC', 'VM_MAYEXEC']] as const) {
      if (wanted.has(word) && !vma.has(may)) fail(op.line, `mprotect ${op.words.join(' ')}: the VMA lacks ${may}, the kernel refuses with EACCES`);
      if (wanted.has(word)) vma.add(flag);
      else vma.delete(flag);
    }
    return this.model.withWritenotify(vma);
  }

  callOutcomes(op: ScenarioOp, state: PageState): { outcomes: readonly CallOutcome[]; hazards: readonly CallHazard[]; notes: string[] } {
    const name = op.words[0]!;
    if (!this.functions) fail(op.line, `call ${name}: the scenario has no source file (add a line: source FILE.c)`);
    const summary = this.functions.get(name);
    if (!summary) fail(op.line, `call ${name}: no function ${name} in the source file (its functions: ${this.functions.names().join(', ') || 'none'}), the scenario's directory or its kernel tree (--tree, mmlens.tree)`);
    const layout = this.model.set.layout;
    const entry = Object.fromEntries(layout.fields.map((f, i) => [f, state.entry.bits[i] === this.model.alg.TRUE]));
    try {
      const result = callFunction(summary, op, state, entry, layout);
      const notes = [...result.notes];
      if (result.outcomes.length === 0) fail(op.line, `call ${name}: no path of ${name} can run on this state (its conditions contradict the scenario's facts)`);
      if (result.outcomes.length > 1) notes.push(`${name} can end in ${result.outcomes.length} different entries here (it decides on what the scenario does not state); each is checked`);
      if (result.truncated) notes.push(`${name}: only the first ${result.outcomes.length} outcomes are followed`);
      return { outcomes: result.outcomes, hazards: result.hazards, notes };
    } catch (error) {
      if (error instanceof CallError) fail(op.line, error.message);
      throw error;
    }
  }

  outcomeState(outcome: CallOutcome, state: PageState): PageState {
    const alg = this.model.alg;
    const layout = this.model.set.layout;
    const bits = new Int32Array(layout.fields.map((f) => alg.constant(outcome.entry[f] ?? false)));
    const folio = new Set(state.folio);
    if (outcome.folioDirtied) folio.add('dirty');
    return { ...state, entry: { kind: 'entry', level: 'pte', bits }, folio };
  }

  finish(index: number, op: ScenarioOp, before: PageState, after: PageState, extra: Partial<StepResult> & { path: string[]; sources: string[] }): StepResult {
    const violations = extra.trap ? [] : this.properties(before, after, extra.access);
    const inside = extra.hazards ?? [];
    // the entry's state rules, once: where the step made the entry so, and not again where a hazard inside a called function already says it
    const candidates = this.stateHazards(after).filter((h) => !inside.some((f) => f.rule === h.rule));
    const held = candidates.length > 0 && sameEntry(before.entry, after.entry) ? new Set(this.stateHazards(before).map((b) => b.rule)) : undefined;
    const fresh = held ? candidates.filter((h) => !held.has(h.rule)) : candidates;
    const hazards = [...inside, ...fresh];
    return {
      index,
      line: op.line,
      text: op.text,
      op: op.op,
      ...extra,
      before: this.model.render(before),
      after: this.model.render(after),
      changed: this.model.changedFields(before.entry, after.entry),
      violations,
      hazards,
      notes: extra.notes ?? [],
    } as StepResult;
  }

  /** Runs steps from `from` on; a call with several outcomes forks the run. */
  runFrom(from: number, state: PageState, done: StepResult[]): StepResult[][] {
    const steps = this.scenario.steps;
    for (let i = from; i < steps.length; i++) {
      const op = steps[i]!;
      if (op.op === 'call') {
        const { outcomes, hazards: inside, notes } = this.callOutcomes(op, state);
        const hazards = inside.map((h) => ({ rule: h.rule, kind: 'function' as const, severity: h.severity as Severity, message: `${h.file ?? this.scenario.source?.path ?? op.words[0]}:${h.line}: ${h.message}`, sourceLine: h.line }));
        const runs: StepResult[][] = [];
        outcomes.forEach((outcome, k) => {
          if (this.branches >= MAX_BRANCHES) return;
          if (k > 0) this.branches++;
          const after = this.outcomeState(outcome, state);
          const step = this.finish(i + 1, op, state, after, {
            path: [`${op.words[0]}() as the engine analysed it${outcomes.length > 1 ? ` (outcome ${k + 1} of ${outcomes.length})` : ''}`],
            sources: [`${this.scenario.source?.path ?? 'the source'}: ${op.words[0]}()`],
            hazards,
            notes,
            ...(outcomes.length > 1 ? { outcome: { index: k + 1, of: outcomes.length } } : {}),
          });
          runs.push(...this.runFrom(i + 1, after, [...done, step]));
        });
        return runs;
      }
      const def = operationNamed(op.op)!;
      const result = this.libraryOperation(def, op, state);
      const notes = result.cases.filter((c) => c.notModelled).map((c) => c.path);
      done = [...done, this.finish(i + 1, op, state, result.state, {
        path: result.cases.map((c) => c.path),
        sources: result.cases.map((c) => c.source),
        ...(result.trap ? { trap: result.trap } : {}),
        ...(result.access ? { access: result.access } : {}),
        notes,
      })];
      state = result.state;
    }
    return [done];
  }
}

function sameEntry(a: EntryValue, b: EntryValue): boolean {
  return a.bits.every((bit, i) => bit === b.bits[i]);
}

function firstViolation(steps: readonly StepResult[]): ScenarioRun['violation'] {
  for (const kind of ['violations', 'hazards'] as const) {
    for (const step of steps) {
      const finding = step[kind][0];
      if (finding) return { step: step.index, line: step.line, ...finding };
    }
  }
  return undefined;
}

/**
 * Runs a scenario's steps one after another. Throws ScenarioError (with lines) when the scenario
 * cannot run: a profile that lacks what it names, a call the source cannot answer.
 */
export function runScenario(scenario: Scenario, options: RunOptions = {}): ScenarioRun {
  const profile = scenarioProfile(scenario, options.profile);
  const runner = new Runner(profile, scenario, options.functions);
  const initial = runner.initialState();
  const runs = runner.runFrom(0, initial, []);
  const judged = runs.map((steps) => ({ steps, violation: firstViolation(steps) }));
  const shown = judged.find((r) => r.violation) ?? judged[0]!;
  const holding = judged.filter((r) => !r.violation).length;
  const notes = [...runner.inapplicable(), ...(runner.branches >= MAX_BRANCHES ? [`only ${MAX_BRANCHES} runs are followed when calls have several outcomes`] : [])];
  return {
    ...(scenario.name ? { name: scenario.name } : {}),
    profile: profile.name,
    initial: runner.model.render(initial),
    steps: shown.steps,
    holds: !shown.violation,
    ...(shown.violation ? { violation: shown.violation } : {}),
    branches: { total: judged.length, holding },
    notes,
  };
}

export type { ScenarioProblem };
