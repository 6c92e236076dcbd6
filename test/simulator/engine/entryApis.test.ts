// Entry APIs the engine follows beyond the PTE/PMD helpers: hugetlb's huge_* helpers and
// walkers, the older migration API that changed a swap entry through a pointer, and the slots the
// rmap walk hands over in its structure (pvmw->pte, pvmw->pmd). With them, what the engine could
// not follow: an entry whose making it did not see is no evidence that the code lost a bit, and a
// store into a slot cleared before is no new TLB downgrade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

/** [rule, line] of each finding of `rule`. */
async function findings(source: string, profile: string, rule: string) {
  const analysis = await analyzeDocument(await testParser(), source, { path: 'x.c', profile });
  return analysis.findings.filter((f) => f.rule === rule).map((f) => [f.rule, f.range.start.line]);
}

// fork of a hugetlb range (copy_hugetlb_page_range's shape): a read-exclusive migration entry
// in the parent becomes a plain read one, and the parent's entry is rewritten
const demoteHugeMigration = (keepUffdWp: string) => `static void demote_huge_migration(struct vm_area_struct *dst_vma,
				  struct vm_area_struct *src_vma,
				  unsigned long addr, unsigned long sz)
{
	pte_t *src_pte = hugetlb_walk(src_vma, addr, sz);
	pte_t entry;
	swp_entry_t swp;
	bool uffd_wp;

	if (!src_pte)
		return;
	entry = huge_ptep_get(src_pte);
	if (!is_hugetlb_entry_migration(entry))
		return;
	swp = pte_to_swp_entry(entry);
	${keepUffdWp.includes('present') ? 'uffd_wp = huge_pte_uffd_wp(entry);' : 'uffd_wp = pte_swp_uffd_wp(entry);'}
	if (is_readable_migration_entry(swp))
		return;
	swp = make_readable_migration_entry(swp_offset(swp));
	entry = swp_entry_to_pte(swp);
	${keepUffdWp}
	set_huge_pte_at(src_vma->vm_mm, addr, src_pte, entry);
}
`;

test("hugetlb's entries are PTEs: huge_ptep_get, set_huge_pte_at, huge_pte_uffd_wp are the PTE helpers, and a hugetlb walk is of a hugetlb VMA", async () => {
  const dropped = demoteHugeMigration('');
  assert.deepEqual(await findings(dropped, 'x86_64@6.3', 'bit-lost-on-conversion'), [['bit-lost-on-conversion', lineOf(dropped, 'set_huge_pte_at')]]);
  // carried with the swap accessors, in the VMA the slot was walked in: clean (and no soft-dirty
  // to carry, which a hugetlb VMA does not track)
  const kept = demoteHugeMigration('if (userfaultfd_wp(src_vma) && uffd_wp)\n\t\tentry = pte_swp_mkuffd_wp(entry);');
  assert.deepEqual(await findings(kept, 'x86_64@6.3', 'bit-lost-on-conversion'), []);
  // the present-entry accessors read nothing of a migration entry's uffd-wp
  const present = demoteHugeMigration('if (userfaultfd_wp(src_vma) && uffd_wp)\n\t\tentry = huge_pte_mkuffd_wp(entry); /* present */');
  assert.deepEqual(await findings(present, 'x86_64@6.3', 'bit-lost-on-conversion'), [['bit-lost-on-conversion', lineOf(present, 'set_huge_pte_at')]]);
});

test('set_huge_pte_at and huge_ptep_get take the arguments of their version', async () => {
  const at611 = demoteHugeMigration('if (userfaultfd_wp(src_vma) && uffd_wp)\n\t\tentry = pte_swp_mkuffd_wp(entry);')
    .replace('huge_ptep_get(src_pte)', 'huge_ptep_get(src_vma->vm_mm, addr, src_pte)')
    .replace('entry);\n}', 'entry, sz);\n}');
  const analysis = await analyzeDocument(await testParser(), at611, { path: 'x.c', profile: 'x86_64@6.12' });
  assert.deepEqual(analysis.findings.map((f) => f.rule), []);
  assert.deepEqual(analysis.functions.flatMap((f) => f.notModelled).filter((name) => /huge/.test(name)), []);
});

