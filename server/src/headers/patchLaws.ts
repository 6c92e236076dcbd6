// The laws before and after a patch to a tree's headers: the patch is applied in memory to the
// tree's files (as `patch` would, with offset and fuzz), the helpers are derived from both
// copies, and each law that fails after but not before is *introduced*, each that fails before
// but not after is *fixed*. A change is attributed to the hunks that touch the definitions the
// law reads, or what they call.

import { checkAllLaws, lawUses, type Assignment, type Law, type LawResult, type Level, type Profile } from '../../../simulator/src';
import { DerivedSimulator } from '../../../simulator/src/bitvec/derivedSimulator';
import type { BvExpr, BvFunction, BvStatement } from '../../../simulator/src/bitvec/program';
import { applyHunksToFile } from '../inputs/applyHunks';
import { readInputDocument } from '../inputs/readInput';
import type { Hunk } from '../inputs/types';
import { buildTreeModel, treeModel, type TreeModel } from './deriveFromTree';
import { treeWithOverlay, type SourceTree } from './sourceTree';

export interface HunkRef {
  readonly file: string;
  /** 1-based, in the patch's order among this file's hunks. */
  readonly number: number;
  readonly header: string;
  /** The helpers whose definitions it touches. */
  readonly helpers: readonly string[];
  /** Where those definitions start (1-based), in the same order, on the side the hunk is read. */
  readonly definitions: readonly { readonly name: string; readonly file: string; readonly line: number }[];
  /** Where, in the patch's text (0-based), its first changed line inside those definitions is; else its @@ line. */
  readonly at: { readonly line: number; readonly character: number };
}

export interface LawChange {
  readonly law: Law;
  readonly level: Level;
  readonly change: 'introduced' | 'fixed';
  readonly counterexample: Assignment;
  /** Definitions the law reads, on the side where it fails. */
  readonly definitions: readonly { readonly name: string; readonly file: string; readonly line: number }[];
  readonly hunks: readonly HunkRef[];
}

export interface PatchLaws {
  readonly changes: readonly LawChange[];
  /** Laws failing on both sides. */
  readonly unchanged: readonly string[];
  /** Files of the patch that are not in the tree, or whose hunks did not apply. */
  readonly notes: readonly string[];
}

interface Extent {
  readonly name: string;
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** Where each function and macro of a model is written (1-based lines, inclusive). */
function extents(model: TreeModel, names: Iterable<string>): Extent[] {
  const out: Extent[] = [];
  for (const name of names) {
    const fn = model.declarations.functions.get(name);
    if (fn) {
      const last = fn.body[fn.body.length - 1] ?? fn.nameToken;
      out.push({ name, file: fn.nameToken.file, start: fn.nameToken.line, end: last.line });
      continue;
    }
    const macro = model.headers.macros.get(name);
    if (macro) out.push({ name, file: macro.file, start: macro.line, end: (macro.body[macro.body.length - 1]?.line ?? macro.line) });
  }
  return out;
}

/** A helper and every helper it calls, through the definitions of `model`. */
function reach(model: TreeModel, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visitExpr = (e: BvExpr): void => {
    switch (e.kind) {
      case 'call': visit(e.callee); e.args.forEach(visitExpr); break;
      case 'unary': visitExpr(e.operand); break;
      case 'binary': visitExpr(e.left); visitExpr(e.right); break;
      case 'ternary': visitExpr(e.condition); visitExpr(e.then); visitExpr(e.otherwise); break;
      case 'cast': case 'wrap': visitExpr(e.operand); break;
      case 'member': visitExpr(e.base); break;
      case 'assign': visitExpr(e.value); break;
      case 'comma': visitExpr(e.left); visitExpr(e.right); break;
      default: break;
    }
  };
  const visitStatement = (s: BvStatement): void => {
    if (s.kind === 'declare' && s.init) visitExpr(s.init);
    else if (s.kind === 'expr') visitExpr(s.expr);
    else if (s.kind === 'return' && s.value) visitExpr(s.value);
    else if (s.kind === 'if') {
      visitExpr(s.condition);
      s.then.forEach(visitStatement);
      s.otherwise.forEach(visitStatement);
    }
  };
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const fn: BvFunction | undefined = model.lookup(name);
    fn?.body.forEach(visitStatement);
  };
  roots.forEach(visit);
  return seen;
}

/** Where the definitions of `names` that `model` has start (files relative to the tree's root, lines 1-based). */
export function definitionsOf(model: TreeModel, names: readonly string[]): { name: string; file: string; line: number }[] {
  return names.flatMap((name) => {
    const fn = model.lookup(name);
    return fn ? [{ name, file: fn.at.file, line: fn.at.line }] : [];
  });
}

/** The laws proved once per model: checking every header of a tree reads them for each, and a hover on a definition reads them again. */
const proved = new WeakMap<TreeModel, { readonly sim: DerivedSimulator; readonly results: readonly LawResult[] }>();

export function provedOn(model: TreeModel): { readonly sim: DerivedSimulator; readonly results: readonly LawResult[] } {
  let done = proved.get(model);
  if (!done) {
    const sim = new DerivedSimulator(model);
    done = { sim, results: checkAllLaws(sim) };
    proved.set(model, done);
  }
  return done;
}

const failing = (results: readonly LawResult[]) => new Map(results.filter((r) => r.status === 'fails').map((r) => [`${r.law.id}@${r.level}`, r]));

