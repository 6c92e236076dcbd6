// The real-fix data file: facts about upstream kernel fixes (where each side's text can be
// had, which function changed, which rule should see the bug). No kernel text.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';

export const FIX_KINDS = ['uffd-wp', 'soft-dirty', 'dirty', 'cow', 'tlb', 'shadow-stack', 'migration', 'swap', 'numa', 'access-flags'] as const;
export type FixKind = (typeof FIX_KINDS)[number];
export const FIX_ARCHES = ['x86_64', 'arm64', 'generic'] as const;
export type FixArch = (typeof FIX_ARCHES)[number];

/** A public snapshot of a release tree (a fork pinned at one release): `<prefix><path>` at `ref`. */
export interface TreeSource {
  readonly repository: string;
  /** The Makefile version of that snapshot, e.g. 6.1.20 or 6.0-rc1. */
  readonly release: string;
  readonly ref?: string;
  /** Directory the kernel sits in inside that repository, e.g. `linux-6.2.12/`. */
  readonly prefix?: string;
}

export interface FixSide {
  /** The commit in `repository` (a full kernel history): `<fix>^` for the buggy side, `<fix>` for the fixed one. */
  readonly commit: string;
  /** Release trees that carry this side's text, tried in order after a kernel clone. */
  readonly trees: readonly TreeSource[];
}

export interface RealFix {
  readonly id: string;
  readonly kind: FixKind;
  readonly subject: string;
  /** The upstream fix commit (12 to 40 hex digits). */
  readonly commit: string;
  /** The first mainline release (x.y) that has the fix. */
  readonly release: string;
  readonly repository: string;
  readonly path: string;
  readonly function: string;
  readonly arch: FixArch;
  /** Rule ids that describe the bug; the buggy side counts as caught when any of them is reported. */
  readonly expected: readonly string[];
  readonly note?: string;
  /**
   * The id of a later fix in this file that removed a bug the fixed side still has, of an
   * expected rule: the fixed side is then rightly flagged (shown, still counted).
   */
  readonly laterFix?: string;
  readonly buggy: FixSide;
  readonly fixed: FixSide;
}

export interface FixData {
  readonly fixes: readonly RealFix[];
}

export type SideName = 'buggy' | 'fixed';
export const SIDES: readonly SideName[] = ['buggy', 'fixed'];

export function dataFilePath(): string {
  return join(repoRoot(), 'test', 'realFixes', 'fixes.json');
}

export function readFixData(path = dataFilePath()): FixData {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as FixData;
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

const HEX = /^[0-9a-f]{12,40}$/;
const RELEASE = /^\d+\.\d+$/;
const TREE_RELEASE = /^\d+\.\d+(\.\d+)?(-rc\d+)?$/;
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const C_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** Everything wrong with the data, one message per fact; empty when it is well-formed. */
export function validateFixData(raw: unknown, ruleIds: ReadonlySet<string>): string[] {
  if (!isRecord(raw) || !Array.isArray(raw.fixes)) return ['the data needs a "fixes" array'];
  const problems: string[] = [];
  const seen = new Set<string>();
  raw.fixes.forEach((fix: unknown, index: number) => {
    const where = isRecord(fix) && nonEmptyString(fix.id) ? fix.id : `fixes[${index}]`;
    if (!isRecord(fix)) {
      problems.push(`${where}: not an object`);
      return;
    }
    const say = (message: string) => problems.push(`${where}: ${message}`);
    if (!nonEmptyString(fix.id) || !ID.test(fix.id)) say('id must be lowercase words joined by "-"');
    else if (seen.has(fix.id)) say('id is not unique');
    else seen.add(fix.id);
    if (!FIX_KINDS.includes(fix.kind as FixKind)) say(`kind must be one of ${FIX_KINDS.join(', ')}`);
    if (!nonEmptyString(fix.subject)) say('subject is missing');
    if (typeof fix.commit !== 'string' || !HEX.test(fix.commit)) say('commit must be 12 to 40 lowercase hex digits');
    if (typeof fix.release !== 'string' || !RELEASE.test(fix.release)) say('release must be a mainline x.y');
    if (typeof fix.repository !== 'string' || !REPOSITORY.test(fix.repository)) say('repository must be owner/name');
    if (!nonEmptyString(fix.path) || fix.path.startsWith('/') || fix.path.includes('..')) say('path must be relative to the kernel tree');
    if (typeof fix.function !== 'string' || !C_NAME.test(fix.function)) say('function must be a C identifier');
    if (!FIX_ARCHES.includes(fix.arch as FixArch)) say(`arch must be one of ${FIX_ARCHES.join(', ')}`);
    if (!Array.isArray(fix.expected) || fix.expected.length === 0) say('expected must list at least one rule id');
    else for (const rule of fix.expected) if (typeof rule !== 'string' || !ruleIds.has(rule)) say(`expected rule ${String(rule)} does not exist`);
    if (fix.note !== undefined && !nonEmptyString(fix.note)) say('note, when present, must be text');
    for (const side of SIDES) problems.push(...validateSide(fix[side], `${where}.${side}`, side, typeof fix.commit === 'string' ? fix.commit : ''));
  });
  const ids = new Set(raw.fixes.flatMap((fix: unknown) => (isRecord(fix) && typeof fix.id === 'string' ? [fix.id] : [])));
  raw.fixes.forEach((fix: unknown) => {
    if (!isRecord(fix) || fix.laterFix === undefined) return;
    if (typeof fix.laterFix !== 'string' || !ids.has(fix.laterFix) || fix.laterFix === fix.id) problems.push(`${String(fix.id)}: laterFix must be the id of another fix in the file`);
  });
  return problems;
}

function validateSide(side: unknown, where: string, name: SideName, fixCommit: string): string[] {
  if (!isRecord(side)) return [`${where}: missing`];
  const problems: string[] = [];
  const wantedCommit = name === 'buggy' ? `${fixCommit}^` : fixCommit;
  if (side.commit !== wantedCommit) problems.push(`${where}: commit must be ${name === 'buggy' ? 'the fix commit followed by ^' : 'the fix commit'}`);
  if (!Array.isArray(side.trees)) return [...problems, `${where}: trees must be a list (it may be empty)`];
  side.trees.forEach((tree: unknown, i: number) => {
    const at = `${where}.trees[${i}]`;
    if (!isRecord(tree)) return void problems.push(`${at}: not an object`);
    if (typeof tree.repository !== 'string' || !REPOSITORY.test(tree.repository)) problems.push(`${at}: repository must be owner/name`);
    if (typeof tree.release !== 'string' || !TREE_RELEASE.test(tree.release)) problems.push(`${at}: release must look like 6.1.20 or 6.0-rc1`);
    if (tree.ref !== undefined && !nonEmptyString(tree.ref)) problems.push(`${at}: ref, when present, must be text`);
    if (tree.prefix !== undefined && (typeof tree.prefix !== 'string' || !tree.prefix.endsWith('/') || tree.prefix.includes('..'))) {
      problems.push(`${at}: prefix must be a relative directory ending in /`);
    }
  });
  return problems;
}

/** x.y of a tree release (6.1.20 → 6.1, 6.0-rc1 → 6.0). */
export function mainlineOf(release: string): string {
  const match = /^(\d+)\.(\d+)/.exec(release);
  if (!match) throw new Error(`not a release: ${release}`);
  return `${match[1]}.${match[2]}`;
}