// mprotect of a PMD migration entry before 5.14: make_migration_entry_read(&entry) changes the
// swap entry the pointer points at
const demotePmdMigration = (keepSoftDirty: string) => `static void demote_pmd_migration(struct mm_struct *mm, pmd_t *pmdp, unsigned long addr)
{
	pmd_t pmd = *pmdp;
	swp_entry_t entry;
	pmd_t newpmd;

	if (!is_swap_pmd(pmd) || !is_pmd_migration_entry(pmd))
		return;
	entry = pmd_to_swp_entry(pmd);
	if (!is_write_migration_entry(entry))
		return;
	make_migration_entry_read(&entry);
	newpmd = swp_entry_to_pmd(entry);
	${keepSoftDirty}
	set_pmd_at(mm, addr, pmdp, newpmd);
}
`;

test('make_migration_entry_read(&entry) (before 5.14) makes the entry behind the pointer a read migration entry', async () => {
  const dropped = demotePmdMigration('');
  assert.deepEqual(await findings(dropped, 'x86_64@5.12', 'bit-lost-on-conversion'), [['bit-lost-on-conversion', lineOf(dropped, 'set_pmd_at')]]);
  const kept = demotePmdMigration('if (pmd_swp_soft_dirty(pmd))\n\t\tnewpmd = pmd_swp_mksoft_dirty(newpmd);');
  assert.deepEqual(await findings(kept, 'x86_64@5.12', 'bit-lost-on-conversion'), []);
});

test('an entry the engine could not see being made is no evidence of a lost bit: an unknown function built it', async () => {
  const replace = (build: string) => `static void replace_page(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct page *page)
{
	pte_t old = ptep_get_and_clear(vma->vm_mm, addr, ptep);

	if (!pte_present(old))
		return;
	set_pte_at(vma->vm_mm, addr, ptep, ${build});
}
`;
  const followed = replace('mk_pte(page, vma->vm_page_prot)');
  assert.deepEqual(await findings(followed, 'x86_64@6.19', 'dirty-lost'), [['dirty-lost', lineOf(followed, 'set_pte_at')]]);
  assert.deepEqual(await findings(replace('build_replacement(vma, page, old)'), 'x86_64@6.19', 'dirty-lost'), []);
});

test('a store into a slot cleared and flushed is no downgrade of what it held: a TLB can only hold what the slot held since', async () => {
  const replace = (clear: string) => `static void replace_page(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, struct page *page)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t old = ${clear}(vma, addr, pte);

	folio_mark_dirty(page_folio(page));
	set_pte_at(vma->vm_mm, addr, pte, pte_wrprotect(mk_pte(page, vma->vm_page_prot)));
	pte_unmap_unlock(pte, ptl);
}
`;
  assert.deepEqual(await findings(replace('ptep_clear_flush'), 'x86_64@6.19', 'stale-tlb'), []);
  // cleared without a flush: the clear itself is the downgrade still owed
  const unflushed = replace('ptep_get_and_clear');
  assert.deepEqual(await findings(unflushed, 'x86_64@6.19', 'stale-tlb'), [['stale-tlb', lineOf(unflushed, 'pte_unmap_unlock')]]);
});

// try_to_migrate's shape for a huge PMD: the rmap walk hands over its slot in pvmw->pmd
const pmdToMigration = (keepUffdWp: string) => `static void pmd_to_migration(struct page_vma_mapped_walk *pvmw, struct page *page)
{
	struct vm_area_struct *vma = pvmw->vma;
	unsigned long address = pvmw->address;
	pmd_t pmdval;
	pmd_t pmdswp;
	swp_entry_t entry;

	pmdval = pmdp_invalidate(vma, address, pvmw->pmd);
	if (pmd_dirty(pmdval))
		folio_mark_dirty(page_folio(page));
	entry = make_readable_migration_entry(page_to_pfn(page));
	pmdswp = swp_entry_to_pmd(entry);
	if (pmd_soft_dirty(pmdval))
		pmdswp = pmd_swp_mksoft_dirty(pmdswp);
	${keepUffdWp}
	set_pmd_at(vma->vm_mm, address, pvmw->pmd, pmdswp);
}
`;

