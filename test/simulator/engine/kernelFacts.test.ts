// Kernel facts: what mm code may take for granted, and the engine with it. An assertion holds
// past it; a slot walked to again is the slot found before; pte_same() makes two entries one;
// init_mm maps the kernel; only the page-table lock guards entries; mmu_gather and reclaim
// batching flush later; an upgrade needs no flush; a pgprot_t comes from the VMA; a new
// anonymous page is exclusive; an entry cleaned on purpose, or after an atomic clear, is
// installed as meant. Each test pairs the code that relies on a fact with code that does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { UNKNOWN_PROT_ASSUMPTION } from '../../../simulator/src/engine/execute';
import { GATHER_ASSUMPTION } from '../../../simulator/src/engine/analyze';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));
const linesOf = (text: string, needle: string) => text.split('\n').flatMap((line, i) => (line.includes(needle) ? [i] : []));

async function analyze(source: string) {
  return analyzeDocument(await testParser(), source, { path: 'x.c', profile: 'x86_64@6.19' });
}

/** [rule, function, line] of each finding, of one rule when given. */
async function findings(source: string, rule?: string) {
  return (await analyze(source)).findings.filter((f) => !rule || f.rule === rule).map((f) => [f.rule, f.function, f.range.start.line]);
}

test('an assertion is a fact: past BUG_ON(cond) or VM_WARN_ON_ONCE(cond) the path does not have cond', async () => {
  const unchecked = `static void restore_write(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t entry = ptep_get(ptep);

	set_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(entry, vma));
}
`;
  assert.deepEqual(await findings(unchecked, 'uffd-wp-writable'), [['uffd-wp-writable', 'restore_write', lineOf(unchecked, 'set_pte_at')]]);
  for (const assertion of ['BUG_ON', 'VM_BUG_ON', 'WARN_ON', 'VM_WARN_ON_ONCE']) {
    const asserted = unchecked.replace('\n\tset_pte_at', `\n\t${assertion}(pte_uffd_wp(entry));\n\tset_pte_at`);
    assert.deepEqual(await findings(asserted, 'uffd-wp-writable'), [], assertion);
  }
});

test('a debugging assertion (VM_WARN_ON, VM_BUG_ON …) is compiled out without CONFIG_DEBUG_VM: what its condition calls leaves the slots as they were', async () => {
  const checked = (assertion: string) => `static void restore_write(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t pte = ptep_get(ptep);

	${assertion}(virt_addr_valid(ptep) && PageTable(virt_to_page(ptep)));
	if (pte_uffd_wp(pte))
		return;
	set_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(ptep_get(ptep), vma));
}
`;
  assert.deepEqual(await findings(checked('VM_WARN_ON'), 'uffd-wp-writable'), []);
  // WARN_ON() is always evaluated: an unknown function given the slot may have changed it
  const always = checked('WARN_ON');
  assert.deepEqual(await findings(always, 'uffd-wp-writable'), [['uffd-wp-writable', 'restore_write', lineOf(always, 'set_pte_at')]]);
});

test('what a debugging assertion says of a slot a walk reaches (*new_ptep after new_ptep++) holds for the code after it', async () => {
  const move = (assertion: string) => `static void move_range(struct vm_area_struct *vma, pmd_t *old_pmd, pmd_t *new_pmd, unsigned long old_addr, unsigned long new_addr, unsigned long end)
{
	spinlock_t *old_ptl, *new_ptl;
	pmd_t dummy;
	pte_t *old_ptep = pte_offset_map_lock(vma->vm_mm, old_pmd, old_addr, &old_ptl);
	pte_t *new_ptep = pte_offset_map_rw_nolock(vma->vm_mm, new_pmd, new_addr, &dummy, &new_ptl);

	for (; old_addr < end; old_ptep++, old_addr += PAGE_SIZE, new_ptep++, new_addr += PAGE_SIZE) {
		pte_t pte;

${assertion}		pte = ptep_get(old_ptep);
		if (pte_none(pte) || pte_present(pte))
			continue;
		pte = ptep_get_and_clear(vma->vm_mm, old_addr, old_ptep);
		pte_clear(vma->vm_mm, new_addr, new_ptep);
	}
	pte_unmap(new_ptep - 1);
	pte_unmap_unlock(old_ptep - 1, old_ptl);
}
`;
  assert.deepEqual(await findings(move('\t\tVM_WARN_ON_ONCE(!pte_none(*new_ptep));\n'), 'stale-tlb'), []);
  // without it, clearing the destination may remove an entry a TLB holds
  const unchecked = move('');
  assert.deepEqual(await findings(unchecked, 'stale-tlb'), [['stale-tlb', 'move_range', lineOf(unchecked, 'pte_unmap_unlock')]]);
});

