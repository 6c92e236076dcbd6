// Functions from other files of the workspace: found by their kernel-style layout, lowered when
// a call needs them, summarised, and their summaries applied at the call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDocument } from '../../server/src/analysis/analyzeDocument';
import { FunctionCache } from '../../server/src/analysis/functionCache';
import { definitionsIn, directoryFiles, indexedPath, WorkspaceFunctions, type SourceFile } from '../../server/src/analysis/workspaceFunctions';
import { testParser } from '../helpers/parser';

const helpers = `// SPDX-License-Identifier: GPL-2.0
#include <linux/mm.h>

static const struct ops demo_ops =
{
	.name = "demo",
};

static inline pte_t
make_writable(struct vm_area_struct *vma, pte_t pte)
{
	return pte_mkwrite(pte_mkdirty(pte), vma);
}

bool demo_prototype(pte_t pte);

static pte_t keep_protected(struct vm_area_struct *vma,
			    pte_t pte)
{
	if (vma->vm_flags & VM_WRITE)
		return pte_mkwrite(pte, vma);
	return pte;
}
`;

const caller = `#include <linux/mm.h>

static void restore(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pte_t pte)
{
	pte = make_writable(vma, pte);
	set_pte_at(vma->vm_mm, addr, ptep, pte);
}

static void restore_checked(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pte_t pte)
{
	pte = keep_protected(vma, pte);
	set_pte_at(vma->vm_mm, addr, ptep, pte);
}
`;

test('kernel-style definitions are found by their layout: headers over one or two lines, no initializers or prototypes', () => {
  const names = definitionsIn(helpers).map((d) => d.name);
  assert.deepEqual(names, ['make_writable', 'keep_protected']);
  const [first] = definitionsIn(helpers);
  assert.match(helpers.slice(first!.start, first!.end), /^static inline pte_t\nmake_writable[\s\S]*\n}$/);
});

test('a blank line between a header and its body still makes a definition', () => {
  const spaced = 'static int free_range(pmd_t *pmd, unsigned long addr,\n\t\t\tunsigned long end)\n\n{\n\treturn 0;\n}\n';
  assert.deepEqual(definitionsIn(spaced).map((d) => d.name), ['free_range']);
});

test('a call to a function of another file applies its summary: the entry it returns is what the caller installs', async () => {
  const parser = await testParser();
  const files: SourceFile[] = [{ path: 'mm/helpers.h', text: helpers }];
  const workspaceFunctions = new WorkspaceFunctions(parser, () => files);
  const analysis = analyzeDocument(parser, caller, { path: 'mm/caller.c', workspaceFunctions });
  const write = analysis.findings.filter((f) => f.rule === 'write-without-vm-write');
  assert.deepEqual(write.map((f) => f.function), ['restore']);
  const [finding] = write;
  assert.equal(finding!.range.start.line, 5); // set_pte_at: the install happens in the caller
  const call = finding!.trace.find((e) => e.detail.startsWith('make_writable('));
  assert.ok(call, finding!.trace.map((e) => e.detail).join('\n'));
  assert.equal(call.range.start.line, 4); // the call to make_writable
  // without the other file the call is unknown, and nothing is found
  const alone = analyzeDocument(parser, caller, { path: 'mm/caller.c' });
  assert.deepEqual(alone.findings.filter((f) => f.rule === 'write-without-vm-write'), []);
});

test('a function defined in two files is not summarised: which one a call means is unknown', async () => {
  const parser = await testParser();
  const files: SourceFile[] = [
    { path: 'a.c', text: helpers },
    { path: 'b.c', text: helpers },
  ];
  const analysis = analyzeDocument(parser, caller, { path: 'caller.c', workspaceFunctions: new WorkspaceFunctions(parser, () => files) });
  assert.deepEqual(analysis.findings.filter((f) => f.rule === 'write-without-vm-write'), []);
  assert.ok(analysis.functions.find((f) => f.name === 'restore')!.notModelled.some((n) => n.startsWith('make_writable')));
});

