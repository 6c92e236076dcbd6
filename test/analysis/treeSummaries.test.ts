// The whole kernel tree as context, one piece at a time: which definition a call means (C linkage
// and the kernel's override convention), at which lines a definition from another file is
// lowered, and the tree's analyses that a checked file of the tree takes instead of its own.
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../server/src/analysis/analyzeDocument';
import { calledFromElsewhere, callSitesOf } from '../../server/src/analysis/callSites';
import { FunctionCache } from '../../server/src/analysis/functionCache';
import { AnalysisElsewhere, SummaryStore, TreeSummaries } from '../../server/src/analysis/treeSummaries';
import { analysisClaims } from '../../server/src/cli/analysisClaims';
import { kernelTreeFiles, WorkspaceFunctions } from '../../server/src/analysis/workspaceFunctions';
import { lowerText } from '../../server/src/lowering';
import { fakeKernelTree } from '../helpers/fakeKernelTree';
import { testParser } from '../helpers/parser';
import { lineOf, mmFile, SET_ENTRY, setEntryCaller } from '../helpers/treeSources';

/** A definition laid out in kernel style; what it does does not matter to resolution. */
const helper = (name: string, storage = '') => `${storage}pte_t ${name}(pte_t pte)\n{\n\treturn pte_mkdirty(pte);\n}\n`;

/**
 * Each pick_* is defined in every place from its own down to the weakest: pick_arch in all five,
 * pick_c only in a .c file. twice_* are defined twice at the same rank, hidden is static.
 */
const RESOLUTION_TREE = {
  'arch/x86/include/asm/pgtable.h': helper('pick_arch', 'static inline '),
  'mm/internal.h': ['pick_arch', 'pick_beside'].map((name) => helper(name, 'static inline ')).join('\n'),
  'include/linux/pgtable.h': ['pick_arch', 'pick_beside', 'pick_linux', 'twice_linux'].map((name) => helper(name, 'static inline ')).join('\n'),
  'include/linux/mm.h': helper('twice_linux', 'static inline '),
  'include/asm-generic/pgtable.h': ['pick_arch', 'pick_beside', 'pick_linux', 'pick_generic'].map((name) => helper(name, 'static inline ')).join('\n'),
  'mm/other.c': `// SPDX-License-Identifier: GPL-2.0\n#include "internal.h"\n\n${['pick_arch', 'pick_beside', 'pick_linux', 'pick_generic', 'pick_c', 'twice_c'].map((name) => helper(name)).join('\n')}\n${helper('hidden', 'static ')}`,
  'mm/more.c': helper('twice_c'),
  'mm/caller.c': helper('pick_arch', 'static '),
};

async function resolutionIndex(arch = 'x86_64') {
  const root = fakeKernelTree({ version: '6.19', files: RESOLUTION_TREE });
  return new WorkspaceFunctions(await testParser(), () => kernelTreeFiles(root, arch, root));
}

test('a call means the caller\'s own static definition, else the best-ranked one: arch headers, headers beside the code, include/linux, asm-generic, other .c files', async () => {
  const index = await resolutionIndex();
  const origin = (name: string, from: string) => index.lower(name, from)?.origin;
  assert.equal(origin('pick_arch', 'mm/caller.c'), 'mm/caller.c');
  assert.equal(origin('pick_arch', 'mm/more.c'), 'arch/x86/include/asm/pgtable.h');
  assert.equal(origin('pick_beside', 'mm/more.c'), 'mm/internal.h');
  assert.equal(origin('pick_linux', 'mm/more.c'), 'include/linux/pgtable.h');
  assert.equal(origin('pick_generic', 'mm/more.c'), 'include/asm-generic/pgtable.h');
  assert.equal(origin('pick_c', 'mm/more.c'), 'mm/other.c');
  // a static function is its own file's
  assert.equal(origin('hidden', 'mm/other.c'), 'mm/other.c');
  assert.equal(origin('hidden', 'mm/more.c'), undefined);
});

