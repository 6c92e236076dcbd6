// `mmlens model diff --tree DIR` and `mmlens laws --tree DIR`: the helpers a kernel tree's
// headers define, compared with the built-in tables and checked against the laws. Each returns
// its output lines; main.ts prints them.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Simulator, checkAllLaws, lawText, lawUses, parseProfile, type LawResult, type Profile } from '../../../simulator/src';
import { DerivedHelpers } from '../../../simulator/src/bitvec/derived';
import { DerivedSimulator } from '../../../simulator/src/bitvec/derivedSimulator';
import { readSwapLayout, type SwapLayout } from '../../../simulator/src/bitvec/swapLayout';
import { numberRuns } from '../../../simulator/src/bitvec/treeSimulator';
import { documentedAbstraction } from '../../../simulator/src/bitvec/abstractions';
import { compareModels, underivedKinds, type HelperComparison } from '../../../simulator/src/bitvec/modelDiff';
import { TreeModelError, treeModel, type TreeModel } from '../headers/deriveFromTree';
import { lawsAcrossPatch } from '../headers/patchLaws';
import { treeOnDisk } from '../headers/sourceTree';
import { headerPatchProfile } from '../analysis/headerFindings';
import { documentProfile } from '../inputs/documentProfile';
import { KernelTreeError, openKernelTree, type KernelTree } from '../inputs/kernelTree';
import { readInputDocument } from '../inputs/readInput';
import { chooseProfile } from '../inputs/profileChoice';
import { InputError } from './errors';
import { formatCounterexample } from '../headers/counterexample';

interface OpenedModel {
  readonly model: TreeModel;
  readonly profile: Profile;
  readonly why: string;
}

function openModel(directory: string, profile: string | undefined): OpenedModel {
  const { root, chosen, why } = openTree(directory, profile);
  try {
    return { model: treeModel(treeOnDisk(root), chosen), profile: chosen, why };
  } catch (error) {
    if (error instanceof TreeModelError) throw new InputError(error.message);
    throw error;
  }
}

function openKernel(directory: string): KernelTree {
  try {
    return openKernelTree(directory);
  } catch (error) {
    if (error instanceof KernelTreeError) throw new InputError(error.message);
    throw error;
  }
}

function openTree(directory: string, profile: string | undefined): { root: string; chosen: Profile; why: string } {
  const tree = openKernel(directory);
  const choice = chooseProfile({ ...(profile !== undefined ? { given: profile, givenBy: 'flag' as const } : {}), tree });
  return { root: tree.root, chosen: parseProfile(choice.profile), why: choice.reason };
}

/**
 * The tree and the profile a header patch is judged on, chosen as `mmlens check` chooses them
 * for the same patch: the document's profile (--profile, else the tree's Makefile and .config,
 * as documentProfile decides), on the architecture whose headers the patch changes.
 */
function openPatchTree(directory: string, patchPath: string, text: string, profile: string | undefined): { root: string; chosen: Profile; why: string } {
  const tree = openKernel(directory);
  const input = readInputDocument(text);
  const { choice, problems } = documentProfile(text, input, { ...(profile !== undefined ? { profile, profileGivenBy: 'flag' as const } : {}), kernelTree: tree, diskPath: resolve(patchPath) });
  const problem = problems.find((p) => p.severity === 'error');
  if (problem) throw new InputError(problem.message);
  const chosen = headerPatchProfile(text, choice.profile);
  if (typeof chosen === 'string') throw new InputError(`${patchPath}: ${chosen}`);
  const why = chosen.name === choice.profile ? choice.reason : `${choice.reason}; ${chosen.arch} for the headers it patches`;
  return { root: tree.root, chosen, why };
}

function headerSummary(model: TreeModel): string {
  const h = model.headers;
  return `${h.files.length} headers read in ${Math.round(model.readMs)} ms (${h.skipped.length} that define no page-table bits skipped); ${h.missing.length} not in the tree (${[...new Set(h.missing.map((m) => m.include))].slice(0, 4).join(', ')}${h.missing.length > 4 ? ', …' : ''})`;
}