test("the language server's cached analysis applies them too, and analyses again when the other file changes", async () => {
  const parser = await testParser();
  const cache = new FunctionCache();
  let text = helpers;
  const workspace = () => new WorkspaceFunctions(parser, () => [{ path: 'mm/helpers.h', text }]);
  const rulesIn = (options: { workspaceFunctions: WorkspaceFunctions }) =>
    analyzeDocument(parser, caller, { path: 'mm/caller.c', cache, ...options }).findings.filter((f) => f.rule === 'write-without-vm-write').map((f) => f.function);
  assert.deepEqual(rulesIn({ workspaceFunctions: workspace() }), ['restore']);
  text = helpers.replace('return pte_mkwrite(pte_mkdirty(pte), vma);', 'return pte_mkdirty(pte);');
  assert.deepEqual(rulesIn({ workspaceFunctions: workspace() }), []);
});

test('a file of the index is named relative to where the run is when it lies below it, else by its absolute path', () => {
  const root = mkdtempSync(join(tmpdir(), 'mmlens-paths-'));
  try {
    const tree = join(root, 'linux', 'mm');
    const elsewhere = join(root, 'work');
    mkdirSync(tree, { recursive: true });
    mkdirSync(elsewhere);
    writeFileSync(join(tree, 'huge_memory.c'), helpers);
    assert.deepEqual([...directoryFiles(tree, join(root, 'linux'))].map((f) => f.path), [join('mm', 'huge_memory.c')]);
    assert.deepEqual([...directoryFiles(tree, elsewhere)].map((f) => f.path), [join(tree, 'huge_memory.c')]);
    // however a checked file is written, it is named as the index names it
    assert.equal(indexedPath('../linux/mm/huge_memory.c', elsewhere), join(tree, 'huge_memory.c'));
    assert.equal(indexedPath(join(tree, 'huge_memory.c'), join(root, 'linux')), join('mm', 'huge_memory.c'));
    assert.equal(indexedPath('./mm/huge_memory.c', join(root, 'linux')), join('mm', 'huge_memory.c'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a header stub that is only BUILD_BUG() is no definition: the build that calls it has the real one, and its flush covers the clear', async () => {
  const parser = await testParser();
  const stub = `#ifndef CONFIG_TRANSPARENT_HUGEPAGE
static inline pmd_t table_clear_flush(struct vm_area_struct *vma,
				      unsigned long address, pmd_t *pmdp)
{
	BUILD_BUG();
	return *pmdp;
}
#endif
`;
  const real = `pmd_t table_clear_flush(struct vm_area_struct *vma, unsigned long address,
			pmd_t *pmdp)
{
	pmd_t pmd = pmdp_huge_get_and_clear(vma->vm_mm, address, pmdp);

	flush_tlb_range(vma, address, address + HPAGE_PMD_SIZE);
	return pmd;
}
`;
  const retract = `#include <linux/mm.h>

static void retract_table(struct vm_area_struct *vma, pmd_t *pmd, unsigned long haddr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, haddr, &ptl);

	if (!ptep)
		return;
	ptep_get_and_clear(vma->vm_mm, haddr, ptep);
	table_clear_flush(vma, haddr, pmd);
	pte_unmap_unlock(ptep, ptl);
}
`;
  const files: SourceFile[] = [
    { path: 'include/linux/pgtable.h', text: stub },
    { path: 'mm/pgtable-generic.c', text: real },
  ];
  const workspaceFunctions = new WorkspaceFunctions(parser, () => files);
  assert.equal(workspaceFunctions.lower('table_clear_flush')?.origin, 'mm/pgtable-generic.c');
  const staleTlb = (fs: SourceFile[]) =>
    analyzeDocument(parser, retract, { path: 'mm/khugepaged.c', profile: 'x86_64@6.19', workspaceFunctions: new WorkspaceFunctions(parser, () => fs) }).findings.filter((f) => f.rule === 'stale-tlb');
  assert.deepEqual(staleTlb(files), []);
  // with only the stub, the call is to it: nothing flushes the cleared entry
  assert.equal(staleTlb(files.slice(0, 1)).length, 1);
});