test('if (WARN_ON(cond)) is never taken: the warning branch is not a path, and the one that goes on lacks cond', async () => {
  const source = `static void restore_write(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t entry = ptep_get(ptep);

	if (WARN_ON_ONCE(pte_uffd_wp(entry)))
		return;
	set_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(entry, vma));
}
`;
  const analysis = await analyze(source);
  const [fn] = analysis.functions;
  assert.deepEqual(fn!.paths.map((path) => path.decisions.map((d) => [d.text, d.taken])), [[['WARN_ON_ONCE(pte_uffd_wp(entry))', false]]]);
  assert.deepEqual(analysis.findings.filter((f) => f.rule === 'uffd-wp-writable'), []);
});

test('a slot walked to again at the same table and address is the same slot, with the value it holds', async () => {
  const source = `static void track_then_write(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);

	set_pte_at(vma->vm_mm, addr, ptep, pte_mksoft_dirty(ptep_get(ptep)));
	pte_unmap_unlock(ptep, ptl);

	ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	set_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(ptep_get(ptep), vma));
	pte_unmap_unlock(ptep, ptl);
}
`;
  // the entry made writable is the one marked soft-dirty
  assert.deepEqual(await findings(source, 'softdirty-bypass'), []);
  // the next entry is another slot: the mark says nothing of it
  const next = source.replace('ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);', 'ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr + PAGE_SIZE, &ptl);');
  assert.deepEqual(await findings(next, 'softdirty-bypass'), [['softdirty-bypass', 'track_then_write', lineOf(next, 'pte_mkwrite')]]);
});

test('on the branch where pte_same(ptep_get(ptep), orig) holds, the slot holds orig: an install built from orig replaces it as it was', async () => {
  const source = `static void mark_young(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, pte_t orig)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);

	if (!pte_same(ptep_get(ptep), orig))
		goto out;
	set_pte_at(vma->vm_mm, addr, ptep, pte_mkyoung(orig));
out:
	pte_unmap_unlock(ptep, ptl);
}
`;
  assert.deepEqual(await findings(source), []);
  // checked only for being present, the entry may have changed since orig was read: its dirt is lost
  const present = source.replace('if (!pte_same(ptep_get(ptep), orig))', 'if (!pte_present(ptep_get(ptep)))');
  assert.ok((await findings(present)).some(([rule, , line]) => rule === 'dirty-lost' && line === lineOf(present, 'set_pte_at')));
});

test('pte_advance_pfn() moves an entry to a later page frame and keeps every flag bit: a batch that matches it is as writable as the first entry', async () => {
  // a batch of entries that pte_same() the first one advanced, made writable only when one of them is writable
  const batch = (advance: string) => `static void merge_write(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pte_t *first)
{
	pte_t pte = ptep_get(first);
	pte_t expected = ${advance};

	if (!pte_same(ptep_get(ptep), expected))
		return;
	if (pte_write(ptep_get(ptep)))
		set_pte_at(vma->vm_mm, addr, first, pte_mkwrite(pte, vma));
}
`;
  assert.deepEqual(await findings(batch('pte_advance_pfn(pte, 1)')), []);
  // an entry of its own, unrelated to the first, may be writable where the first is uffd-wp
  const unrelated = batch('ptep_get(ptep + 1)');
  assert.deepEqual(await findings(unrelated, 'uffd-wp-writable'), [['uffd-wp-writable', 'merge_write', lineOf(unrelated, 'set_pte_at')]]);
});