test('a walk structure\'s slot member (pvmw->pmd) is one slot for the path, and pmdp_invalidate() is applied to a live entry', async () => {
  const dropped = pmdToMigration('');
  assert.deepEqual(await findings(dropped, 'x86_64@6.3', 'bit-lost-on-conversion'), [['bit-lost-on-conversion', lineOf(dropped, 'set_pmd_at')]]);
  const kept = pmdToMigration('if (pmd_uffd_wp(pmdval))\n\t\tpmdswp = pmd_swp_mkuffd_wp(pmdswp);');
  assert.deepEqual(await findings(kept, 'x86_64@6.3', 'bit-lost-on-conversion'), []);
});

// remove_migration_pte's shape before 5.14: the walk stops at a migration entry, *pvmw.pte
const restoreDevicePrivate = (carry: string) => `static void restore_device_private(struct vm_area_struct *vma, struct page *new, struct page_vma_mapped_walk *pvmw)
{
	swp_entry_t entry = pte_to_swp_entry(*pvmw->pte);
	pte_t pte;

	entry = make_device_private_entry(new, is_write_migration_entry(entry));
	pte = swp_entry_to_pte(entry);
	if (pte_swp_uffd_wp(*pvmw->pte))
		pte = ${carry}(pte);
	set_pte_at(vma->vm_mm, pvmw->address, pvmw->pte, pte);
}
`;

test('a swap entry is decoded from an entry that holds one: *pvmw->pte given to pte_to_swp_entry() is not present', async () => {
  // pte_mkuffd_wp sets the present bit, which a device-private entry does not have
  const present = restoreDevicePrivate('pte_mkuffd_wp');
  assert.deepEqual(await findings(present, 'x86_64@5.7', 'bit-lost-on-conversion'), [['bit-lost-on-conversion', lineOf(present, 'set_pte_at')]]);
  assert.deepEqual(await findings(restoreDevicePrivate('pte_swp_mkuffd_wp'), 'x86_64@5.7', 'bit-lost-on-conversion'), []);
  // and nothing is said of present entries the code never decodes as one
  assert.deepEqual(await findings(restoreDevicePrivate('pte_swp_mkuffd_wp'), 'x86_64@5.7', 'dirty-lost'), []);
});

test('a poisoned page\'s entry carries nothing: replacing an entry with a hwpoison entry loses no bit', async () => {
  const poison = (build: string) => `static void poison_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct page *page)
{
	pte_t pteval = ptep_clear_flush(vma, addr, ptep);

	if (pte_dirty(pteval))
		folio_mark_dirty(page_folio(page));
	set_pte_at(vma->vm_mm, addr, ptep, swp_entry_to_pte(${build}));
}
`;
  const migration = poison('make_readable_migration_entry(page_to_pfn(page))');
  assert.deepEqual(await findings(migration, 'x86_64@6.12', 'bit-lost-on-conversion'), [['bit-lost-on-conversion', lineOf(migration, 'set_pte_at')]]);
  assert.deepEqual(await findings(poison('make_hwpoison_entry(page)'), 'x86_64@6.12', 'bit-lost-on-conversion'), []);
});

test('a commit no start cleared the slot for is a plain store over the live entry (start and commit must be paired)', async () => {
  const wp = (read: string) => `static void wp_one(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmd)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t old = ${read}(vma, addr, pte);

	ptep_modify_prot_commit(vma, addr, pte, old, pte_wrprotect(old));
	flush_tlb_page(vma, addr);
	pte_unmap_unlock(pte, ptl);
}
`;
  const unpaired = wp('ptep_get_keep').replace('ptep_get_keep(vma, addr, pte)', 'ptep_get(pte)');
  assert.deepEqual(await findings(unpaired, 'x86_64@6.19', 'nonatomic-wrprotect'), [['nonatomic-wrprotect', lineOf(unpaired, 'ptep_modify_prot_commit')]]);
  assert.deepEqual(await findings(wp('ptep_modify_prot_start'), 'x86_64@6.19', 'nonatomic-wrprotect'), []);
});
