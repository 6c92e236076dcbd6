// A function of the tree that only reads a VMA's flags (mm/memory.c vm_mixed_ok(),
// vma_is_accessible()) is a predicate of that VMA: its summary ties its answer to the caller's
// VMA, where a call to a function that touches no entry would be an unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../server/src/analysis/analyzeDocument';
import { kernelTreeFiles, WorkspaceFunctions } from '../../server/src/analysis/workspaceFunctions';
import { fakeKernelTree } from '../helpers/fakeKernelTree';
import { testParser } from '../helpers/parser';
import { lineOf, mmFile } from '../helpers/treeSources';

/** mm/internal.h: whether the VMA's entries may be made writable where they are, by `flag`. */
const predicate = (flag: string) => `static inline bool vma_writes_in_place(struct vm_area_struct *vma)
{
	if (vma->vm_flags & ${flag})
		return true;
	return false;
}
`;

const CALLER = mmFile(`void upgrade_in_place(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t entry = ptep_get(ptep);

	if (!vma_writes_in_place(vma))
		return;
	set_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(pte_mkdirty(entry), vma));
}
`);

async function cowFindings(flag: string) {
  const parser = await testParser();
  const root = fakeKernelTree({ version: '6.19', files: { 'mm/internal.h': predicate(flag) } });
  const workspaceFunctions = new WorkspaceFunctions(parser, () => kernelTreeFiles(root, 'x86_64', root));
  const { findings } = analyzeDocument(parser, CALLER, { path: 'mm/c.c', profile: 'x86_64@6.19', workspaceFunctions, rules: new Set(['cow-writable']) });
  return findings.map((f) => [f.function, f.range.start.line]);
}

test('a tree function that reads vm_flags answers for the caller\'s VMA: only a shared mapping is made writable, which maps no anonymous page', async () => {
  assert.deepEqual(await cowFindings('VM_SHARED'), []);
});

test('the same predicate of another flag lets a private mapping through: an anonymous page there may be shared (COW)', async () => {
  assert.deepEqual(await cowFindings('VM_WRITE'), [['upgrade_in_place', lineOf(CALLER, 'set_pte_at')]]);
});
