// What change_protection()'s callers pass (CP_FLAG_FACTS in simulator/src/model/context.ts):
// mprotect, NUMA hinting and userfaultfd write-protection each pass their own flags, on the VMAs
// they check; before 5.7 two of the flags were int parameters. And helpers of older versions
// that build or decide what the code installs (mk_huge_pmd, vma_wants_manual_pte_write_upgrade).
// Each test pairs code that relies on a fact with code that does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

async function findings(source: string, profile: string, rule: string) {
  const analysis = analyzeDocument(await testParser(), source, { path: 'x.c', profile });
  return analysis.findings.filter((f) => f.rule === rule).map((f) => [f.rule, f.function, f.range.start.line, f.condition ?? '']);
}

const changeOne = (upgrade: string) => `static void change_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, unsigned long cp_flags, bool try_writable)
{
	pte_t old = ptep_modify_prot_start(vma, addr, ptep);
	pte_t ptent = pte_modify(old, vma->vm_page_prot);

	if (cp_flags & MM_CP_UFFD_WP)
		ptent = pte_mkuffd_wp(ptent);
	if ((${upgrade}) && !pte_uffd_wp(old))
		ptent = pte_mkwrite(ptent, vma);
	ptep_modify_prot_commit(vma, addr, ptep, old, ptent);
}
`;

test('userfaultfd write-protection never asks to change write permission (uffd_wp_range, mprotect_fixup): an upgrade under MM_CP_TRY_CHANGE_WRITABLE never meets MM_CP_UFFD_WP', async () => {
  assert.deepEqual(await findings(changeOne('cp_flags & MM_CP_TRY_CHANGE_WRITABLE'), 'x86_64@6.19', 'uffd-wp-writable'), []);
  // a bool of the caller's own may come with any flags
  const own = changeOne('try_writable');
  assert.deepEqual(await findings(own, 'x86_64@6.19', 'uffd-wp-writable'), [
    ['uffd-wp-writable', 'change_one', lineOf(own, 'ptep_modify_prot_commit'), 'if the caller passes try_writable, cp_flags with MM_CP_UFFD_WP'],
  ]);
});

const legacyChange = (parameter: string) => `static void change_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pgprot_t newprot, int ${parameter})
{
	pte_t ptent = ptep_modify_prot_start(vma->vm_mm, addr, ptep);

	ptent = pte_modify(ptent, newprot);
	if (${parameter} && pte_dirty(ptent))
		ptent = pte_mkwrite(ptent);
	ptep_modify_prot_commit(vma->vm_mm, addr, ptep, ptent);
}
`;

test('before 5.7 change_protection() took int dirty_accountable: it is MM_CP_DIRTY_ACCT, set only where the VMA wants write notification (a shared writable one)', async () => {
  assert.deepEqual(await findings(legacyChange('dirty_accountable'), 'x86_64@4.2', 'write-without-vm-write'), []);
  // an int the engine knows nothing of may be set on any VMA, one without VM_WRITE too
  const other = legacyChange('upgrade');
  assert.deepEqual(await findings(other, 'x86_64@4.2', 'write-without-vm-write'), [
    ['write-without-vm-write', 'change_one', lineOf(other, 'ptep_modify_prot_commit'), 'if the caller passes upgrade'],
  ]);
});

test('a flag a version does not have reads false: on 5.19 MM_CP_TRY_CHANGE_WRITABLE is never passed, on 6.0 it is', async () => {
  const upgrade = `static void change_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, unsigned long cp_flags)
{
	pte_t old = ptep_modify_prot_start(vma, addr, ptep);
	pte_t ptent = pte_modify(old, vma->vm_page_prot);

	if (cp_flags & MM_CP_TRY_CHANGE_WRITABLE)
		ptent = pte_mkwrite(ptent);
	ptep_modify_prot_commit(vma, addr, ptep, old, ptent);
}
`;
  assert.deepEqual(await findings(upgrade, 'x86_64@5.19', 'cow-writable'), []);
  assert.deepEqual(await findings(upgrade, 'x86_64@6.0', 'cow-writable'), [
    ['cow-writable', 'change_one', lineOf(upgrade, 'ptep_modify_prot_commit'), 'if the caller passes cp_flags with MM_CP_TRY_CHANGE_WRITABLE'],
  ]);
});

test('mk_huge_pmd() (until 6.17) builds a huge leaf from the protection: no uffd-wp bit comes from nowhere', async () => {
  const restore = (build: string) => `static void restore_pmd(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp, struct page *new)
{
	pmd_t pmde = pmd_mkold(${build}(new, vma->vm_page_prot));

	pmde = maybe_pmd_mkwrite(pmde, vma);
	set_pmd_at(vma->vm_mm, addr, pmdp, pmde);
}
`;
  assert.deepEqual(await findings(restore('mk_huge_pmd'), 'x86_64@5.14', 'uffd-wp-writable'), []);
  // an entry built by a function the engine does not know may hold anything
  const unknown = restore('make_some_pmd');
  assert.deepEqual(await findings(unknown, 'x86_64@5.14', 'uffd-wp-writable'), [['uffd-wp-writable', 'restore_pmd', lineOf(unknown, 'set_pmd_at'), '']]);
});

test('vma_wants_manual_pte_write_upgrade() (from 6.2) is true of a private writable VMA: a NUMA restore that asks it and can_change_pte_writable() loses no write', async () => {
  const restore = (predicate: string) => `static void numa_restore(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t old = ptep_modify_prot_start(vma, addr, ptep);
	pte_t pte = pte_modify(old, vma->vm_page_prot);
	bool writable = pte_write(pte);

	if (!writable && ${predicate}(vma) && can_change_pte_writable(vma, addr, pte))
		writable = true;
	pte = pte_mkyoung(pte);
	if (writable)
		pte = pte_mkwrite(pte);
	ptep_modify_prot_commit(vma, addr, ptep, old, pte);
}
`;
  assert.deepEqual(await findings(restore('vma_wants_manual_pte_write_upgrade'), 'x86_64@6.2', 'write-lost-numa'), []);
  const unknown = restore('vma_wants_something');
  assert.deepEqual(await findings(unknown, 'x86_64@6.2', 'write-lost-numa'), [['write-lost-numa', 'numa_restore', lineOf(unknown, 'ptep_modify_prot_commit'), '']]);
});
