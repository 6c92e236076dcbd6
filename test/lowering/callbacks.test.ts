// Callbacks handed to a call in a table (a page-table walk's ops, an rmap walk's control) run
// inside that call: the lowered caller calls each of them right after it, so they are judged
// with the caller's facts and are no roots of their own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../server/src/analysis/analyzeDocument';
import { testParser } from '../helpers/parser';
import { fn, lower, shape } from './helpers';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

// MADV_FREE-like: the walk drops dirt from entries, which is only right in private memory.
const lazyFree = (check: string) => `static int lazy_free_pte_range(pmd_t *pmd, unsigned long addr, unsigned long end, struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->vma;
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t ptent;

	if (!pte)
		return 0;
	ptent = ptep_get(pte);
	if (pte_present(ptent) && pte_write(ptent) && pte_dirty(ptent))
		set_pte_at(vma->vm_mm, addr, pte, pte_mkclean(ptent));
	pte_unmap_unlock(pte, ptl);
	return 0;
}

static const struct mm_walk_ops lazy_free_walk_ops = {
	.pmd_entry = lazy_free_pte_range,
	.walk_lock = PGWALK_RDLOCK,
};

static int lazy_free_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
${check}	return walk_page_range(vma->vm_mm, start, end, &lazy_free_walk_ops, NULL);
}
`;

test('a call handed a table of callbacks comes with a call of each, with unknown arguments (before a return that makes it)', async () => {
  const unit = await lower(lazyFree(''));
  const text = shape(fn(unit, 'lazy_free_vma'));
  assert.equal(text, [
    'b0:',
    '  eval lazy_free_pte_range(opaque(lazy_free_pte_range:pmd), opaque(lazy_free_pte_range:addr), opaque(lazy_free_pte_range:end), opaque(lazy_free_pte_range:walk))',
    '  return walk_page_range(vma->vm_mm, start, end, &lazy_free_walk_ops, NULL)',
  ].join('\n'));
});

test("a walk callback is judged with its caller's facts: a caller that only walks anonymous memory clears dirt safely", async () => {
  const analyze = async (source: string) => (await analyzeDocument(await testParser(), source, { path: 'x.c', profile: 'x86_64@6.19' })).findings.filter((f) => f.rule === 'writenotify-bypass');
  const unchecked = lazyFree('');
  const found = await analyze(unchecked);
  assert.deepEqual(found.map((f) => [f.function, f.range.start.line]), [['lazy_free_pte_range', lineOf(unchecked, 'set_pte_at')]]);
  assert.deepEqual(found[0]!.via?.map((step) => step.function), ['lazy_free_vma']);
  assert.deepEqual(await analyze(lazyFree('\tif (!vma_is_anonymous(vma))\n\t\treturn -EINVAL;\n')), []);
});

test('a table local to the caller (an rmap walk control) names its callbacks too', async () => {
  const unit = await lower(`static bool unmap_one(struct folio *folio, struct vm_area_struct *vma, unsigned long address, void *arg)
{
	return true;
}

static void unmap_folio(struct folio *folio)
{
	struct rmap_walk_control rwc = {
		.rmap_one = unmap_one,
		.arg = NULL,
	};

	rmap_walk(folio, &rwc);
}

static void other_folio(struct folio *folio, struct rmap_walk_control *rwc)
{
	rmap_walk(folio, rwc);
}
`);
  assert.match(shape(fn(unit, 'unmap_folio')), /rmap_walk\(folio, &rwc\)\n.*unmap_one\(/);
  // another function's rwc is another variable
  assert.doesNotMatch(shape(fn(unit, 'other_folio')), /unmap_one\(/);
});
