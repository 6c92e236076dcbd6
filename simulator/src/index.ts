// mmlens simulator: the public API. Pure TypeScript, no I/O.
//
//   const sim = new Simulator('x86_64@6.19');
//   const pte = sim.presentEntry('pte');                 // unknown present entry
//   const vma = sim.facts('vma');                        // unknown VMA flags
//   const out = sim.apply('pte_mkwrite', pte, vma);      // helper by name
//   const shstk = sim.test('pte_shstk', out);            // a predicate: a symbolic boolean
//   sim.alg.witness(shstk);                              // when? e.g. vma.VM_SHADOW_STACK=1
//   sim.hazards.checkState(sim.alg, 'pte', out, { vma }); // rule hits with their conditions

export * from './sym';
export * from './model/forms';
export * from './model/layout';
export * from './model/profile';
export * from './model/context';
export * from './model/value';
export type { ArgMap, ArgValue, CompiledHelper, EmittedEvent, InPlaceResult } from './helpers/compile';
export { HelperArgumentError } from './helpers/compile';
export { DslError } from './helpers/dsl';
export type { ArchTable, BitDef, EventSpec, HelperDef, HelperKind, InstallKind, Law as HelperLaw, NotApplicable, Param, ParamKind } from './helpers/types';
export { ARCH_TABLES, HelperSet, helperSetFor } from './helpers/registry';
export { describeHelper, formatHelperMarkdown, type HelperDescription } from './helpers/describe';
export { RULES, ruleIds, type RuleDef, type RuleKind, type Severity } from './hazards/catalogue';
export { HazardChecker, explainHit, type EntryContext, type Explanation, type RuleHit } from './hazards/check';
export { Simulator, UnknownHelperError } from './simulator';
export { LAWS, checkAllLaws, checkLaw, lawText, lawUses, type Law, type LawResult } from './laws';
export type * from './ir';
export { analyzeFunction, analyzeFunctionSafely, analyzeFunctionWithSummary, analyzeUnit, analyzeUnitWithSummaries, type AnalysisOptions, type FunctionContext, type FunctionResult } from './engine/analyze';
export { NO_SUMMARIES, isInert, type CallStep, type FunctionSummary, type InputRef, type Obligation, type SummaryLookup } from './engine/summary';
export { callOrder, type CallOrder } from './engine/callOrder';
export { EntryFreeFunctions } from './engine/entryFree';
export { calledNames, expressionsOf, subexpressions } from './irWalk';
export { DEFAULT_BOUNDS, modelledCalls, type EngineBounds } from './engine/execute';
export type { CallSiteState, Finding, FunctionAnalysis, PathSummary, RenderedEvent } from './engine/results';
export { stoppedEarly } from './engine/results';
export { changedBits, formatRendered, renderEntry, type BitValue, type RenderedEntry } from './engine/render';
export { printExpr } from './irPrint';
export { summarizeWitness } from './engine/witness';