const where = (c: HelperComparison) => (c.definition ? ` (${c.definition.file}:${c.definition.line})` : '');

export function modelDiffReport(directory: string, profile?: string): { lines: string[]; differences: number } {
  const opened = openModel(directory, profile);
  const started = performance.now();
  const sim = new Simulator(opened.profile);
  const derived = new DerivedHelpers(opened.model, sim.set.layout, (name) => sim.set.row(name)?.kind);
  const results = compareModels(sim, derived);
  const compareMs = performance.now() - started;
  const by = (status: HelperComparison['status']) => results.filter((r) => r.status === status);
  const lines = [
    `model diff: ${directory}, ${opened.profile.name} (${opened.why})`,
    `  ${headerSummary(opened.model)}; ${results.length} helpers derived and compared in ${Math.round(compareMs)} ms`,
    `  same ${by('same').length}, differ ${by('differs').length}, not derived ${by('not-derived').length}, not compared ${by('not-compared').length}, cannot be evaluated ${by('error').length}`,
    '',
  ];
  let undocumented = 0;
  for (const r of by('differs')) {
    if (r.status !== 'differs') continue;
    const notes = r.differences.map((d) => documentedAbstraction(opened.profile.arch, r.name, d.field));
    const documented = notes.every((n) => n !== undefined);
    if (!documented) undocumented++;
    lines.push(`${documented ? 'differs (documented abstraction)' : 'DIFFERS'} ${r.name}${where(r)}`);
    r.differences.forEach((d, i) => {
      lines.push(`    ${d.field}: built-in ${d.builtin ? 1 : 0}, derived ${d.derived ? 1 : 0} when ${formatCounterexample(d.counterexample)}`);
      if (notes[i] && (i === 0 || notes[i] !== notes[i - 1])) lines.push(`      documented: ${notes[i]!.why}`);
    });
  }
  lines.splice(3, 0, `  differences that are no documented abstraction: ${undocumented}`);
  for (const status of ['error', 'not-derived', 'not-compared'] as const) {
    const group = by(status);
    if (group.length === 0) continue;
    lines.push('', `${status === 'error' ? 'cannot be evaluated' : status.replace('-', ' ')} (${group.length}):`);
    for (const r of group) if (r.status === status) lines.push(`  ${r.name}${where(r)} — ${r.reason}`);
  }
  for (const level of ['pte', 'pmd'] as const) {
    const layout = readSwapLayout(derived, sim.alg, level);
    const text = swapLayoutLines(layout, level, derived);
    lines.push('', ...text.lines);
    undocumented += text.problems;
  }
  const others = underivedKinds(sim, derived);
  lines.push('', `constructors, not derived (${others.length}): the built-in rows`);
  for (const r of others) lines.push(`  ${r.name} — ${r.reason}`);
  return { lines, differences: undocumented };
}

function swapLayoutLines(layout: SwapLayout | string, level: string, derived: DerivedHelpers): { lines: string[]; problems: number } {
  if (typeof layout === 'string') return { lines: [`swap entry layout (${level}): not read — ${layout}`], problems: 0 };
  const bits = (list: readonly number[]) => `bit${list.length > 1 ? 's' : ''} ${numberRuns(list).join(', ')}`;
  const inverted = layout.invertedBits.length === 0 ? '' : layout.invertedBits.length === layout.offsetBits.length && layout.invertedBits.every((b) => layout.offsetBits.includes(b)) ? ' (stored inverted)' : ` (${bits(layout.invertedBits)} inverted)`;
  const flags = [...derived.source.softleafPositions].map(([flag, bit]) => `${flag} bit ${bit}`).join(', ');
  const lines = [
    `swap entry layout (${level}), from ${layout.definitions.map((d) => `${d.name} (${d.at.file}:${d.at.line})`).join(', ')}:`,
    `  type ${bits(layout.typeBits)}, offset ${bits(layout.offsetBits)}${inverted}; carry flags ${flags || 'none'}`,
  ];
  if (layout.problems.length === 0) lines.push('  the carry flags and the present and PROT_NONE bits are 0 in every swap entry, and the type and offset come back intact');
  for (const problem of layout.problems) lines.push(`  SWAP LAYOUT: ${problem}`);
  return { lines, problems: layout.problems.length };
}

