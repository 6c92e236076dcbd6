// `mmlens check` on page-table headers: a header of a kernel tree reports the laws its own
// definitions break, at the definition; a patch touching the tree's headers reports the laws it
// introduces and fixes, at the hunk (headers/headerLaws.ts). Both as findings like the engine's,
// added to the document's analysis. A header patch with no tree to apply it to gets a note.

import { relative, resolve, sep } from 'node:path';
import { formatVersion, parseProfile, ProfileError, type Profile } from '../../../simulator/src';
import type { DocumentAnalysis, DocumentFinding, LawInfo } from './analyzeDocument';
import { fileLawFindings, patchLawFindings, type HeaderLawFinding } from '../headers/headerLaws';
import { TreeModelError, treeModel } from '../headers/deriveFromTree';
import { treeOnDisk } from '../headers/sourceTree';
import { findKernelTree, type KernelTree } from '../inputs/kernelTree';
import { readInputDocument } from '../inputs/readInput';
import type { InputProblem } from '../inputs/types';
import type { Range } from '../text/positions';

/** The headers a patch may change the model through: any header of an architecture or of include/. */
const TREE_HEADER = /^(arch\/[^/]+\/include\/|include\/).*\.h$/;
/** Those whose change surely matters to page tables (a note when there is no tree to read them in). */
const PAGE_TABLE_HEADER = /^(arch\/[^/]+\/include\/asm\/pgtable[^/]*\.h|include\/linux\/(pgtable|swapops|leafops|mm)\.h|include\/asm-generic\/pgtable[^/]*\.h)$/;
/** arch/ directories whose helpers are derived, and their profile architecture. */
const ARCH_DIRS: Readonly<Record<string, Profile['arch']>> = { x86: 'x86_64', arm64: 'arm64' };

const AT_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export interface HeaderCheckOptions {
  /** The document's path on disk. */
  readonly diskPath: string;
  /** Where the command runs (a patch outside a tree is applied to the tree it runs in). */
  readonly cwd: string;
  /** `--tree`. */
  readonly tree?: KernelTree;
  readonly rules?: ReadonlySet<string>;
}

/**
 * The profile the headers are read for: the document's, on the architecture whose arch/
 * directory the files are in when that is another one (a patch to arch/arm64 is read as arm64,
 * at the same version).
 */
