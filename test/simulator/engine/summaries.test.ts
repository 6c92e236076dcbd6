// Callee summaries: a same-file function that cannot touch entries is called, not inlined,
// and not reported as too large to inline; one that touches entries still is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

/** A function with more branches than the engine inlines (DEFAULT_BOUNDS.maxInlineBlocks). */
function bigFunction(name: string, params: string, extra: string): string {
  const branches = Array.from({ length: 30 }, (_, i) => `\tif (flags & ${1 << (i % 16)})\n\t\tcount += ${i};`).join('\n');
  return `static int ${name}(${params})\n{\n\tint count = 0;\n\n${branches}\n${extra}\treturn count;\n}\n`;
}

const source = [
  bigFunction('count_vma_bits', 'struct vm_area_struct *vma, unsigned long flags', ''),
  bigFunction('touch_entry', 'struct vm_area_struct *vma, pte_t *ptep, unsigned long flags', '\tptep_set_wrprotect(vma->vm_mm, 0, ptep);\n'),
  `static void caller(struct vm_area_struct *vma, pte_t *ptep, unsigned long flags)
{
	pte_t pte = ptep_get(ptep);

	if (count_vma_bits(vma, flags) > 3)
		pte = pte_mkdirty(pte);
	touch_entry(vma, ptep, flags);
	set_pte_at(vma->vm_mm, 0, ptep, pte);
}
`,
].join('\n');

test('an entry-free callee is neither inlined nor reported; an entry-touching one still is', async () => {
  const analysis = analyzeDocument(await testParser(), source, { path: 'summaries.c' });
  const caller = analysis.functions.find((f) => f.name === 'caller')!;
  assert.ok(!caller.boundsHit.some((b) => b.includes('count_vma_bits')), caller.boundsHit.join('; '));
  assert.ok(!caller.notModelled.some((n) => n.startsWith('count_vma_bits')), caller.notModelled.join('; '));
  assert.ok(caller.boundsHit.some((b) => b.includes('touch_entry is too large to inline')), caller.boundsHit.join('; '));
  // The callee's result is unknown, so both outcomes of the branch remain.
  assert.equal(caller.paths.length, 2);
});
