// What an entry maps and allows, as the kernel establishes it: a special entry maps no folio,
// the zero page is never anonymous, a folio added to the rmap as a file's is a file's, an
// anonymous folio is PMD-mapped only in an anonymous VMA, an entry of a shadow-stack VMA is never
// Write=1, and a TLB entry that cannot write loses nothing when Dirty is cleared. Each test pairs
// code that relies on a fact with code that does not, so each can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

/** [rule, function, line] of each finding of the rule. */
async function findings(source: string, rule: string, profile = 'x86_64@6.19') {
  const analysis = await analyzeDocument(await testParser(), source, { path: 'x.c', profile });
  return analysis.findings.filter((f) => f.rule === rule).map((f) => [f.rule, f.function, f.range.start.line]);
}

test('a special entry maps no folio (vm_normal_page() gives none): a writable pfn entry is no COW hazard, a writable page entry may be', async () => {
  const insert = (build: string) => `static void put_writable(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, unsigned long pfn, struct page *page)
{
	pte_t entry = ${build};

	set_pte_at(vma->vm_mm, addr, ptep, maybe_mkwrite(pte_mkdirty(entry), vma));
}
`;
  assert.deepEqual(await findings(insert('pte_mkspecial(pfn_pte(pfn, vma->vm_page_prot))'), 'cow-writable'), []);
  const page = insert('mk_pte(page, vma->vm_page_prot)');
  assert.deepEqual(await findings(page, 'cow-writable'), [['cow-writable', 'put_writable', lineOf(page, 'set_pte_at')]]);
});

test('the zero page is never anonymous: a page checked with is_zero_folio() before folio_test_anon() is no COW hazard', async () => {
  const source = (zeroCheck: string) => `static int check_insertable(struct page *page)
{
	struct folio *folio = page_folio(page);
${zeroCheck}
	if (folio_test_anon(folio))
		return -EINVAL;
	return 0;
}

static int put_page_writable(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct page *page)
{
	pte_t entry;

	if (check_insertable(page))
		return -EINVAL;
	entry = maybe_mkwrite(pte_mkdirty(mk_pte(page, vma->vm_page_prot)), vma);
	set_pte_at(vma->vm_mm, addr, ptep, entry);
	return 0;
}
`;
  assert.deepEqual(await findings(source('\tif (is_zero_folio(folio))\n\t\treturn 0;'), 'cow-writable'), []);
  // a check that lets some other folio through unchecked leaves it possibly anonymous
  const other = source('\tif (folio_test_dirty(folio))\n\t\treturn 0;');
  assert.deepEqual(await findings(other, 'cow-writable'), [['cow-writable', 'put_page_writable', lineOf(other, 'set_pte_at')]]);
});

test('a folio added to the rmap as a file folio (folio_add_file_rmap_pte) is not anonymous: mapping it writable is no COW hazard', async () => {
  const source = `static void map_file_page(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct folio *folio, struct page *page)
{
	pte_t entry = maybe_mkwrite(pte_mkdirty(mk_pte(page, vma->vm_page_prot)), vma);

	folio_get(folio);
	folio_add_file_rmap_pte(folio, page, vma);
	set_pte_at(vma->vm_mm, addr, ptep, entry);
}
`;
  assert.deepEqual(await findings(source, 'cow-writable'), []);
  const unmapped = source.replace('\tfolio_add_file_rmap_pte(folio, page, vma);\n', '');
  assert.deepEqual(await findings(unmapped, 'cow-writable'), [['cow-writable', 'map_file_page', lineOf(unmapped, 'set_pte_at')]]);
});

test('an anonymous folio is PMD-mapped only in an anonymous VMA: a huge entry made writable elsewhere is no COW hazard', async () => {
  const source = (check: string) => `static void touch_huge(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp)
{
	spinlock_t *ptl = pmd_lock(vma->vm_mm, pmdp);
	pmd_t entry = *pmdp;
${check}
	if (pmd_trans_huge(entry)) {
		entry = maybe_pmd_mkwrite(pmd_mkdirty(pmd_mkyoung(entry)), vma);
		set_pmd_at(vma->vm_mm, addr, pmdp, entry);
	}
	spin_unlock(ptl);
}
`;
  assert.deepEqual(await findings(source('\tif (vma_is_anonymous(vma)) {\n\t\tspin_unlock(ptl);\n\t\treturn;\n\t}'), 'cow-writable'), []);
  const anonymous = source('\tif (!vma_is_anonymous(vma)) {\n\t\tspin_unlock(ptl);\n\t\treturn;\n\t}');
  assert.deepEqual(await findings(anonymous, 'cow-writable'), [['cow-writable', 'touch_huge', lineOf(anonymous, 'set_pmd_at')]]);
});

