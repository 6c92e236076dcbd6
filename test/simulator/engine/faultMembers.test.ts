// Members of a structure a caller passes by pointer (`struct vm_fault *vmf`): the fault's copy of
// its entry (`vmf->orig_pte`) is the caller's, not whatever the callee's slot holds, so a handler
// that re-checks the slot against it under the lock installs over what the caller checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

async function findings(source: string) {
  const analysis = await analyzeDocument(await testParser(), source, { path: 'fault.c', profile: 'x86_64@6.19' });
  return analysis.findings.map((f) => `${f.rule} ${f.function}:${f.range.start.line}`);
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

/** A handler that maps the table again, re-checks the slot against the fault's copy and installs a new entry; `check` is what its caller knows of the copy. */
const remapFault = (check: string) => `static bool fault_entry_changed(struct vm_fault *vmf)
{
	return !pte_same(ptep_get(vmf->pte), vmf->orig_pte);
}

static vm_fault_t map_fault_page(struct vm_fault *vmf, struct page *page)
{
	struct vm_area_struct *vma = vmf->vma;
	pte_t entry;

	vmf->pte = pte_offset_map_lock(vma->vm_mm, vmf->pmd, vmf->address, &vmf->ptl);
	if (!vmf->pte)
		return VM_FAULT_NOPAGE;
	if (fault_entry_changed(vmf)) {
		pte_unmap_unlock(vmf->pte, vmf->ptl);
		return VM_FAULT_NOPAGE;
	}
	entry = mk_pte(page, vma->vm_page_prot);
	set_pte_at(vma->vm_mm, vmf->address, vmf->pte, entry);
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	return 0;
}

vm_fault_t handle_fault(struct vm_fault *vmf, struct page *page)
{
	if (${check})
		return 0;
	return map_fault_page(vmf, page);
}
`;

test('a callee re-checking the slot against vmf->orig_pte installs only over the entry its caller found empty', async () => {
  assert.deepEqual(await findings(remapFault('!pte_none(vmf->orig_pte)')), []);
});

test('the same handler called for a dirty entry it replaces with a clean one: the dirty bit is lost', async () => {
  const dirty = remapFault('!pte_present(vmf->orig_pte) || !pte_dirty(vmf->orig_pte)');
  assert.ok((await findings(dirty)).includes(`dirty-lost map_fault_page:${lineOf(dirty, 'set_pte_at')}`));
});

test('a handler that checks the slot for something other than the copy installs over whatever it holds by then', async () => {
  const unchecked = remapFault('!pte_none(vmf->orig_pte)').replace('if (fault_entry_changed(vmf)) {', 'if (!pte_present(ptep_get(vmf->pte))) {');
  assert.ok((await findings(unchecked)).includes(`dirty-lost map_fault_page:${lineOf(unchecked, 'set_pte_at')}`));
});

/** A callee given the caller's walk structure: it converts the huge PMD the structure points at into a migration entry. */
const migrateHuge = (check: string) => `static int make_pmd_migration(struct page_vma_mapped_walk *pvmw, struct page *page)
{
	struct vm_area_struct *vma = pvmw->vma;
	pmd_t pmdval;
	swp_entry_t entry;
	pmd_t pmdswp;

	if (!(pvmw->pmd && !pvmw->pte))
		return 0;
	if (!pmd_present(*pvmw->pmd))
		pmdval = pmdp_huge_get_and_clear(vma->vm_mm, pvmw->address, pvmw->pmd);
	else
		pmdval = pmdp_invalidate(vma, pvmw->address, pvmw->pmd);
	if (pmd_dirty(pmdval))
		folio_mark_dirty(page_folio(page));
	if (pmd_write(pmdval))
		entry = make_writable_migration_entry(page_to_pfn(page));
	else
		entry = make_readable_migration_entry(page_to_pfn(page));
	if (pmd_dirty(pmdval))
		entry = make_migration_entry_dirty(entry);
	pmdswp = swp_entry_to_pmd(entry);
	if (pmd_soft_dirty(pmdval))
		pmdswp = pmd_swp_mksoft_dirty(pmdswp);
	if (pmd_uffd_wp(pmdval))
		pmdswp = pmd_swp_mkuffd_wp(pmdswp);
	set_pmd_at(vma->vm_mm, pvmw->address, pvmw->pmd, pmdswp);
	return 0;
}

bool migrate_huge_one(struct folio *folio, struct vm_area_struct *vma, unsigned long address, pmd_t *pmdp)
{
	struct page_vma_mapped_walk pvmw = {
		.vma = vma,
		.address = address,
	};
	spinlock_t *ptl;

	pvmw.pmd = pmdp;
	ptl = pmd_lock(vma->vm_mm, pvmw.pmd);
	if (${check}) {
		spin_unlock(ptl);
		return false;
	}
	make_pmd_migration(&pvmw, folio_page(folio, 0));
	spin_unlock(ptl);
	return true;
}
`;

// Not yet: binding a callee's *pvmw->pmd / *vmf->pmd to the caller's own structure's member
// (`&pvmw`, `&vmf`) gave mm/ 8 more findings where page_vma_mapped_walk's summary leaves less in
// those members than a fresh entry with the kernel's invariants (remove_migration_pmd, map_pte …).
const MEMBERS_OF_OWN_STRUCT = { skip: 'a caller\'s own structure passed by address is not looked up yet (walk summaries\' members first)' };

test('a walk structure passed as &pvmw: the callee\'s *pvmw->pmd is the present huge PMD its caller checked', MEMBERS_OF_OWN_STRUCT, async () => {
  assert.deepEqual(await findings(migrateHuge('!pmd_present(*pvmw.pmd) || !pmd_trans_huge(*pvmw.pmd)')), []);
});

test('the same callee where the caller only checked that the member is set: a soft-dirty migration entry loses its bit', async () => {
  const unchecked = migrateHuge('!pvmw.pmd');
  assert.ok((await findings(unchecked)).includes(`bit-lost-on-conversion make_pmd_migration:${lineOf(unchecked, 'set_pmd_at')}`));
});

/** A fault structure of the caller's own, passed as &vmf; `check` is what the caller knows of the PMD. */
const protectFault = (check: string) => `static void protect_fault_pmd(struct vm_fault *vmf)
{
	pmdp_set_wrprotect(vmf->vma->vm_mm, vmf->address, vmf->pmd);
}

static vm_fault_t fault_huge(struct vm_area_struct *vma, unsigned long address, pmd_t *pmdp)
{
	struct vm_fault vmf = {
		.vma = vma,
		.address = address & PAGE_MASK,
	};

	vmf.pmd = pmdp;
	vmf.ptl = pmd_lock(vma->vm_mm, vmf.pmd);
	vmf.orig_pmd = *vmf.pmd;
	if (${check})
		protect_fault_pmd(&vmf);
	spin_unlock(vmf.ptl);
	return 0;
}
`;

test('a fault structure of the caller\'s own, passed as &vmf: the callee\'s *vmf->pmd is the caller\'s vmf.pmd, with what the caller knows of it', MEMBERS_OF_OWN_STRUCT, async () => {
  // write-protecting an entry the caller found read-only is no downgrade
  assert.deepEqual(await findings(protectFault('pmd_trans_huge(vmf.orig_pmd) && !pmd_write(vmf.orig_pmd)')), []);
  const writable = protectFault('pmd_trans_huge(vmf.orig_pmd)');
  assert.deepEqual(await findings(writable), [`stale-tlb fault_huge:${lineOf(writable, 'spin_unlock')}`]);
});