export function treeLawsReport(directory: string, profile?: string): { lines: string[]; failures: number } {
  const opened = openModel(directory, profile);
  const started = performance.now();
  const sim = new DerivedSimulator(opened.model);
  const results = checkAllLaws(sim);
  const ms = performance.now() - started;
  const count = (status: LawResult['status']) => results.filter((r) => r.status === status).length;
  const lines = [
    `laws on ${directory}, ${opened.profile.name} (${opened.why})`,
    `  ${headerSummary(opened.model)}; laws proved on the derived helpers in ${Math.round(ms)} ms`,
    `${opened.profile.name} (derived): ${count('holds')} hold, ${count('fails')} fail, ${count('n/a')} not applicable`,
  ];
  for (const result of results) {
    const text = lawText(result.law, result.level);
    if (result.status === 'holds') lines.push(`  holds  ${text}`);
    else if (result.status === 'n/a') lines.push(`  n/a    ${text} — ${result.reason}`);
    else {
      lines.push(`  FAILS  ${text}  [${result.law.semantics}]`);
      lines.push(`         counterexample: ${formatCounterexample(result.counterexample)}`);
      const definitions = lawUses(result.law, result.level).flatMap((name) => {
        const helper = sim.derived.get(name);
        return typeof helper === 'string' ? [] : [`${name} (${helper.definition.at.file}:${helper.definition.at.line})`];
      });
      lines.push(`         definitions: ${definitions.join(', ')}`);
    }
  }
  return { lines, failures: count('fails') };
}

/** `mmlens laws --tree DIR --patch FILE`: laws the patch breaks (introduced) and repairs (fixed), per hunk. */
export function patchLawsReport(directory: string, patchPath: string, profile?: string): { lines: string[]; introduced: number } {
  let text: string;
  try {
    text = readFileSync(patchPath, 'utf8');
  } catch (error) {
    throw new InputError(`${patchPath}: ${(error as Error).message}`);
  }
  const opened = openPatchTree(directory, patchPath, text, profile);
  const started = performance.now();
  let result;
  try {
    result = lawsAcrossPatch(treeOnDisk(opened.root), opened.chosen, text);
  } catch (error) {
    if (error instanceof TreeModelError) throw new InputError(error.message);
    throw error;
  }
  const ms = performance.now() - started;
  const introduced = result.changes.filter((c) => c.change === 'introduced').length;
  const lines = [
    `laws across ${patchPath} on ${directory}, ${opened.chosen.name} (${opened.why})`,
    `  before and after the patch, derived and proved in ${Math.round(ms)} ms: ${introduced} introduced, ${result.changes.length - introduced} fixed, ${result.unchanged.length} failing on both sides${result.unchanged.length > 0 ? ` (${result.unchanged.join(', ')})` : ''}`,
  ];
  for (const change of result.changes) {
    lines.push(`${change.change === 'introduced' ? 'INTRODUCED' : 'fixed     '} ${change.law.id}@${change.level}: ${lawText(change.law, change.level)}  [${change.law.semantics}]`);
    lines.push(`    counterexample ${change.change === 'introduced' ? 'after' : 'before'} the patch: ${formatCounterexample(change.counterexample)}`);
    lines.push(`    definitions: ${change.definitions.map((d) => `${d.name} (${d.file}:${d.line})`).join(', ')}`);
    for (const hunk of change.hunks) lines.push(`    by hunk ${hunk.number} of ${hunk.file} ${hunk.header}: ${hunk.helpers.join(', ')}`);
    if (change.hunks.length === 0) lines.push('    no hunk touches these definitions: the change comes through what they read (a mask, a config)');
  }
  for (const note of result.notes) lines.push(`  note: ${note}`);
  return { lines, introduced };
}