export function lawsAcrossPatch(tree: SourceTree, profile: Profile, patchText: string): PatchLaws {
  const document = readInputDocument(patchText);
  const byPath = new Map<string, Hunk[]>();
  for (const hunk of document.hunks) {
    if (!hunk.path || !hunk.header) continue;
    byPath.set(hunk.path, [...(byPath.get(hunk.path) ?? []), hunk]);
  }
  const pre: Record<string, string> = {};
  const post: Record<string, string> = {};
  const notes: string[] = [];
  /** Per file: the lines each hunk changes, in the pre and in the post text (1-based). */
  const placed = new Map<string, { number: number; header: string; start: HunkRef['at']; pre: ChangedLine[]; post: ChangedLine[] }[]>();
  for (const [path, hunks] of byPath) {
    const text = tree.read(path);
    if (text === undefined) {
      notes.push(`${path} is not in the tree: not read`);
      continue;
    }
    const applied = applyHunksToFile(text, path, hunks);
    pre[path] = applied.preText;
    post[path] = applied.postText;
    placed.set(path, applied.placements.map((p, i) => {
      const h = hunks[p.hunkIndex] ?? hunks[i]!;
      const at = `@@ -${h.header!.oldStart},${h.header!.oldCount} +${h.header!.newStart},${h.header!.newCount} @@`;
      if (!p.applied) notes.push(`${path}: hunk ${i + 1} (${at}) did not apply: ${p.reason ?? 'no match'}`);
      return {
        number: i + 1,
        header: `${at}${h.functionContext ? ` ${h.functionContext.trim()}` : ''}`,
        start: h.range.start,
        ...changedLines(h, p.preLines?.start, p.postLines?.start),
      };
    }));
  }
  // the tree as it is when the patch applies forward (the usual case): its cached model
  const asInTree = Object.entries(pre).every(([path, text]) => tree.read(path) === text);
  const before = asInTree ? treeModel(tree, profile) : buildTreeModel(treeWithOverlay(tree, pre), profile);
  const after = buildTreeModel(treeWithOverlay(tree, post), profile);
  // the tree's own model is proved once, for every patch to it and the headers' diagnostics
  const failBefore = failing(provedOn(before).results);
  const failAfter = failing(checkAllLaws(new DerivedSimulator(after)));

  const change = (result: LawResult & { status: 'fails' }, kind: LawChange['change'], model: TreeModel, side: 'pre' | 'post'): LawChange => {
    const used = lawUses(result.law, result.level);
    const definitions = definitionsOf(model, used);
    const touched = extents(model, reach(model, used));
    const hunks: HunkRef[] = [];
    for (const [file, list] of placed) {
      for (const hunk of list) {
        const lines = hunk[side];
        const inside = (x: Extent, { line }: ChangedLine) => x.file === file && x.start <= line && line <= x.end;
        const hit = touched.filter((x) => lines.some((l) => inside(x, l)));
        // a line of the side's own (added after, removed before) inside a definition, else where one went
        const isIn = (l: ChangedLine) => touched.some((x) => inside(x, l));
        const first = lines.find((l) => l.own && isIn(l)) ?? lines.find(isIn);
        if (hit.length > 0) {
          hunks.push({ file, number: hunk.number, header: hunk.header, helpers: hit.map((x) => x.name), definitions: hit.map((x) => ({ name: x.name, file: x.file, line: x.start })), at: first?.at ?? hunk.start });
        }
      }
    }
    return { law: result.law, level: result.level, change: kind, counterexample: result.counterexample, definitions, hunks };
  };
  const changes: LawChange[] = [];
  for (const [key, result] of failAfter) if (!failBefore.has(key)) changes.push(change(result as LawResult & { status: 'fails' }, 'introduced', after, 'post'));
  for (const [key, result] of failBefore) if (!failAfter.has(key)) changes.push(change(result as LawResult & { status: 'fails' }, 'fixed', before, 'pre'));
  const unchanged = [...failAfter.keys()].filter((key) => failBefore.has(key));
  if (byPath.size === 0) notes.push('the patch has no hunks with @@ lines');
  return { changes, unchanged, notes };
}

/** A line of the file a hunk changes (1-based), and where the hunk's line for it is in the patch. */
interface ChangedLine {
  readonly line: number;
  readonly at: HunkRef['at'];
  /** The line is on this side (removed, on the pre side; added, on the post side), not only where one went. */
  readonly own: boolean;
}

/**
 * The lines a hunk changes, 1-based: on the pre side its removed lines (and where an addition
 * went), on the post side its added lines (and where a removal was). The placement's start is
 * where the hunk's first line went.
 */
function changedLines(hunk: Hunk, preStart: number | undefined, postStart: number | undefined): { pre: ChangedLine[]; post: ChangedLine[] } {
  const pre: ChangedLine[] = [];
  const post: ChangedLine[] = [];
  let a = (preStart ?? -1) + 1;
  let b = (postStart ?? -1) + 1;
  for (const line of hunk.lines) {
    const origin = line.origins[0];
    // the line's marker (+/-) is one column before its text
    const at = origin ? { line: origin.line, character: Math.max(0, origin.character - 1) } : hunk.range.start;
    if (line.kind === 'context') {
      a++;
      b++;
    } else if (line.kind === 'removed') {
      if (preStart !== undefined) pre.push({ line: a, at, own: true });
      if (postStart !== undefined) post.push({ line: b, at, own: false });
      a++;
    } else {
      if (postStart !== undefined) post.push({ line: b, at, own: true });
      if (preStart !== undefined) pre.push({ line: a, at, own: false });
      b++;
    }
  }
  return { pre, post };
}
