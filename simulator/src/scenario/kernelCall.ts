// A `call` step: a kernel function run on the scenario's page. The host analyses the function with
// the engine and hands over its summary (engine/summary.ts): its effects as formulas over its
// inputs. Here the inputs become the scenario's concrete state — the slot parameter is the page's
// entry, the VMA parameter the scenario's VMA, booleans and flag words what the step states — and
// what is left unknown (conditions the function decides from what only it knows) is enumerated:
// each distinct resulting entry is an outcome, and the runner checks each.

import { createAlgebra, type Bool, type BoolAlgebra } from '../sym';
import { CP_FLAGS } from '../model/context';
import { LEGAL_FORMS } from '../model/forms';
import type { Layout } from '../model/layout';
import type { FunctionSummary, InputRef } from '../engine/summary';
import type { ArgValue, ScenarioOp } from './types';
import type { PageState } from './state';

/** One way the call can end. */
export interface CallOutcome {
  /** The page's entry afterwards: every layout field. */
  readonly entry: Readonly<Record<string, boolean>>;
  readonly folioDirtied: boolean;
}

/** A hazard the function's own code causes on some path under these inputs (a summary's obligation). */
export interface CallHazard {
  readonly rule: string;
  readonly severity: string;
  readonly message: string;
  /** In the function's file, 1-based. */
  readonly line: number;
  readonly file?: string;
}

export interface CallResult {
  readonly outcomes: readonly CallOutcome[];
  /**
   * A summary states its hazards over the function's inputs only (what the function decides for
   * itself is quantified away), so they belong to the call, not to one outcome.
   */
  readonly hazards: readonly CallHazard[];
  /** Outcomes were cut at the bound. */
  readonly truncated: boolean;
  readonly notes: readonly string[];
}

export class CallError extends Error {}

const MAX_OUTCOMES = 8;

/** The page's entry field as the summary names it (`is_<form>` or a layout field). */
function slotField(alg: BoolAlgebra, entry: Readonly<Record<string, boolean>>, form: string, field: string): Bool {
  if (field.startsWith('is_')) return alg.constant(field.slice(3) === form);
  return alg.constant(entry[field] ?? false);
}

function flagWord(value: ArgValue, param: string): Set<string> {
  if (value === 0) return new Set();
  if (typeof value !== 'string') throw new CallError(`${param} takes flags joined by |, e.g. ${param}=MM_CP_UFFD_WP|MM_CP_TRY_CHANGE_WRITABLE`);
  const flags = value === '0' ? [] : value.split('|').filter(Boolean);
  const bad = flags.find((f) => !(CP_FLAGS as readonly string[]).includes(f));
  if (bad !== undefined) throw new CallError(`${bad} is not a change_protection() flag (${CP_FLAGS.join(', ')})`);
  return new Set(flags);
}

/**
 * Applies a function's summary to the scenario's state: `entry` holds the page's entry field by field
 * (forms included). Throws CallError when the step does not say what the function needs.
 */
