// Deriving a tree's helpers for one profile (docs/model.md): the headers read, every built-in
// modifier and predicate derived from its definition, then the same again from the caches.
// Budget (issue 13): under 2 s cold for one profile, then cached.

import { performance } from 'node:perf_hooks';
import { Simulator, parseProfile } from '../../../simulator/src';
import { DerivedSimulator } from '../../../simulator/src/bitvec/derivedSimulator';
import { comparableHelpers } from '../../../simulator/src/bitvec/modelDiff';
import { forgetTree, treeModel } from '../../../server/src/headers/deriveFromTree';
import { treeOnDisk } from '../../../server/src/headers/sourceTree';
import type { Budget } from '../report/format';
import type { Rendered } from '../report/render';

export interface ModelTiming {
  readonly tree: string;
  readonly profile: string;
  readonly helpers: number;
  readonly derived: number;
  readonly headersMs: number;
  readonly deriveMs: number;
  readonly cachedMs: number;
}

export function timeDerivedModel(root: string, profileName: string): ModelTiming {
  const profile = parseProfile(profileName);
  const names = comparableHelpers(new Simulator(profile));
  forgetTree(root);
  const derive = () => {
    const started = performance.now();
    const model = treeModel(treeOnDisk(root), profile);
    const read = performance.now();
    const sim = new DerivedSimulator(model);
    const derived = names.filter((name) => sim.has(name)).length;
    return { headersMs: read - started, deriveMs: performance.now() - read, derived };
  };
  const cold = derive();
  const warm = derive();
  return { tree: root, profile: profile.name, helpers: names.length, derived: cold.derived, headersMs: cold.headersMs, deriveMs: cold.deriveMs, cachedMs: warm.headersMs + warm.deriveMs };
}

export function renderDerivedModel(rows: readonly ModelTiming[]): Rendered {
  const lines = rows.map((r) => `${r.profile} from ${r.tree}: headers ${Math.round(r.headersMs)} ms, ${r.derived}/${r.helpers} helpers derived in ${Math.round(r.deriveMs)} ms; again from the caches ${Math.round(r.cachedMs)} ms`);
  const budgets: Budget[] = rows.map((r) => ({ name: `derive every helper of ${r.profile} (${r.tree})`, measured: Math.round(r.headersMs + r.deriveMs), unit: 'ms', limit: 2000, comparison: '<' }));
  return { lines, budgets };
}