test('the kernel\'s own page tables (init_mm, pte_offset_kernel) are not checked against a user VMA', async () => {
  const source = `static void map_kernel_entry(unsigned long addr, pte_t *ptep, pte_t pte)
{
	set_pte_at(&init_mm, addr, ptep, pte_mkwrite_novma(pte_mkdirty(pte)));
}

static void map_kernel_table(pmd_t *pmd, unsigned long addr, pte_t pte)
{
	pte_t *ptep = pte_offset_kernel(pmd, addr);

	set_pte_at(&init_mm, addr, ptep, pte_mkwrite_novma(pte_mkdirty(pte)));
}

static void map_user_entry(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte)
{
	set_pte_at(mm, addr, ptep, pte_mkwrite_novma(pte_mkdirty(pte)));
}
`;
  const reported = await findings(source);
  assert.ok(reported.length > 0);
  assert.deepEqual([...new Set(reported.map(([, fn]) => fn))], ['map_user_entry']);
});

test('only the page-table lock is checked when it is dropped: a walker\'s &ptl, pmd_lock(), a ptl or page_table_lock member, not some other spinlock', async () => {
  const source = `static void protect_counted(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, struct wp_stats *stats)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);

	ptep_set_wrprotect(vma->vm_mm, addr, ptep);
	spin_lock(&stats->lock);
	stats->nr_protected++;
	spin_unlock(&stats->lock);
	spin_unlock(ptl);
	pte_unmap(ptep);
}

static void protect_huge(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl = pmd_lock(vma->vm_mm, pmd);

	pmdp_set_wrprotect(vma->vm_mm, addr, pmd);
	spin_unlock(ptl);
}

static void protect_fault(struct vm_fault *vmf)
{
	ptep_set_wrprotect(vmf->vma->vm_mm, vmf->address, vmf->pte);
	spin_unlock(vmf->ptl);
}

static void protect_table(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spin_lock(&mm->page_table_lock);
	pmdp_set_wrprotect(mm, addr, pmd);
	spin_unlock(&mm->page_table_lock);
}
`;
  const [walker, huge] = linesOf(source, 'spin_unlock(ptl);');
  assert.deepEqual(await findings(source), [
    ['stale-tlb', 'protect_counted', walker],
    ['stale-tlb', 'protect_huge', huge],
    ['stale-tlb', 'protect_fault', lineOf(source, 'spin_unlock(vmf->ptl)')],
    ['stale-tlb', 'protect_table', lineOf(source, 'spin_unlock(&mm->page_table_lock)')],
  ]);
});

test('the lock pmd_trans_huge_lock() returns guards a huge PMD: under it, the PMD is never a page table', async () => {
  const source = `static void zap_huge(struct vm_area_struct *vma, pmd_t *pmd)
{
	spinlock_t *ptl = pmd_trans_huge_lock(pmd, vma);

	if (!ptl)
		return;
	if (pmd_present(pmdp_get(pmd)) && !pmd_trans_huge(pmdp_get(pmd)))
		pmd_clear(pmd);
	spin_unlock(ptl);
}
`;
  const [fn] = (await analyze(source)).functions;
  const table = 'pmd_present(pmdp_get(pmd)) && !pmd_trans_huge(pmdp_get(pmd))';
  assert.deepEqual(fn!.paths.map((path) => path.decisions.map((d) => [d.text, d.taken])), [[['!ptl', false], [table, false]], [['!ptl', true]]]);
});

test('an mmu_gather flushes what it is given before it finishes: a downgrade handed to it is not stale at the unlock', async () => {
  const source = `static void protect_gathered(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	struct mmu_gather tlb;
	spinlock_t *ptl;
	pte_t *ptep;

	tlb_gather_mmu(&tlb, vma->vm_mm);
	ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	ptep_set_wrprotect(vma->vm_mm, addr, ptep);
	tlb_flush_pte_range(&tlb, addr, PAGE_SIZE);
	pte_unmap_unlock(ptep, ptl);
	tlb_finish_mmu(&tlb);
}

static int protect_walk_entry(pmd_t *pmd, unsigned long addr, unsigned long end, struct mm_walk *walk)
{
	struct mmu_gather *tlb = walk->private;
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(walk->mm, pmd, addr, &ptl);

	ptep_set_wrprotect(walk->mm, addr, ptep);
	tlb_remove_tlb_entry(tlb, ptep, addr);
	pte_unmap_unlock(ptep, ptl);
	return 0;
}
`;
  assert.deepEqual(await findings(source), []);
  // the walk callback hands nothing to the gather: its downgrade is stale when it unlocks
  const forgotten = source.replace('\ttlb_remove_tlb_entry(tlb, ptep, addr);\n', '');
  assert.deepEqual(await findings(forgotten), [['stale-tlb', 'protect_walk_entry', linesOf(forgotten, 'pte_unmap_unlock')[1]]]);
});