test('vm_normal_page() finds no page only for a special entry, and a special entry outside VM_PFNMAP/VM_MIXEDMAP is the zero page, never writable: touching it cannot drop a shadow stack\'s write', async () => {
  const source = (guard: string) => `static void touch_entry(struct vm_area_struct *vma, unsigned long address, pte_t *ptep)
{
	pte_t orig = ptep_get(ptep);
	pte_t entry = pte_mkyoung(pte_mkdirty(orig));

	if (!pte_same(orig, entry))
		set_pte_at(vma->vm_mm, address, ptep, entry);
}

static struct page *look_up(struct vm_area_struct *vma, unsigned long address, pmd_t *pmd)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, address, &ptl);
	struct page *page;
	pte_t pte;

	if (!ptep)
		return NULL;
	pte = ptep_get(ptep);
	page = vm_normal_page(vma, address, pte);
	if (${guard})
		touch_entry(vma, address, ptep);
	pte_unmap_unlock(ptep, ptl);
	return page;
}
`;
  assert.deepEqual(await findings(source('!page'), 'nonatomic-wrprotect'), []);
  // a page found says nothing: a shadow-stack entry made dirty loses its write (x86 moves Dirty to SavedDirty)
  const found = source('page');
  assert.deepEqual(await findings(found, 'nonatomic-wrprotect'), [['nonatomic-wrprotect', 'touch_entry', lineOf(found, 'set_pte_at')]]);
});

test('an entry of a shadow-stack VMA is never Write=1 (x86 pte_mkwrite() makes it shadow stack there): making it young and writable again downgrades nothing', async () => {
  const source = (step: string) => `static void touch_writable(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmd)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t entry;

	if (!ptep)
		return;
	if (!(vma->vm_flags & VM_SHADOW_STACK))
		goto out;
	entry = ${step};
	if (ptep_set_access_flags(vma, addr, ptep, entry, 1))
		update_mmu_cache(vma, addr, ptep);
out:
	pte_unmap_unlock(ptep, ptl);
}
`;
  assert.deepEqual(await findings(source('maybe_mkwrite(pte_mkyoung(ptep_get(ptep)), vma)'), 'stale-tlb'), []);
  const wrprotected = source('pte_wrprotect(ptep_get(ptep))');
  assert.deepEqual(await findings(wrprotected, 'stale-tlb'), [['stale-tlb', 'touch_writable', lineOf(wrprotected, 'pte_unmap_unlock')]]);
});

test('Dirty cleared on an entry that cannot be written through needs no flush: a TLB entry for it writes nothing; on a writable one it does', async () => {
  const source = (test: string) => `static void clean_one(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmd)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t pte;

	if (!ptep)
		return;
	pte = ptep_get(ptep);
	if (pte_present(pte) && ${test}pte_write(pte) && pte_dirty(pte))
		set_pte_at(vma->vm_mm, addr, ptep, pte_mkclean(pte));
	pte_unmap_unlock(ptep, ptl);
}
`;
  // 6.1 has no shadow stacks: Write=0, Dirty=1 is a read-only dirty entry
  assert.deepEqual(await findings(source('!'), 'stale-tlb', 'x86_64@6.1'), []);
  const writable = source('');
  assert.deepEqual(await findings(writable, 'stale-tlb', 'x86_64@6.1'), [['stale-tlb', 'clean_one', lineOf(writable, 'pte_unmap_unlock')]]);
});

test('a special entry has no page for can_change_pte_writable() to find: a private NUMA-hinting pfn entry restored read-only loses no write', async () => {
  const source = (check: string) => `static void unhint_private(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t oldpte = ptep_get(ptep);
	pte_t ptent;

	if (vma->vm_flags & VM_SHARED)
		return;
	if (${check})
		return;
	oldpte = ptep_modify_prot_start(vma, addr, ptep);
	ptent = pte_modify(oldpte, vma->vm_page_prot);
	ptep_modify_prot_commit(vma, addr, ptep, oldpte, ptent);
}
`;
  assert.deepEqual(await findings(source('!pte_protnone(oldpte) || !pte_special(oldpte)'), 'write-lost-numa'), []);
  // an entry that maps a page may be of an exclusive anonymous one, which the fault would map writable
  const page = source('!pte_protnone(oldpte) || pte_special(oldpte)');
  assert.deepEqual(await findings(page, 'write-lost-numa'), [['write-lost-numa', 'unhint_private', lineOf(page, 'ptep_modify_prot_commit')]]);
});