test('two definitions of the same rank: which one a call means is unknown', async () => {
  const index = await resolutionIndex();
  assert.equal(index.lower('twice_c', 'mm/caller.c'), undefined);
  assert.equal(index.lower('twice_linux', 'mm/caller.c'), undefined);
});

test('only the profile\'s architecture overrides: on arm64 the x86 headers are not read', async () => {
  const index = await resolutionIndex('arm64');
  assert.equal(index.lower('pick_arch', 'mm/more.c')?.origin, 'mm/internal.h');
});

test('a definition from another file is lowered at its own lines', async () => {
  const index = await resolutionIndex();
  const fn = index.lower('pick_c', 'mm/more.c')!;
  const text = RESOLUTION_TREE['mm/other.c'];
  assert.equal(fn.range.start.line, lineOf(text, 'pte_t pick_c('));
  assert.equal(fn.range.end.line, fn.range.start.line + 3);
});

test('a file\'s own static definition wins for the functions it calls too: another file\'s function of that name that touches no entry does not hide it', async () => {
  const parser = await testParser();
  const root = fakeKernelTree({
    version: '6.19',
    files: {
      'mm/a.c': mmFile(
        'static void touch(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)\n{\n\tset_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(ptep_get(ptep), vma));\n}\n',
        'void outer(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)\n{\n\ttouch(vma, addr, ptep);\n}\n',
      ),
      'mm/b.c': mmFile('void touch(int unused)\n{\n}\n'),
    },
  });
  const workspaceFunctions = new WorkspaceFunctions(parser, () => kernelTreeFiles(root, 'x86_64', root));
  const caller = mmFile('void caller(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)\n{\n\touter(vma, addr, ptep);\n}\n');
  const { findings } = analyzeDocument(parser, caller, { path: 'mm/c.c', profile: 'x86_64@6.19', workspaceFunctions, rules: new Set(['write-without-vm-write']) });
  assert.deepEqual(
    findings.map((f) => [f.function, f.via?.map((step) => step.callee)]),
    [['caller', ['outer', 'touch']]],
  );
});

/**
 * mm/a.c: set_entry is called from mm/b.c (judged there) and from restore_all in its own file;
 * protect_one and dirty_one are roots, fill_range a root that reaches a cycle of calls (fill_one,
 * fill_next); mm/b.c calls set_entry once safely, once not.
 */
const REUSE_TREE = {
  'mm/a.c': mmFile(
    SET_ENTRY,
    `static void restore_all(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, bool writable)
{
	set_entry(vma, addr, ptep, writable);
	set_entry(vma, addr + PAGE_SIZE, ptep + 1, writable);
}

void restore_range(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	restore_all(vma, addr, ptep, true);
}

void protect_one(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);

	if (!ptep)
		return;
	ptep_set_wrprotect(vma->vm_mm, addr, ptep);
	pte_unmap_unlock(ptep, ptl);
	flush_tlb_range(vma, addr, addr + PAGE_SIZE);
}

void dirty_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	set_pte_at(vma->vm_mm, addr, ptep, entry_dirty(ptep_get(ptep)));
}

void fill_range(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	fill_next(vma, addr, ptep);
}

void fill_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, bool writable)
{
	pte_t entry = ptep_get(ptep);

	if (writable)
		entry = pte_mkwrite(entry, vma);
	set_pte_at(vma->vm_mm, addr, ptep, entry);
	if (addr < TASK_SIZE)
		fill_next(vma, addr + PAGE_SIZE, ptep + 1);
}

void fill_next(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	fill_one(vma, addr, ptep, true);
}
`,
  ),
  'mm/internal.h': helper('entry_dirty', 'static inline '),
  'mm/b.c': mmFile(setEntryCaller('restore_entry', 'vma->vm_flags & VM_WRITE'), setEntryCaller('force_entry', 'true')),
};

/**
 * The tree's checked files analysed in order as `mmlens check` does (analyzeForCheck), with the
 * tree's analyses reused (`checkedFiles`) or each file analysed on its own.
 */