test('a function given an mmu_gather runs inside one: a flush is pending when it unlocks', async () => {
  const source = `static void protect_one(struct mmu_gather *tlb, struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);

	ptep_set_wrprotect(vma->vm_mm, addr, ptep);
	pte_unmap_unlock(ptep, ptl);
}
`;
  assert.deepEqual(await findings(source), []);
  const alone = source.replace('struct mmu_gather *tlb, ', '');
  assert.deepEqual(await findings(alone), [['stale-tlb', 'protect_one', lineOf(alone, 'pte_unmap_unlock')]]);
  // a finding of a function given one says what it assumed
  const writable = source.replace('ptep_set_wrprotect(vma->vm_mm, addr, ptep);', 'set_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(ptep_get(ptep), vma));');
  const reported = (await analyze(writable)).findings;
  assert.ok(reported.length > 0 && reported.every((f) => f.assumptions.includes(GATHER_ASSUMPTION)));
});

test('reclaim\'s batched flush (set_tlb_ubc_flush_pending) takes the unmapped entry like a gather: not stale at the unlock', async () => {
  const source = `static void unmap_for_reclaim(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, struct folio *folio)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t pteval = ptep_get_and_clear(vma->vm_mm, addr, ptep);

	set_tlb_ubc_flush_pending(vma->vm_mm, pteval, addr);
	if (pte_dirty(pteval))
		folio_mark_dirty(folio);
	pte_unmap_unlock(ptep, ptl);
}
`;
  assert.deepEqual(await findings(source), []);
  const unbatched = source.replace('\tset_tlb_ubc_flush_pending(vma->vm_mm, pteval, addr);\n', '');
  assert.deepEqual(await findings(unbatched), [['stale-tlb', 'unmap_for_reclaim', lineOf(unbatched, 'pte_unmap_unlock')]]);
});

test('under the mmap write lock a flush after the walk covers a downgrade: a callee dropping the page-table lock before it is not stale', async () => {
  const protect = (locked: boolean) => `static void protect_one(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);

	ptep_set_wrprotect(vma->vm_mm, addr, ptep);
	pte_unmap_unlock(ptep, ptl);
}

int protect_all(struct mm_struct *mm, struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
${locked ? '\tif (mmap_write_lock_killable(mm))\n\t\treturn -EINTR;\n' : ''}	protect_one(vma, pmd, addr);
	flush_tlb_mm(mm);
${locked ? '\tmmap_write_unlock(mm);\n' : ''}	return 0;
}
`;
  assert.deepEqual(await findings(protect(true)), []);
  const unlocked = protect(false);
  assert.deepEqual(await findings(unlocked), [['stale-tlb', 'protect_one', lineOf(unlocked, 'pte_unmap_unlock')]]);
});

test('a callee that write-protects through a pointer to the caller\'s local copy (&pte) downgrades nothing a TLB holds', async () => {
  const scan = (arg: string) => `static void merge_flags(pte_t *ptentp)
{
	*ptentp = pte_wrprotect(*ptentp);
}

static void scan_one(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t pte = ptep_get(ptep);

	merge_flags(${arg});
	pte_unmap_unlock(ptep, ptl);
}
`;
  assert.deepEqual(await findings(scan('&pte'), 'stale-tlb'), []);
  const inTable = scan('ptep');
  assert.deepEqual(await findings(inTable, 'stale-tlb'), [['stale-tlb', 'scan_one', lineOf(inTable, 'pte_unmap_unlock')]]);
});

