// Function summaries: a callee is analysed once, and what it does — to the entries, slots and
// flags it is given — is applied at each call with the caller's facts. A hazard that depends
// on what the caller passes is judged at the call; only a function nothing calls reports what
// is left, and says what its caller would have to pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { lowerText } from '../../../server/src/lowering';
import { analyzeUnitWithSummaries, type FunctionSummary } from '../../../simulator/src';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

const installer = `static void install_entry(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pte_t pte)
{
	set_pte_at(vma->vm_mm, addr, ptep, pte);
}
`;

test('a hazard in a callee that installs what it is given is judged at each call, with that caller\'s entry', async () => {
  const clean = `${installer}
static void protect(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t pte = ptep_get_and_clear(vma->vm_mm, addr, ptep);

	install_entry(vma, addr, ptep, pte_mkuffd_wp(pte));
}
`;
  const parser = await testParser();
  assert.deepEqual(analyzeDocument(parser, clean, { path: 'clean.c', profile: 'x86_64@6.19' }).findings, []);

  const buggy = clean.replace('install_entry(vma, addr, ptep, pte_mkuffd_wp(pte));', 'install_entry(vma, addr, ptep, pte_mkwrite(pte_mkuffd_wp(pte), vma));');
  const findings = analyzeDocument(parser, buggy, { path: 'buggy.c', profile: 'x86_64@6.19' }).findings.filter((f) => f.rule === 'uffd-wp-writable');
  assert.equal(findings.length, 1);
  const [finding] = findings;
  // where it happens: the install in the callee, reached through the caller's call
  assert.equal(finding!.range.start.line, lineOf(buggy, 'set_pte_at'));
  assert.equal(finding!.function, 'install_entry');
  assert.deepEqual(finding!.via?.map((step) => [step.function, step.range.start.line, step.callee]), [['protect', lineOf(buggy, 'install_entry(vma, addr'), 'install_entry']]);
  assert.equal(finding!.severity, 'error');
});

test('a pointer to a local copy is a value: writing through it installs nothing', async () => {
  const source = `static void mark_writable(pte_t *ptentp, struct vm_area_struct *vma)
{
	*ptentp = pte_mkwrite(*ptentp, vma);
}

static int count_writable(struct vm_area_struct *vma, pte_t *ptep)
{
	pte_t ptent = ptep_get(ptep);

	mark_writable(&ptent, vma);
	return pte_write(ptent);
}

static void make_writable(struct vm_area_struct *vma, pte_t *ptep)
{
	mark_writable(ptep, vma);
}
`;
  const analysis = analyzeDocument(await testParser(), source, { path: 'copies.c', profile: 'x86_64@6.19' });
  // only the caller that passes the page-table slot itself gets the callee's install
  const reached = new Set(analysis.findings.map((f) => f.via?.[0]?.function));
  assert.deepEqual([...reached], ['make_writable']);
  assert.ok(analysis.findings.some((f) => f.rule === 'write-without-vm-write' && f.range.start.line === lineOf(source, '*ptentp = ')));
});

test('a function no one calls reports a hazard that needs a particular argument with that condition, one severity lower', async () => {
  const root = `void set_entry(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, bool writable)
{
	pte_t pte = ptep_get(ptep);

	if (writable)
		pte = pte_mkwrite(pte, vma);
	set_pte_at(vma->vm_mm, addr, ptep, pte);
}
`;
  const parser = await testParser();
  const alone = analyzeDocument(parser, root, { path: 'root.c', profile: 'x86_64@6.19' }).findings.find((f) => f.rule === 'write-without-vm-write');
  assert.ok(alone);
  assert.equal(alone.severity, 'warning');
  assert.equal(alone.condition, 'if the caller passes writable');

  // A caller in the file that passes only what the VMA allows: nothing is left to report.
  const called = `${root}
void restore_entry(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	set_entry(vma, addr, ptep, vma->vm_flags & VM_WRITE);
}
`;
  const findings = analyzeDocument(parser, called, { path: 'called.c', profile: 'x86_64@6.19' }).findings;
  assert.deepEqual(findings.filter((f) => f.rule === 'write-without-vm-write'), []);
});

