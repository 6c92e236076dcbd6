// Facts of hugetlb entries and of taking a page from an entry: make_huge_pte() builds from the
// VMA's protection, a hugetlb VMA holds no swap or device entries, a new hugetlb folio is an
// exclusive anonymous page, and code takes pte_page() only of a live entry. Each test pairs the
// code that relies on a fact with code that does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

/** [rule, function, line] of each finding of one rule. */
async function findings(source: string, rule: string, profile = 'x86_64@6.19') {
  const analysis = analyzeDocument(await testParser(), source, { path: 'x.c', profile });
  return analysis.findings.filter((f) => f.rule === rule).map((f) => [f.rule, f.function, f.range.start.line]);
}

const unshare = (carry: string) => `static void unshare_huge(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
			 struct page *copy, unsigned long sz)
{
	pte_t pte = huge_ptep_get(vma->vm_mm, addr, ptep);
	pte_t newpte;

	if (!pte_present(pte))
		return;
	newpte = make_huge_pte(vma, copy, 0);
	huge_ptep_clear_flush(vma, addr, ptep);
${carry}	set_huge_pte_at(vma->vm_mm, addr, ptep, newpte, sz);
}
`;

test('make_huge_pte() builds from the VMA\'s protection: a copy installed over a uffd-wp hugetlb entry loses the protection unless it is carried', async () => {
  const dropped = unshare('');
  assert.deepEqual(await findings(dropped, 'bit-lost-on-conversion'), [['bit-lost-on-conversion', 'unshare_huge', lineOf(dropped, 'set_huge_pte_at')]]);
  assert.deepEqual(await findings(unshare('\tif (huge_pte_uffd_wp(pte))\n\t\tnewpte = huge_pte_mkuffd_wp(newpte);\n'), 'bit-lost-on-conversion'), []);
});

test('make_huge_pte(vma, page, 1) is writable only in a VM_WRITE VMA; huge_pte_mkwrite() asks nothing', async () => {
  const install = (entry: string) => `static void map_huge(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct page *page, unsigned long sz)
{
	set_huge_pte_at(vma->vm_mm, addr, ptep, ${entry}, sz);
}
`;
  assert.deepEqual(await findings(install('make_huge_pte(vma, page, 1)'), 'write-without-vm-write'), []);
  const forced = install('huge_pte_mkwrite(make_huge_pte(vma, page, 0))');
  assert.deepEqual(await findings(forced, 'write-without-vm-write'), [['write-without-vm-write', 'map_huge', lineOf(forced, 'set_huge_pte_at')]]);
});

test('a hugetlb VMA holds no swap or device entry: past the migration, hwpoison and marker tests a hugetlb entry is live', async () => {
  // is_pte_marker() is 6.18's name
  const at = 'x86_64@6.18';
  const rewrite = (read: string, clear: string, set: string, mk: string) => `static void rewrite(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, struct page *copy, unsigned long sz)
{
	pte_t *ptep = ${read.startsWith('huge') ? 'hugetlb_walk(vma, addr, sz)' : 'pte_offset_map(pmd, addr)'};
	pte_t pte = ${read};
	pte_t newpte;

	if (pte_none(pte) || is_hugetlb_entry_migration(pte) || is_hugetlb_entry_hwpoisoned(pte) || is_pte_marker(pte))
		return;
	newpte = ${mk};
	if (pte_uffd_wp(pte))
		newpte = pte_mkuffd_wp(newpte);
	${clear};
	${set};
}
`;
  const hugetlb = rewrite('huge_ptep_get(vma->vm_mm, addr, ptep)', 'huge_ptep_clear_flush(vma, addr, ptep)', 'set_huge_pte_at(vma->vm_mm, addr, ptep, newpte, sz)', 'make_huge_pte(vma, copy, 0)');
  assert.deepEqual(await findings(hugetlb, 'bit-lost-on-conversion', at), []);
  // an ordinary PTE may still be a swap entry there: its uffd-wp is in the swap bits
  const plain = rewrite('ptep_get(ptep)', 'ptep_clear_flush(vma, addr, ptep)', 'set_pte_at(vma->vm_mm, addr, ptep, newpte)', 'pte_wrprotect(mk_pte(copy, vma->vm_page_prot))');
  assert.deepEqual(await findings(plain, 'bit-lost-on-conversion', at), [['bit-lost-on-conversion', 'rewrite', lineOf(plain, 'set_pte_at')]]);
});

test('a new hugetlb folio put in the rmap (hugetlb_add_new_anon_rmap) is an exclusive anonymous page: mapping it writable keeps COW isolation', async () => {
  const map = (rmap: string) => `static void map_new_huge(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct folio *folio, unsigned long sz)
{
	if (!(vma->vm_flags & VM_WRITE) || !folio_test_anon(folio))
		return;
${rmap}	set_huge_pte_at(vma->vm_mm, addr, ptep, make_huge_pte(vma, &folio->page, 1), sz);
}
`;
  const unknown = map('');
  assert.deepEqual(await findings(unknown, 'cow-writable'), [['cow-writable', 'map_new_huge', lineOf(unknown, 'set_huge_pte_at')]]);
  assert.deepEqual(await findings(map('\thugetlb_add_new_anon_rmap(folio, vma, addr);\n'), 'cow-writable'), []);
});

test('code takes the page of a live entry only (pte_page): an entry whose page was taken is not a swap or migration entry', async () => {
  const copy = (take: string) => `static void replace_copy(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct page *copy)
{
	pte_t pte = ptep_get(ptep);
	pte_t entry = pte_wrprotect(mk_pte(copy, vma->vm_page_prot));
${take}
	if (pte_uffd_wp(pte))
		entry = pte_mkuffd_wp(entry);
	ptep_clear_flush(vma, addr, ptep);
	set_pte_at(vma->vm_mm, addr, ptep, entry);
}
`;
  const untaken = copy('');
  assert.deepEqual(await findings(untaken, 'bit-lost-on-conversion'), [['bit-lost-on-conversion', 'replace_copy', lineOf(untaken, 'set_pte_at')]]);
  assert.deepEqual(await findings(copy('\tstruct page *old = pte_page(pte);\n\n\tget_page(old);'), 'bit-lost-on-conversion'), []);
});