export function headerProfile(profileName: string, paths: readonly string[]): Profile | string {
  let profile: Profile;
  try {
    profile = parseProfile(profileName);
  } catch (error) {
    if (error instanceof ProfileError) return error.message;
    throw error;
  }
  const dirs = [...new Set(paths.map((p) => /^arch\/([^/]+)\//.exec(p)?.[1]).filter((d): d is string => d !== undefined))];
  const archs = [...new Set(dirs.map((d) => ARCH_DIRS[d]).filter((a) => a !== undefined))];
  if (dirs.length > 0 && archs.length === 0) return `helpers are derived from x86 and arm64 headers only, not from arch/${dirs.join(', arch/')}`;
  const arch = archs.length === 1 ? archs[0]! : profile.arch === 'generic' ? 'x86_64' : profile.arch;
  return arch === profile.arch ? profile : parseProfile(`${arch}@${formatVersion(profile.version)}`);
}

function lawInfo(f: HeaderLawFinding, profile: Profile): LawInfo {
  return {
    id: f.lawId,
    profile: profile.name,
    level: f.level,
    levels: f.levels,
    text: f.lawText,
    semantics: f.semantics,
    definitions: f.definitions,
    counterexample: Object.fromEntries(f.counterexample),
    ...(f.hunk ? { hunk: { file: f.hunk.file, number: f.hunk.number, header: f.hunk.header } } : {}),
  };
}

function lineRange(text: string, line: number, from: number, to?: number): Range {
  const length = (text.split('\n')[line] ?? '').replace(/\r$/, '').length;
  return { start: { line, character: Math.min(from, length) }, end: { line, character: to === undefined ? length : Math.min(to, length) } };
}

function asFinding(f: HeaderLawFinding, range: Range, side: DocumentFinding['side'], related: DocumentFinding['related'], profile: Profile): DocumentFinding {
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    range,
    function: f.subject.name,
    path: [],
    witness: Object.fromEntries(f.counterexample),
    related,
    assumptions: [`profile ${profile.name}`],
    paths: 1,
    trace: [],
    side,
    ...(f.change ? { change: f.change } : {}),
    law: lawInfo(f, profile),
  };
}

/** The definitions' lines in a header document, for a finding at `f.subject`. */
function headerFinding(f: HeaderLawFinding, text: string, file: string, profile: Profile): DocumentFinding {
  const lines = text.split('\n');
  const at = (d: { name: string; line: number }) => {
    const column = Math.max(0, (lines[d.line - 1] ?? '').indexOf(d.name));
    return lineRange(text, d.line - 1, column, column + d.name.length);
  };
  const related = f.definitions.filter((d) => d.file === file && d.name !== f.subject.name).map((d) => ({ range: at(d), message: `${d.name}: read by the law` }));
  return asFinding(f, at(f.subject), 'source', related, profile);
}

function patchFinding(f: HeaderLawFinding, text: string, profile: Profile): DocumentFinding {
  const at = f.hunk?.at;
  const range = at ? lineRange(text, at.line, at.character) : AT_START;
  return asFinding(f, range, f.change === 'fixed' ? 'pre' : 'post', [], profile);
}

interface HeaderLaws {
  readonly findings: DocumentFinding[];
  readonly problems: InputProblem[];
}

const note = (severity: InputProblem['severity'], code: string, message: string): InputProblem => ({ severity, code, message, range: AT_START });

function insideTree(path: string, tree: KernelTree | undefined): KernelTree | undefined {
  return tree && !relative(tree.root, path).startsWith('..') ? tree : undefined;
}

/**
 * The header at `diskPath` when it is one of a kernel tree's that the profile's model reads
 * (`tree`, or the tree it is in): the tree, its path there, and the profile it is read for.
 */
export function treeHeader(diskPath: string, profileName: string, tree?: KernelTree): { tree: KernelTree; file: string; profile: Profile } | undefined {
  const root = insideTree(diskPath, tree) ?? findKernelTree(diskPath);
  if (!root) return undefined;
  const file = relative(root.root, diskPath).split(sep).join('/');
  if (!TREE_HEADER.test(file)) return undefined;
  const profile = headerProfile(profileName, [file]);
  if (typeof profile === 'string') return undefined;
  // a header the profile does not read defines none of its helpers
  if (!treeModel(treeOnDisk(root.root), profile).headers.files.includes(file)) return undefined;
  return { tree: root, file, profile };
}

/** A header of a kernel tree: the laws its definitions break. */
function headerFileLaws(text: string, profileName: string, options: HeaderCheckOptions): HeaderLaws {
  const header = treeHeader(options.diskPath, profileName, options.tree);
  if (!header) return { findings: [], problems: [] };
  const { tree, file, profile } = header;
  const model = treeModel(treeOnDisk(tree.root), profile);
  return { findings: fileLawFindings(model, file).map((f) => headerFinding(f, text, file, profile)), problems: [] };
}

/** The headers of a tree a patch changes (`arch/<arch>/include/…`, `include/…`). */
export function patchedHeaders(text: string): string[] {
  return [...new Set(readInputDocument(text).hunks.flatMap((h) => (h.path && h.header && TREE_HEADER.test(h.path) ? [h.path] : [])))];
}

/**
 * The profile a header patch is judged on — by `check` and by `laws --patch` alike: the
 * document's profile (profileName), on the architecture of the arch/ directory it patches.
 */
export function headerPatchProfile(text: string, profileName: string): Profile | string {
  return headerProfile(profileName, patchedHeaders(text));
}

/** A patch: the laws it introduces and fixes in the headers of the tree it applies to. */
function headerPatchLaws(text: string, profileName: string, options: HeaderCheckOptions): HeaderLaws {
  const paths = patchedHeaders(text);
  if (paths.length === 0) return { findings: [], problems: [] };
  const tree = options.tree ?? findKernelTree(options.diskPath) ?? findKernelTree(options.cwd);
  if (!tree) {
    const pageTables = paths.filter((p) => PAGE_TABLE_HEADER.test(p));
    if (pageTables.length === 0) return { findings: [], problems: [] };
    return { findings: [], problems: [note('warning', 'header-patch-no-tree', `the patch changes page-table headers (${pageTables.join(', ')}): the laws it breaks or fixes are judged on a kernel tree to apply it to; none here — pass --tree DIR or run inside a tree`)] };
  }
  const profile = headerPatchProfile(text, profileName);
  if (typeof profile === 'string') return { findings: [], problems: [note('info', 'header-patch-not-derived', `header laws not checked: ${profile}`)] };
  const model = treeModel(treeOnDisk(tree.root), profile);
  if (!paths.some((p) => model.headers.files.includes(p))) return { findings: [], problems: [] };
  const result = patchLawFindings(treeOnDisk(tree.root), profile, text);
  return {
    findings: result.findings.map((f) => patchFinding(f, text, profile)),
    problems: result.notes.map((n) => note('warning', 'header-patch', `header laws (${tree.root}, ${profile.name}): ${n}`)),
  };
}

const PATCH_KINDS = new Set<DocumentAnalysis['kind']>(['unified-diff', 'format-patch', 'mbox', 'quoted-patch']);

/** `analysis` with the laws a header (or a header patch) breaks and fixes added as findings. */
export function withHeaderLaws(analysis: DocumentAnalysis, text: string, options: HeaderCheckOptions): DocumentAnalysis {
  const isHeader = analysis.kind === 'c-source' && options.diskPath.endsWith('.h');
  if (!isHeader && !PATCH_KINDS.has(analysis.kind)) return analysis;
  const profileName = analysis.profile?.profile ?? 'x86_64';
  let laws: HeaderLaws;
  try {
    laws = isHeader ? headerFileLaws(text, profileName, options) : headerPatchLaws(text, profileName, resolveOptions(options));
  } catch (error) {
    if (!(error instanceof TreeModelError)) throw error;
    laws = { findings: [], problems: [note('info', 'header-laws', `header laws not checked: ${error.message}`)] };
  }
  const findings = options.rules ? laws.findings.filter((f) => options.rules!.has(f.rule)) : laws.findings;
  if (findings.length === 0 && laws.problems.length === 0) return analysis;
  return { ...analysis, findings: [...analysis.findings, ...findings], problems: [...analysis.problems, ...laws.problems] };
}

function resolveOptions(options: HeaderCheckOptions): HeaderCheckOptions {
  return { ...options, diskPath: resolve(options.cwd, options.diskPath) };
}