async function checkTree(files: Record<string, string>, reuse: boolean, lookups: Array<string | undefined> = []) {
  const parser = await testParser();
  const root = fakeKernelTree({ version: '6.19', files });
  const checked = Object.keys(files).filter((path) => path.endsWith('.c'));
  const callSites = callSitesOf(checked.map((path) => ({ path, text: files[path]! })));
  const workspaceFunctions = new WorkspaceFunctions(parser, () => kernelTreeFiles(root, 'x86_64', root));
  const lower = workspaceFunctions.lower.bind(workspaceFunctions);
  workspaceFunctions.lower = (name, from) => (lookups.push(from), lower(name, from));
  const cache = new FunctionCache();
  return checked.map((path) =>
    analyzeDocument(parser, files[path]!, {
      // as the command line names a file, absolute, where the index names it from the tree's root
      path: join(root, path),
      profile: 'x86_64@6.19',
      detail: 'findings',
      cache,
      workspaceFunctions,
      contextKey: checked.join('\n'),
      calledElsewhere: (name) => calledFromElsewhere(callSites, name, path),
      placeable: (file) => file === undefined || checked.includes(file),
      ...(reuse ? { checkedFiles: (file: string) => (checked.includes(relative(root, file)) ? relative(root, file) : undefined) } : {}),
    }).findings,
  );
}

const where = (findings: readonly { rule: string; file?: string; function: string; range: { start: { line: number } } }[]) => findings.map((f) => `${f.rule} ${f.file ?? '-'}:${f.range.start.line} ${f.function}`).sort();

test('a checked file of the tree that takes the tree\'s analyses reports exactly what it reports analysed on its own', async () => {
  const reused = await checkTree(REUSE_TREE, true);
  const alone = await checkTree(REUSE_TREE, false);
  assert.deepEqual(reused, alone);
  // and there is something to compare: a root's own finding, a hazard in set_entry judged at a call in each file
  const [a, b] = reused.map(where);
  const A = REUSE_TREE['mm/a.c'];
  assert.ok(a!.includes(`stale-tlb -:${lineOf(A, 'pte_unmap_unlock')} protect_one`), a!.join('\n'));
  assert.ok(a!.includes(`write-without-vm-write -:${lineOf(A, 'set_pte_at(vma->vm_mm, addr, ptep, pte)')} set_entry`), a!.join('\n'));
  assert.ok(a!.includes(`write-without-vm-write -:${lineOf(A, 'ptep, entry);')} fill_one`), a!.join('\n'));
  assert.ok(b!.includes(`write-without-vm-write mm/a.c:${lineOf(A, 'set_pte_at(vma->vm_mm, addr, ptep, pte)')} set_entry`), b!.join('\n'));
});

test('a checked file named otherwise than the index names it still takes the tree\'s analyses: the definitions are looked up under the index\'s name', async () => {
  const lookups: Array<string | undefined> = [];
  await checkTree(REUSE_TREE, true, lookups);
  assert.ok(lookups.includes('mm/a.c'), lookups.join('\n'));
  assert.ok(!lookups.some((from) => from !== undefined && isAbsolute(from)), lookups.join('\n'));
});

test('the tree\'s analysis stands for a document\'s function only when it is the same definition', async () => {
  const parser = await testParser();
  const root = fakeKernelTree({ version: '6.19', files: REUSE_TREE });
  const definitions = new WorkspaceFunctions(parser, () => kernelTreeFiles(root, 'x86_64', root));
  const tree = new TreeSummaries(definitions, { profile: 'x86_64@6.19' }, undefined, () => false, { files: (file) => file === 'mm/a.c', key: '' });
  const document = (text: string) => new Map(lowerText(parser, text).functions.map((fn) => [fn.name, fn.contentHash]));
  const rootAnalysis = (text: string, name: string) => {
    const own = document(text);
    return tree.rootAnalysis(name, 'mm/a.c', own.get(name)!, (callee) => own.get(callee));
  };
  const text = REUSE_TREE['mm/a.c'];
  assert.ok(rootAnalysis(text, 'restore_all'));
  // an edit the tree has not seen
  assert.equal(rootAnalysis(text.replace('addr + PAGE_SIZE', 'addr + 2 * PAGE_SIZE'), 'restore_all'), undefined);
  // the same text, but the document's own set_entry is not the one the tree's restore_all calls
  assert.equal(rootAnalysis(text.replace('pte = pte_mkwrite(pte, vma);', 'pte = pte_mkdirty(pte);'), 'restore_all'), undefined);
  // a root that reaches a cycle: the tree leaves the calls within it unknown, the document does not
  assert.equal(rootAnalysis(text, 'fill_range'), undefined);
  // the document defines entry_dirty itself, where the tree's dirty_one calls mm/internal.h's
  assert.ok(rootAnalysis(text, 'dirty_one'));
  assert.equal(rootAnalysis(`${text}\n${helper('entry_dirty', 'static ')}`, 'dirty_one'), undefined);
});

