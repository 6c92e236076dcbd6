// What an analysis returns: plain data, ready for JSON, the CLI and the server.

import type { SourceRange } from '../ir';
import type { Severity } from '../hazards/catalogue';
import type { RenderedEntry } from './render';
import type { Decision, PathEventKind } from './state';
import type { CallStep } from './summary';

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: SourceRange;
  readonly function: string;
  /** The branch decisions of the first path that reaches it. */
  readonly path: readonly Decision[];
  /** Unknowns that lead there (initial bits, VMA flags, folio facts …): only the set ones and the decisive clear ones. */
  readonly witness: Readonly<Record<string, boolean>>;
  /** Where the offending bits were set (the helper calls on the path before the install). */
  readonly related: readonly { readonly range: SourceRange; readonly message: string }[];
  /** The `@mm assume` clauses and profile in force. */
  readonly assumptions: readonly string[];
  /** How many explored paths reach it. */
  readonly paths: number;
  /** The steps of that path up to the finding, rendered under the hazard's condition. */
  readonly trace: readonly RenderedEvent[];
  /** In a fragment that never installs: a value live at its end, checked as if installed. */
  readonly wouldBeInstalled?: boolean;
  /** The file of `range` when it is not the analysed document (a function of the tree). */
  readonly file?: string;
  /** How the function reported it reaches where it happens: calls, outermost first. */
  readonly via?: readonly CallStep[];
  /** What the caller must pass for it to happen, when that is not anything ("if the caller passes writable"). */
  readonly condition?: string;
  /** In test code (built only with this config symbol): listed as information. */
  readonly testCode?: string;
  /** Where it happens, when it is reported elsewhere (at a call in the checked files). */
  readonly origin?: { readonly function: string; readonly file?: string; readonly range: SourceRange };
}

export interface RenderedEvent {
  readonly kind: PathEventKind;
  readonly range: SourceRange;
  readonly detail: string;
  readonly before?: RenderedEntry;
  readonly after?: RenderedEntry;
}

export interface PathSummary {
  readonly index: number;
  /** The branches taken (empty in `findings` detail). */
  readonly decisions: readonly Decision[];
  readonly events: readonly RenderedEvent[];
  readonly end: 'return' | 'fragment-end' | 'bound';
  /** Unknowns that lead down this path (empty in `findings` detail). */
  readonly witness: Readonly<Record<string, boolean>>;
  /** Rules that fire on this path. */
  readonly hazards: readonly string[];
}

/** A helper call's distinct effect (the hover's rows): one per different before → after. */
export interface CallSiteState {
  readonly range: SourceRange;
  readonly callee: string;
  /** How many explored paths reach the call with this effect. */
  readonly paths: number;
  readonly before?: RenderedEntry;
  readonly after?: RenderedEntry;
}

export interface FunctionAnalysis {
  readonly name: string;
  readonly range: SourceRange;
  readonly nameRange: SourceRange;
  readonly profile: string;
  readonly fragment: boolean;
  readonly paths: readonly PathSummary[];
  readonly findings: readonly Finding[];
  readonly callSites: readonly CallSiteState[];
  /** Calls the engine had no model for, each listed once. */
  readonly notModelled: readonly string[];
  /** Bounds that cut the exploration ("analysis truncated after 256 paths"). */
  readonly boundsHit: readonly string[];
  /** What the user should know about the analysis itself: ignored assumptions, contradictions. */
  readonly notes: readonly string[];
  /** Whether the function touches page-table entries at all (code lenses only for those). */
  readonly touchesEntries: boolean;
}

/** The bound a host's clock or cancellation imposes: unlike the engine's own bounds, not a property of the code. */
export const STOPPED_EARLY = 'analysis stopped: cancelled or out of its time budget';

/** An analysis the host's clock or a cancellation cut short: another run may get further, so it is never kept for reuse. */
export function stoppedEarly(analysis: Pick<FunctionAnalysis, 'boundsHit'>): boolean {
  return analysis.boundsHit.includes(STOPPED_EARLY);
}
