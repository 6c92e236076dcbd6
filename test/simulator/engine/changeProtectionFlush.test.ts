// change_protection()'s walk announces its TLB flush: from 3.13 change_protection_range() marks a
// flush pending for the whole walk (set_tlb_flush_pending(), from 4.13 inc_tlb_flush_pending(),
// from 5.19 the caller's mmu_gather), so a function given its flags may drop the page-table lock
// before the flush. Before 3.13 nothing announced it: migration could copy a page another CPU
// still wrote through a stale entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { CHANGE_PROTECTION_ASSUMPTION } from '../../../simulator/src/engine/analyze';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

async function analyze(source: string, profile: string) {
  return analyzeDocument(await testParser(), source, { path: 'x.c', profile });
}

/** [rule, line] of each stale-tlb finding. */
async function staleTlb(source: string, profile: string) {
  return (await analyze(source, profile)).findings.filter((f) => f.rule === 'stale-tlb').map((f) => [f.rule, f.range.start.line]);
}

// one entry of a protection change, the way change_pte_range() makes it
const protectOne = (flags: string) => `static void protect_one(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, ${flags})
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t old = ptep_modify_prot_start(vma->vm_mm, addr, ptep);

	ptep_modify_prot_commit(vma->vm_mm, addr, ptep, pte_wrprotect(old));
	pte_unmap_unlock(ptep, ptl);
}
`;

test('a function given change_protection()\'s flags runs with a flush pending from 3.13, and says it assumes so', async () => {
  for (const [flags, profile] of [['unsigned long cp_flags', 'x86_64@5.6'], ['int dirty_accountable, int prot_numa', 'x86_64@4.11']]) {
    const source = protectOne(flags!);
    assert.deepEqual(await staleTlb(source, profile!), [], `${flags} on ${profile}`);
  }
  const before = protectOne('int dirty_accountable, int prot_numa');
  assert.deepEqual(await staleTlb(before, 'x86_64@3.12'), [['stale-tlb', lineOf(before, 'pte_unmap_unlock')]]);
  // a function given no such flags is not assumed to be inside the walk
  const plain = protectOne('int unused');
  assert.deepEqual(await staleTlb(plain, 'x86_64@4.11'), [['stale-tlb', lineOf(plain, 'pte_unmap_unlock')]]);
});

test('the assumption is listed with the findings of such a function', async () => {
  const source = protectOne('unsigned long cp_flags').replace('pte_wrprotect(old)', 'pte_mkwrite(old)');
  const findings = (await analyze(source, 'x86_64@5.6')).findings;
  assert.ok(findings.length > 0);
  for (const f of findings) assert.ok(f.assumptions.includes(CHANGE_PROTECTION_ASSUMPTION), f.rule);
});

// a walk that announces its own flush with the 3.13–4.12 names
const walk = (announce: boolean) => `static void protect_range(struct vm_area_struct *vma, pmd_t *pmd, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pte_t *ptep;
	pte_t old;

${announce ? '\tset_tlb_flush_pending(mm);\n' : ''}	ptep = pte_offset_map_lock(mm, pmd, start, &ptl);
	old = ptep_modify_prot_start(mm, start, ptep);
	ptep_modify_prot_commit(mm, start, ptep, pte_wrprotect(old));
	pte_unmap_unlock(ptep, ptl);
	flush_tlb_range(vma, start, end);
${announce ? '\tclear_tlb_flush_pending(mm);\n' : ''}}
`;

test('set_tlb_flush_pending() … clear_tlb_flush_pending() (3.13 to 4.12) announce a flush as inc/dec_tlb_flush_pending() do', async () => {
  assert.deepEqual(await staleTlb(walk(true), 'x86_64@4.11'), []);
  const silent = walk(false);
  assert.deepEqual(await staleTlb(silent, 'x86_64@4.11'), [['stale-tlb', lineOf(silent, 'pte_unmap_unlock')]]);
});