test('a write-protect left unflushed by a callee is owed to its caller, and checked at the caller\'s unlock', async () => {
  const source = `static void protect_one(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	ptep_set_wrprotect(mm, addr, ptep);
}

static void protect_range(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);

	protect_one(vma->vm_mm, addr, ptep);
	pte_unmap_unlock(ptep, ptl);
}
`;
  const parser = await testParser();
  const findings = analyzeDocument(parser, source, { path: 'flush.c', profile: 'x86_64@6.19' }).findings;
  assert.deepEqual(findings.map((f) => [f.rule, f.function, f.range.start.line]), [['stale-tlb', 'protect_range', lineOf(source, 'pte_unmap_unlock')]]);
  const flushed = source.replace('\tpte_unmap_unlock(ptep, ptl);', '\tflush_tlb_range(vma, addr, addr + PAGE_SIZE);\n\tpte_unmap_unlock(ptep, ptl);');
  assert.deepEqual(analyzeDocument(parser, flushed, { path: 'flush.c', profile: 'x86_64@6.19' }).findings, []);
});

test('a downgrade goes stale where the lock it was made under is dropped, not again at later unlocks', async () => {
  const source = `static void protect_range(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);

	ptep_set_wrprotect(vma->vm_mm, addr, ptep);
	pte_unmap_unlock(ptep, ptl);
}

static void protect_then_walk(struct vm_area_struct *vma, pmd_t *pmd, pmd_t *other, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep;

	protect_range(vma, pmd, addr);
	ptep = pte_offset_map_lock(vma->vm_mm, other, addr, &ptl);
	pte_unmap_unlock(ptep, ptl);
}
`;
  const findings = analyzeDocument(await testParser(), source, { path: 'stale.c', profile: 'x86_64@6.19' }).findings;
  assert.deepEqual(findings.map((f) => [f.rule, f.function, f.range.start.line]), [['stale-tlb', 'protect_range', lineOf(source, 'pte_unmap_unlock')]]);
});

test('a downgrade made under one page-table lock is judged where that lock is dropped, not at a lock taken and dropped inside it', async () => {
  const walker = `static void peek_pmd(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *ptl = pmd_lock(mm, pmd);

	spin_unlock(ptl);
}
`;
  const protect = (flush: string) => `${walker}
static void protect_and_peek(struct vm_area_struct *vma, pmd_t *pmd, pmd_t *other, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);

	ptep_set_wrprotect(vma->vm_mm, addr, ptep);
	peek_pmd(vma->vm_mm, other);
${flush}	pte_unmap_unlock(ptep, ptl);
}
`;
  const parser = await testParser();
  const flushed = protect('\tflush_tlb_page(vma, addr);\n');
  assert.deepEqual(analyzeDocument(parser, flushed, { path: 'nested.c', profile: 'x86_64@6.19' }).findings, []);
  const unflushed = protect('');
  const findings = analyzeDocument(parser, unflushed, { path: 'nested.c', profile: 'x86_64@6.19' }).findings;
  assert.deepEqual(findings.map((f) => [f.rule, f.function, f.range.start.line]), [['stale-tlb', 'protect_and_peek', lineOf(unflushed, 'pte_unmap_unlock')]]);
});

test('an entry a callee reads through a pointer the caller cannot see the type of is still an entry of the VMA the caller passes', async () => {
  const source = `struct move_ctl {
	struct vm_area_struct *src;
	unsigned long addr;
};

static void move_one(struct vm_area_struct *vma, unsigned long addr, pmd_t *from, pmd_t *to)
{
	pmd_t pmd = pmdp_huge_get_and_clear(vma->vm_mm, addr, from);

	set_pmd_at(vma->vm_mm, addr, to, pmd);
	flush_pmd_tlb_range(vma, addr, addr + PMD_SIZE);
}

void move_entry(struct move_ctl *ctl, void *from, void *to)
{
	move_one(ctl->src, ctl->addr, from, to);
}
`;
  // what was in the source slot kept the kernel's invariants there, so it keeps them where it is moved
  assert.deepEqual(analyzeDocument(await testParser(), source, { path: 'move.c', profile: 'x86_64@6.19' }).findings, []);
});

