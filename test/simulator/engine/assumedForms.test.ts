// A helper for some forms only (pmd_clear_uffd_wp() is for present entries) applied to an entry
// whose form the path does not know makes the engine assume the entry has one of those forms. When
// the code then tests the entry for another form, it did not know either: the helper ran on what
// may be a migration entry, whose uffd-wp and soft-dirty live in other bits (installs.ts
// checkAssumedForm). Code that tests the form first, or never doubts it, is not reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

async function misapplied(source: string) {
  const analysis = analyzeDocument(await testParser(), source, { path: 'x.c', profile: 'x86_64@6.19' });
  return analysis.findings.filter((f) => f.rule === 'bit-lost-on-conversion' && f.message.includes('is applied to an entry')).map((f) => [f.function, f.range.start.line]);
}

const copyOne = (body: string) => `void copy_one(struct vm_area_struct *dst_vma, unsigned long addr, pmd_t *dst_pmd, pmd_t *src_pmd)
{
	pmd_t pmd = pmdp_get(src_pmd);

${body}
	set_pmd_at(dst_vma->vm_mm, addr, dst_pmd, pmd);
}
`;

test('a present-entry helper applied before the code tests whether the entry is present is reported where it is applied', async () => {
  const early = copyOne(`	if (!userfaultfd_wp(dst_vma))
		pmd = pmd_clear_uffd_wp(pmd);
	if (pmd_present(pmd))
		pmd = pmd_wrprotect(pmd);`);
  assert.deepEqual(await misapplied(early), [['copy_one', lineOf(early, 'pmd = pmd_clear_uffd_wp(pmd)')]]);
});

test('the same helpers after the form is known, each on the form it is for, are not', async () => {
  const tested = copyOne(`	if (pmd_present(pmd)) {
		pmd = pmd_wrprotect(pmd);
		if (!userfaultfd_wp(dst_vma))
			pmd = pmd_clear_uffd_wp(pmd);
	} else if (!userfaultfd_wp(dst_vma)) {
		pmd = pmd_swp_clear_uffd_wp(pmd);
	}`);
  assert.deepEqual(await misapplied(tested), []);
  // a helper applied where the code never doubts the form keeps the engine's assumption quietly
  assert.deepEqual(await misapplied(copyOne('	pmd = pmd_wrprotect(pmd_clear_uffd_wp(pmd));')), []);
});