test('a shadow stack is private anonymous memory: in a VM_MIXEDMAP mapping no entry is a shadow-stack one, so pte_mkdirty() cannot make one read-only', async () => {
  const touch = (flag: string) => `static void touch_mapped(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t entry = ptep_get(ptep);

	if (vma->vm_flags & ${flag}) {
		entry = pte_mkdirty(pte_mkyoung(entry));
		ptep_set_access_flags(vma, addr, ptep, entry, 1);
	}
	pte_unmap_unlock(ptep, ptl);
}
`;
  assert.deepEqual(await findings(touch('VM_MIXEDMAP'), 'stale-tlb'), []);
  // a VM_LOCKED mapping may be a shadow stack: there an entry may be Write=0 Dirty=1, and x86
  // pte_mkdirty() moves its Dirty to SavedDirty, leaving it read-only
  const locked = touch('VM_LOCKED');
  assert.deepEqual(await findings(locked, 'stale-tlb'), [['stale-tlb', 'touch_mapped', lineOf(locked, 'pte_unmap_unlock')]]);
});

test('an upgrade needs no flush: an entry made writable, dirty and young under the lock is not stale when it is dropped', async () => {
  const source = `static void make_writable(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t entry = ptep_get(ptep);

	set_pte_at(vma->vm_mm, addr, ptep, pte_mkyoung(pte_mkdirty(pte_mkwrite_novma(entry))));
	pte_unmap_unlock(ptep, ptl);
}
`;
  assert.deepEqual(await findings(source, 'stale-tlb'), []);
  const downgrade = source.replace('set_pte_at(vma->vm_mm, addr, ptep, pte_mkyoung(pte_mkdirty(pte_mkwrite_novma(entry))));', 'ptep_set_wrprotect(vma->vm_mm, addr, ptep);');
  assert.deepEqual(await findings(downgrade, 'stale-tlb'), [['stale-tlb', 'make_writable', lineOf(downgrade, 'pte_unmap_unlock')]]);
});

test('an entry built from a VMA\'s protection goes into that VMA: in a function of two VMAs, the rules read the one whose vm_page_prot it was built from', async () => {
  const move = (entry: string) => `static int move_zero(struct mm_struct *mm, struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma,
		     unsigned long dst_addr, unsigned long src_addr, pte_t *dst_pte, pte_t *src_pte)
{
	pte_t zero_pte = ${entry};

	ptep_clear_flush(src_vma, src_addr, src_pte);
	set_pte_at(mm, dst_addr, dst_pte, zero_pte);
	return 0;
}
`;
  assert.deepEqual(await findings(move('pte_mkspecial(pfn_pte(my_zero_pfn(dst_addr), dst_vma->vm_page_prot))')), []);
  // made writable by hand, it is writable whatever dst_vma allows
  const forced = move('pte_mkwrite(pfn_pte(my_zero_pfn(dst_addr), dst_vma->vm_page_prot), dst_vma)');
  const found = (await analyze(forced)).findings.filter((f) => f.rule === 'write-without-vm-write');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.range.start.line, lineOf(forced, 'set_pte_at'));
});

test('flags built up from zero (flags = 0; flags |= MM_CP_…) are exactly those flags where a callee tests them', async () => {
  const caller = (build: string) => `static void change_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, unsigned long cp_flags)
{
	pte_t pte = ptep_get(ptep);

	if (cp_flags & MM_CP_UFFD_WP)
		set_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(pte_mkuffd_wp(pte), vma));
}

void fixup(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, bool upgrade)
{
	unsigned int mm_cp_flags = 0;

${build}	change_one(vma, addr, ptep, mm_cp_flags);
}
`;
  assert.deepEqual(await findings(caller('\tif (upgrade)\n\t\tmm_cp_flags |= MM_CP_TRY_CHANGE_WRITABLE;\n'), 'uffd-wp-writable'), []);
  assert.deepEqual(await findings(caller(''), 'uffd-wp-writable'), []);
  const wp = caller('\tif (upgrade)\n\t\tmm_cp_flags |= MM_CP_UFFD_WP;\n');
  assert.deepEqual(await findings(wp, 'uffd-wp-writable'), [['uffd-wp-writable', 'change_one', lineOf(wp, 'set_pte_at')]]);
});

