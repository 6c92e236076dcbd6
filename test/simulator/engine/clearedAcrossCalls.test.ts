// A bit the caller cleared on purpose (pte_clear_uffd_wp() when resolving write protection) is
// cleared on purpose in the callee that installs the entry too: whether the entry a function is
// given lacks a bit by design is its caller's to say (an input of the summary, `param-cleared`).
// An entry the caller built without the bit by other means is still reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const source = (caller: string) => `static void commit_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pte_t oldpte, pte_t ptent)
{
	ptep_modify_prot_commit(vma, addr, ptep, oldpte, ptent);
}

void change_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct page *page)
{
	pte_t oldpte = ptep_modify_prot_start(vma, addr, ptep);

	if (!pte_present(oldpte))
		return;
	commit_one(vma, addr, ptep, oldpte, ${caller});
}
`;

async function bitLost(text: string) {
  const analysis = analyzeDocument(await testParser(), text, { path: 'x.c', profile: 'x86_64@6.19' });
  return analysis.findings.filter((f) => f.rule === 'bit-lost-on-conversion').map((f) => [f.function, (f.via ?? []).map((step) => step.function)]);
}

test('an entry whose uffd-wp the caller resolved on purpose is no loss where the callee installs it', async () => {
  assert.deepEqual(await bitLost(source('pte_clear_uffd_wp(pte_modify(oldpte, vma->vm_page_prot))')), []);
  assert.deepEqual(await bitLost(source('pte_mkwrite(pte_clear_uffd_wp(oldpte), vma)')), []);
});

test('an entry the caller built afresh, without the uffd-wp of the one it replaces, is a loss found through the call', async () => {
  assert.deepEqual(await bitLost(source('pte_wrprotect(mk_pte(page, vma->vm_page_prot))')), [['commit_one', ['change_one']]]);
});