test('an edit to one definition changes its own summary key, and its callers\' when its summary changes, no other', async () => {
  const parser = await testParser();
  const copyDirty = 'void copy_dirty(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)\n{\n\tset_pte_at(vma->vm_mm, addr, ptep, pte_mkdirty(ptep_get(ptep)));\n}\n';
  const keys = (setEntry: string) => {
    const root = fakeKernelTree({ version: '6.19', files: { 'mm/a.c': mmFile(setEntry), 'mm/b.c': mmFile(setEntryCaller('restore_entry', 'true')), 'mm/d.c': mmFile(copyDirty) } });
    const tree = new TreeSummaries(new WorkspaceFunctions(parser, () => kernelTreeFiles(root, 'x86_64', root)), { profile: 'x86_64@6.19' });
    return Object.fromEntries(['set_entry', 'restore_entry', 'copy_dirty'].map((name) => [name, tree.keyOf(name)]));
  };
  const before = keys(SET_ENTRY);
  assert.ok(Object.values(before).every((key) => key !== undefined), JSON.stringify(before));
  assert.deepEqual(keys(SET_ENTRY), before);
  const after = keys(SET_ENTRY.replace('pte_mkwrite(pte, vma)', 'pte_mkdirty(pte)'));
  assert.notEqual(after['set_entry'], before['set_entry']);
  assert.notEqual(after['restore_entry'], before['restore_entry']);
  assert.equal(after['copy_dirty'], before['copy_dirty']);
  // an edit its summary does not see: set_entry is summarised again, its callers are not
  const spaced = keys(SET_ENTRY.replace('pte = pte_mkwrite(pte, vma);', 'pte = pte_mkwrite(pte, vma) ;'));
  assert.notEqual(spaced['set_entry'], before['set_entry']);
  assert.equal(spaced['restore_entry'], before['restore_entry']);
});

test('preparing a unit\'s callees gives way where another worker is analysing one of them, instead of waiting for it', async () => {
  const parser = await testParser();
  const root = fakeKernelTree({ version: '6.19', files: { 'mm/a.c': mmFile(SET_ENTRY), 'mm/b.c': mmFile(setEntryCaller('restore_entry', 'true')) } });
  const definitions = () => new WorkspaceFunctions(parser, () => kernelTreeFiles(root, 'x86_64', root));
  const key = new TreeSummaries(definitions(), { profile: 'x86_64@6.19' }).keyOf('set_entry')!;
  const claimsDirectory = join(mkdtempSync(join(tmpdir(), 'mmlens-claims-')), 'claims');
  assert.equal(analysisClaims(claimsDirectory).claim(key), true);
  const store = new SummaryStore({ read: () => undefined, write: () => {}, claims: analysisClaims(claimsDirectory) });
  const tree = new TreeSummaries(definitions(), { profile: 'x86_64@6.19' }, store);
  assert.throws(() => tree.prepare(['restore_entry'], undefined), AnalysisElsewhere);
  // once the other worker is done, preparing summarises it here
  analysisClaims(claimsDirectory).release(key);
  tree.prepare(['restore_entry'], undefined);
  assert.equal(tree.counts.analysed, 2);
});