test('a pgprot_t the engine cannot follow is the VMA\'s vm_page_prot, and findings say so; pgprot_noncached() passes the protection through', async () => {
  const source = `static void map_io_page(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct page *page)
{
	set_pte_at(vma->vm_mm, addr, ptep, mk_pte(page, io_page_prot(vma)));
}
`;
  // vm_page_prot is writable only where the VMA allows it
  assert.deepEqual(await findings(source), []);

  const writable = source.replace('mk_pte(page, io_page_prot(vma))', 'pte_mkwrite(mk_pte(page, io_page_prot(vma)), vma)');
  const assumed = (await analyze(writable)).findings;
  assert.ok(assumed.some((f) => f.rule === 'write-without-vm-write'));
  assert.ok(assumed.every((f) => f.assumptions.includes(UNKNOWN_PROT_ASSUMPTION)));

  const uncached = writable.replace('io_page_prot(vma)', 'pgprot_noncached(vma->vm_page_prot)');
  const analysis = await analyze(uncached);
  assert.ok(analysis.findings.some((f) => f.rule === 'write-without-vm-write'));
  assert.ok(analysis.findings.every((f) => !f.assumptions.includes(UNKNOWN_PROT_ASSUMPTION)));
  assert.deepEqual(analysis.functions[0]!.notModelled, []);
});

test('folio_add_new_anon_rmap(…, RMAP_EXCLUSIVE) makes the folio an exclusive anonymous page: mapping it writable keeps COW isolation', async () => {
  const source = `static void map_new_anon(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct folio *folio)
{
	pte_t entry = mk_pte(&folio->page, vma->vm_page_prot);

	if (!(vma->vm_flags & VM_WRITE))
		return;
	entry = pte_mkwrite(pte_mkdirty(entry), vma);
	folio_add_new_anon_rmap(folio, vma, addr, RMAP_EXCLUSIVE);
	set_pte_at(vma->vm_mm, addr, ptep, entry);
}
`;
  assert.deepEqual(await findings(source), []);
  const shared = source.replace('RMAP_EXCLUSIVE', 'RMAP_NONE');
  assert.deepEqual(await findings(shared), [['cow-writable', 'map_new_anon', lineOf(shared, 'set_pte_at')]]);
});

test('a swap bit cleared on purpose (pte_swp_clear_uffd_wp when resolving) is not lost by the conversion that came before it; forgetting to carry it is', async () => {
  const downgrade = (carry: string) => `static void downgrade_private(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, bool uffd_wp_resolve)
{
	pte_t oldpte = ptep_get(ptep);
	softleaf_t entry = softleaf_from_pte(oldpte);
	pte_t newpte;

	if (!softleaf_is_device_private_write(entry))
		return;
	entry = make_readable_device_private_entry(swp_offset(entry));
	newpte = softleaf_to_pte(entry);
${carry}	if (uffd_wp_resolve)
		newpte = pte_swp_clear_uffd_wp(newpte);
	set_pte_at(vma->vm_mm, addr, ptep, newpte);
}
`;
  assert.deepEqual(await findings(downgrade('\tif (pte_swp_uffd_wp(oldpte))\n\t\tnewpte = pte_swp_mkuffd_wp(newpte);\n')), []);
  const forgotten = downgrade('');
  assert.deepEqual(await findings(forgotten), [['bit-lost-on-conversion', 'downgrade_private', lineOf(forgotten, 'set_pte_at')]]);
});

test('an entry made clean on purpose (pte_mkclean) is installed without losing dirt by accident; a fresh entry in its place loses it', async () => {
  const source = `static void clean_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t entry = ptep_clear_flush(vma, addr, ptep);

	entry = pte_wrprotect(entry);
	entry = pte_mkclean(entry);
	set_pte_at(vma->vm_mm, addr, ptep, entry);
}
`;
  assert.deepEqual(await findings(source, 'dirty-lost'), []);
  const replaced = source.replace('entry = pte_mkclean(entry);', 'entry = mk_pte(page, vma->vm_page_prot);');
  assert.deepEqual(await findings(replaced, 'dirty-lost'), [['dirty-lost', 'clean_one', lineOf(replaced, 'set_pte_at')]]);
});