test('a slot handed on as it was read belongs to the VMA the callee is given with it: a function of two VMAs passes the source one', async () => {
  const source = `static void copy_one(struct vm_area_struct *vma, unsigned long addr, pud_t *dst, pud_t *src)
{
	pud_t pud = *src;

	if (!pud_trans_huge(pud))
		return;
	set_pud_at(vma->vm_mm, addr, dst, pud_mkold(pud));
}

void copy_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma, p4d_t *dst_p4d, p4d_t *src_p4d, unsigned long addr)
{
	pud_t *src = pud_offset(src_p4d, addr);
	pud_t *dst = pud_offset(dst_p4d, addr);

	copy_one(src_vma, addr, dst, src);
}
`;
  assert.deepEqual(analyzeDocument(await testParser(), source, { path: 'copy.c', profile: 'x86_64@6.19' }).findings, []);
  // handed on again by a function of two VMAs that was given the slot itself
  const relayed = source.replace(
    'void copy_range',
    'static void copy_pair(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma, unsigned long addr, pud_t *dst, pud_t *src)\n{\n\tcopy_one(src_vma, addr, dst, src);\n}\n\nvoid copy_range',
  ).replace(/\tcopy_one\(src_vma, addr, dst, src\);\n\}\n$/, '\tcopy_pair(dst_vma, src_vma, addr, dst, src);\n}\n');
  assert.match(relayed, /copy_pair\(dst_vma/);
  assert.deepEqual(analyzeDocument(await testParser(), relayed, { path: 'copy.c', profile: 'x86_64@6.19' }).findings, []);
  // an entry the caller changed before handing it on is judged as it is
  const changed = source.replace('\tcopy_one(src_vma', '\tset_pud_at(src_vma->vm_mm, addr, src, pud_mkwrite(*src));\n\tcopy_one(src_vma');
  assert.ok(analyzeDocument(await testParser(), changed, { path: 'copy.c', profile: 'x86_64@6.19' }).findings.some((f) => f.rule === 'write-without-vm-write'));
});

test('after a callee hands the slot to a function the engine does not know, the caller no longer knows what the slot held: a store there is not judged against it', async () => {
  const source = (stash: string) => `static void stash_table(struct mm_struct *mm, pmd_t *pmd, pmd_t entry)
{
	${stash};
}

static void install_huge(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, struct page *page)
{
	spinlock_t *ptl = pmd_lock(vma->vm_mm, pmd);

	if (!pmd_none(*pmd)) {
		spin_unlock(ptl);
		return;
	}
	stash_table(vma->vm_mm, pmd, pmd_mkhuge(mk_pmd(page, vma->vm_page_prot)));
	set_pmd_at(vma->vm_mm, addr, pmd, pmd_mkhuge(mk_pmd(page, vma->vm_page_prot)));
	spin_unlock(ptl);
}
`;
  const parser = await testParser();
  const stale = (text: string) => analyzeDocument(parser, text, { path: 'huge.c', profile: 'x86_64@6.19' }).findings.filter((f) => f.rule === 'stale-tlb');
  assert.deepEqual(stale(source('deposit_table(mm, pmd)')), []);
  // a callee that writes a writable huge entry there: the caller's store replaces it with a read-only one
  const written = source('set_pmd_at(mm, 0, pmd, pmd_mkwrite_novma(entry))');
  const lastUnlock = written.split('\n').lastIndexOf('\tspin_unlock(ptl);');
  assert.deepEqual(stale(written).map((f) => [f.function, f.range.start.line]), [['install_huge', lastUnlock]]);
});

