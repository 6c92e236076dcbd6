// Paths that meet again. At a join point, paths that leave the same state go on as one, so a
// run of independent tests costs a few paths, not one per combination; an opaque condition is
// one unknown for every path that meets it where it is written, so a path merged there stays
// consistent when the condition is tested again. A callee's paths meet in its summary: what it
// returns (a condition, a pointer or NULL) is chosen per path, so each of the caller's branches
// gets exactly the callee's paths that lead there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

async function analyze(source: string) {
  return analyzeDocument(await testParser(), source, { path: 'x.c', profile: 'x86_64@6.19' });
}

test('independent tests in a row merge back at each join: twelve of them make two paths, not 4096', async () => {
  const tests = Array.from({ length: 12 }, (_, i) => `\tif (vma->nr_hint_${i})\n\t\tnr++;`).join('\n');
  const source = `static int protect_counted(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	int nr = 0;

${tests}
	ptep_set_wrprotect(vma->vm_mm, addr, ptep);
	return nr;
}
`;
  const [fn] = (await analyze(source)).functions;
  assert.deepEqual(fn!.boundsHit, []);
  // nr is zero, or it is not
  assert.equal(fn!.paths.length, 2);
});

test('an opaque condition is one unknown where it is written: paths merged after it agree when it is tested again', async () => {
  const source = `static void age_or_protect(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, bool young)
{
	pte_t entry = ptep_get(ptep);

	if (young)
		entry = pte_mkyoung(entry);
	if (vma->anon_vma)
		entry = pte_wrprotect(ptep_get(ptep));
	if (vma->anon_vma)
		ptep_set_wrprotect(vma->vm_mm, addr, ptep);
	else
		set_pte_at(vma->vm_mm, addr, ptep, entry);
}
`;
  // the write-protected entry is never stored: where it was built, the second test takes the atomic helper
  const analysis = await analyze(source);
  assert.deepEqual(analysis.findings.map((f) => [f.rule, f.function, f.range.start.line]), []);
  assert.equal(analysis.functions[0]!.paths.length, 3);
});

test('an integer a callee returns is a condition for its caller: its error return (-EINVAL) reaches the caller\'s branch', async () => {
  const source = `static int validate_writable(struct vm_area_struct *vma)
{
	if (!(vma->vm_flags & VM_WRITE))
		return -EINVAL;
	return 0;
}

static void make_writable(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t entry = ptep_get(ptep);

	if (validate_writable(vma))
		return;
	set_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(entry, vma));
}
`;
  const written = async (text: string) => (await analyze(text)).findings.filter((f) => f.rule === 'write-without-vm-write').map((f) => [f.function, f.range.start.line]);
  assert.deepEqual(await written(source), []);
  // a check of something else lets a VMA without VM_WRITE through
  const other = source.replace('VM_WRITE))', 'VM_READ))');
  assert.deepEqual(await written(other), [['make_writable', lineOf(other, 'set_pte_at')]]);
});

test('a result a callee decides by what only it knows (a pointer or NULL, a bool) leaves the caller both branches, each with its own paths', async () => {
  const source = `static spinlock_t *lock_anon_table(struct vm_area_struct *vma, pmd_t *pmd)
{
	if (!vma->anon_vma)
		return NULL;
	return pmd_lock(vma->vm_mm, pmd);
}

static bool vma_is_busy(struct vm_area_struct *vma)
{
	if (vma->vm_private_data)
		return true;
	return false;
}

static void write_unlocked(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmd, pte_t *ptep)
{
	spinlock_t *ptl = lock_anon_table(vma, pmd);

	if (!ptl) {
		set_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(ptep_get(ptep), vma));
		return;
	}
	spin_unlock(ptl);
}

static void write_idle(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	if (vma_is_busy(vma))
		return;
	set_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(ptep_get(ptep), vma));
}
`;
  const analysis = await analyze(source);
  const decisions = (name: string) => analysis.functions.find((f) => f.name === name)!.paths.map((path) => path.decisions.map((d) => [d.text, d.taken]));
  assert.deepEqual(decisions('write_unlocked'), [[['!ptl', false]], [['!ptl', true]]]);
  assert.deepEqual(decisions('write_idle'), [[['vma_is_busy(vma)', false]], [['vma_is_busy(vma)', true]]]);
  // the install on the branch the callee's NULL (or false) leads to is judged
  const written = analysis.findings.filter((f) => f.rule === 'write-without-vm-write').map((f) => [f.function, f.range.start.line]);
  const [unlocked, idle] = source.split('\n').flatMap((line, i) => (line.includes('set_pte_at') ? [i] : []));
  assert.deepEqual(written, [['write_unlocked', unlocked], ['write_idle', idle]]);
});