export function callFunction(summary: FunctionSummary, op: ScenarioOp, state: PageState, entry: Readonly<Record<string, boolean>>, layout: Layout): CallResult {
  const form = LEGAL_FORMS.pte.find((f) => entry[f]) ?? 'none';
  const alg = createAlgebra();
  const params = summary.params;
  const slots = params.map((p, i) => [p, i] as const).filter(([p]) => p.type.kind === 'slot');
  if (slots.length !== 1) throw new CallError(`${summary.name} takes ${slots.length} page-table slots; a scenario's page can be handed to a function taking exactly one (pte_t *)`);
  const slotParam = slots[0]![1];
  for (const name of Object.keys(op.args)) {
    if (!params.some((p) => p.name === name)) throw new CallError(`${summary.name} has no parameter ${name} (parameters: ${params.map((p) => p.name).join(', ')})`);
  }
  const boolArg = (index: number): Bool => {
    const param = params[index]!;
    const value = op.args[param.name];
    if (typeof value === 'boolean') return alg.constant(value);
    if (typeof value === 'number') return alg.constant(value !== 0);
    throw new CallError(`call ${summary.name}: say what ${param.name} is (${param.name}=true or ${param.name}=false)`);
  };
  const factParamKind = (prefix: string): string | undefined => {
    const index = summary.factParams[prefix];
    if (index !== undefined) return params[index]?.type.kind === 'vma' ? 'vma' : params[index]?.name;
    return prefix;
  };
  const cpParam = params.find((p) => /cp_flags/.test(p.name));
  const cpFlags = (): Set<string> => {
    const value = op.args[cpParam!.name];
    if (value === undefined) throw new CallError(`call ${summary.name}: say what ${cpParam!.name} is (${cpParam!.name}=0, or flags joined by |, e.g. ${cpParam!.name}=MM_CP_UFFD_WP)`);
    return flagWord(value, cpParam!.name);
  };
  const inputs = new Map<string, InputRef>(summary.inputs);
  const substitute = (name: string): Bool => {
    const ref = inputs.get(name);
    if (!ref) return alg.variable(name);
    switch (ref.kind) {
      case 'param-slot':
      case 'param-value':
        if (ref.kind === 'param-slot' && ref.param !== slotParam) return alg.variable(name);
        if (ref.kind === 'param-value' && params[ref.param]?.type.kind !== 'entry') return alg.variable(name);
        return slotField(alg, entry, form, ref.field);
      case 'param-member':
      case 'fault-same':
        return alg.variable(name);
      case 'param-observed':
      case 'param-cleared':
        return alg.FALSE;
      case 'param-in-table':
      case 'param-lock':
        return alg.TRUE;
      case 'param-bool':
        return boolArg(ref.param);
      case 'param-below': {
        const value = op.args[params[ref.param]!.name];
        return typeof value === 'number' ? alg.constant(value < ref.below) : alg.variable(name);
      }
      case 'fact': {
        const owner = factParamKind(ref.prefix);
        if (owner === 'vma' || /vma$/.test(ref.prefix)) return alg.constant(state.vma.has(ref.fact));
        if (owner === 'folio' || ref.prefix === 'page') return alg.constant(state.folio.has(ref.fact));
        if (owner === 'mm') return alg.constant(state.mm.has(ref.fact));
        if (ref.prefix === 'cp' && cpParam) return alg.constant(cpFlags().has(ref.fact));
        return alg.variable(name);
      }
      case 'state':
        return ref.which === 'flush_pending' ? alg.constant(state.mm.has('tlb_flush_pending')) : alg.FALSE;
    }
  };
  const roots = alg.importFormulas(summary.formulas, substitute);
  const constraint = roots[summary.constraint]!;
  const slot = summary.slots.find((s) => s.param === slotParam && s.member === undefined);
  const entryBits: Bool[] = slot ? slot.value.bits.map((i) => roots[i]!) : layout.fields.map((field) => alg.constant(entry[field] ?? false));
  const dirtied = roots[summary.state.folio_dirtied]!;
  const outcomes: CallOutcome[] = [];
  let rest = constraint;
  let truncated = false;
  while (alg.isSatisfiable(rest)) {
    if (outcomes.length === MAX_OUTCOMES) {
      truncated = true;
      break;
    }
    const witness = alg.witness(rest)!;
    const values = entryBits.map((bit) => alg.evaluate(bit, witness));
    const same = alg.andAll(entryBits.map((bit, i) => (values[i] ? bit : alg.not(bit))));
    outcomes.push({
      entry: Object.fromEntries(layout.fields.map((field, i) => [field, values[i]!])),
      folioDirtied: alg.evaluate(dirtied, witness),
    });
    rest = alg.and(rest, alg.not(same));
  }
  const hazards = summary.obligations
    .filter((o) => alg.intersects(constraint, roots[o.condition]!))
    .map((o) => ({ rule: o.rule, severity: o.severity, message: o.finding.message.replace(/ \[[^\]]*\]$/, ''), line: o.finding.range.start.line + 1, ...(o.finding.file ? { file: o.finding.file } : {}) }));
  const notes = [
    ...(summary.notModelled.length ? [`${summary.name} calls what the model does not know: ${summary.notModelled.join(', ')}`] : []),
    ...summary.boundsHit.map((b) => `${summary.name}: ${b}`),
  ];
  return { outcomes, hazards, truncated, notes };
}