test('a summary is plain data: taken through JSON, it gives the caller the same findings', async () => {
  const parser = await testParser();
  const callee = lowerText(parser, installer);
  const [result] = analyzeUnitWithSummaries(callee, { profile: 'x86_64@6.19' });
  const summary = JSON.parse(JSON.stringify(result!.summary)) as FunctionSummary;
  assert.equal(summary.name, 'install_entry');
  assert.ok(summary.obligations.length > 0, 'installing what it is given is an obligation on its caller');

  const caller = lowerText(parser, `static void restore(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t pte = ptep_get(ptep);

	install_entry(vma, addr, ptep, pte_mkwrite(pte_mkuffd_wp(pte), vma));
}
`);
  const [applied] = analyzeUnitWithSummaries(caller, { profile: 'x86_64@6.19', summaries: { get: (name) => (name === 'install_entry' ? summary : undefined) } });
  assert.ok(applied!.analysis.findings.some((f) => f.rule === 'uffd-wp-writable' && f.function === 'install_entry'));
});

test('a large callee is summarised like a small one: its effect on the caller\'s slot is not lost', async () => {
  const branches = Array.from({ length: 30 }, (_, i) => `\tif (flags & ${1 << (i % 16)})\n\t\tcount += ${i};`).join('\n');
  const source = `static int touch_entry(struct vm_area_struct *vma, pte_t *ptep, unsigned long flags)
{
	int count = 0;

${branches}
	ptep_set_wrprotect(vma->vm_mm, 0, ptep);
	return count;
}

static void caller(struct vm_area_struct *vma, pte_t *ptep, unsigned long flags, spinlock_t *ptl)
{
	touch_entry(vma, ptep, flags);
	spin_unlock(ptl);
}
`;
  const analysis = analyzeDocument(await testParser(), source, { path: 'large.c', profile: 'x86_64@6.19' });
  const caller = analysis.functions.find((f) => f.name === 'caller')!;
  assert.deepEqual(caller.boundsHit, []);
  assert.deepEqual(analysis.findings.map((f) => [f.rule, f.function]), [['stale-tlb', 'caller']]);
});

test("a summary whose entries' invariants grow too large keeps each entry's own: the callee is still summarised and judged at its calls", async () => {
  // A callee that reads its slot again after each unknown call: every read is a new entry
  // whose invariant mentions the VMA's facts. With no room for their conjunction, each keeps
  // its own; the caller still judges the callee's install with its own facts.
  const source = `static void rewrite(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t pte = ptep_get(ptep);

	flush_cache_page(vma, addr, pte_pfn(pte));
	pte = ptep_get(ptep);
	if (pte_young(pte)) {
		arch_enter_lazy_mmu_mode(ptep);
		pte = ptep_get(ptep);
	}
	set_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(pte, vma));
}

static void restore(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	if (userfaultfd_wp(vma))
		return;
	rewrite(vma, addr, ptep);
}
`;
  const parser = await testParser();
  const unit = lowerText(parser, source);
  const exact = analyzeUnitWithSummaries(unit, { profile: 'x86_64@6.19' });
  const tight = analyzeUnitWithSummaries(unit, { profile: 'x86_64@6.19', bounds: { maxSummaryInvariantNodes: 1 } });
  const callee = tight.find((r) => r.analysis.name === 'rewrite')!;
  assert.ok(callee.summary, 'still summarised');
  assert.ok(callee.analysis.boundsHit.some((b) => b.includes('too large to keep for its callers')));
  assert.ok(!exact.find((r) => r.analysis.name === 'rewrite')!.analysis.boundsHit.some((b) => b.includes('too large')));
  // the caller rules uffd-wp out either way; only the callee's own VMA-free hazards remain
  const rules = (results: typeof exact) => results.flatMap((r) => r.analysis.findings.map((f) => f.rule)).sort();
  assert.ok(!rules(tight).includes('uffd-wp-writable'));
  assert.deepEqual(rules(tight), rules(exact));
});