test('a write migration entry replaced a writable entry: restored writable, it is in a VM_WRITE VMA, and dirty (its folio too) where the VMA wants write notification', async () => {
  const restore = (test: string) => `static void restore_migration(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct folio *folio, struct page *page)
{
	pte_t old = ptep_get(ptep);
	softleaf_t entry = softleaf_from_pte(old);
	pte_t pte;

	if (!softleaf_is_migration(entry))
		return;
	pte = pte_mkold(mk_pte(page, vma->vm_page_prot));
	if (pte_swp_soft_dirty(old))
		pte = pte_mksoft_dirty(pte);
	if (folio_test_dirty(folio) && softleaf_is_migration_dirty(entry))
		pte = pte_mkdirty(pte);
	if (${test}(entry))
		pte = pte_mkwrite(pte, vma);
	set_pte_at(vma->vm_mm, addr, ptep, pte);
}
`;
  const rules = ['write-without-vm-write', 'writenotify-bypass'];
  const found = async (text: string) => (await findings(text)).filter(([rule]) => rules.includes(rule as string));
  assert.deepEqual(await found(restore('softleaf_is_migration_write')), []);
  // a read migration entry may stand for a read-only entry of any VMA
  const any = restore('softleaf_is_migration');
  assert.deepEqual(await found(any), rules.map((rule) => [rule, 'restore_migration', lineOf(any, 'set_pte_at')]));
});

test('write permission removed after an atomic clear (ptep_get_and_clear) is not a non-atomic write-protect', async () => {
  const source = `static void protect_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t entry = ptep_get_and_clear(vma->vm_mm, addr, ptep);

	set_pte_at(vma->vm_mm, addr, ptep, pte_wrprotect(entry));
	flush_tlb_page(vma, addr);
}
`;
  assert.deepEqual(await findings(source), []);
  const inPlace = source.replace('ptep_get_and_clear(vma->vm_mm, addr, ptep)', 'ptep_get(ptep)');
  assert.deepEqual(await findings(inPlace), [['nonatomic-wrprotect', 'protect_one', lineOf(inPlace, 'set_pte_at')]]);
});

test("two VMAs' flags compared under a mask agree on each flag of it: a move between VMAs of equal access flags writes into a VM_WRITE one", async () => {
  const move = (check: string) => `static int move_one(struct vm_area_struct *src_vma, struct vm_area_struct *dst_vma, unsigned long addr, pte_t *dst_pte, struct folio *folio)
{
${check}	if (!(src_vma->vm_flags & VM_WRITE))
		return -EINVAL;
	set_pte_at(dst_vma->vm_mm, addr, dst_pte, pte_mkwrite(pte_mkdirty(folio_mk_pte(folio, dst_vma->vm_page_prot)), dst_vma));
	return 0;
}
`;
  const unchecked = move('');
  assert.deepEqual(await findings(unchecked, 'write-without-vm-write'), [['write-without-vm-write', 'move_one', lineOf(unchecked, 'set_pte_at')]]);
  assert.deepEqual(await findings(move('\tif ((src_vma->vm_flags & VM_ACCESS_FLAGS) != (dst_vma->vm_flags & VM_ACCESS_FLAGS))\n\t\treturn -EINVAL;\n'), 'write-without-vm-write'), []);
  // another mask says nothing of VM_WRITE
  const locked = move('\tif ((src_vma->vm_flags & VM_LOCKED) != (dst_vma->vm_flags & VM_LOCKED))\n\t\treturn -EINVAL;\n');
  assert.deepEqual(await findings(locked, 'write-without-vm-write'), [['write-without-vm-write', 'move_one', lineOf(locked, 'set_pte_at')]]);
});

test('pgtable_supports_soft_dirty() is the profile having soft-dirty: an entry marked under it is marked', async () => {
  const source = `static void install_moved(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct folio *folio)
{
	pte_t pte = folio_mk_pte(folio, vma->vm_page_prot);

	if (pgtable_supports_soft_dirty())
		pte = pte_mksoft_dirty(pte);
	set_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(pte, vma));
}
`;
  assert.deepEqual(await findings(source, 'softdirty-bypass'), []);
  const unmarked = source.replace('\tif (pgtable_supports_soft_dirty())\n\t\tpte = pte_mksoft_dirty(pte);\n', '');
  assert.deepEqual(await findings(unmarked, 'softdirty-bypass'), [['softdirty-bypass', 'install_moved', lineOf(unmarked, 'set_pte_at')]]);
});
