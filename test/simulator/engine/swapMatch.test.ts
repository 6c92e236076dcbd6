// Matching a slot against a swap entry (swapoff's pte_same_as_swp()): the slot holds that swap
// entry, whatever carry bits it added, so it is not a present entry. Bringing the page back then
// converts a swap entry into a present one, and only the carry bits can be lost on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

/** [rule, line] of each finding. */
async function findings(source: string, profile: string) {
  const analysis = await analyzeDocument(await testParser(), source, { path: 'x.c', profile });
  return analysis.findings.map((f) => [f.rule, f.range.start.line]).sort();
}

const bringBack = (carry: string) => `static int bring_back(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr,
		      swp_entry_t entry, struct page *page)
{
	spinlock_t *ptl;
	pte_t *ptep, fresh;

	ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	if (!pte_same_as_swp(ptep_get(ptep), swp_entry_to_pte(entry))) {
		pte_unmap_unlock(ptep, ptl);
		return 0;
	}
	fresh = mk_pte(page, vma->vm_page_prot);
${carry}	set_pte_at(vma->vm_mm, addr, ptep, fresh);
	pte_unmap_unlock(ptep, ptl);
	return 1;
}
`;

const CARRY_SOFT_DIRTY = '\tif (pte_swp_soft_dirty(ptep_get(ptep)))\n\t\tfresh = pte_mksoft_dirty(fresh);\n';
const CARRY_UFFD_WP = '\tif (pte_swp_uffd_wp(ptep_get(ptep)))\n\t\tfresh = pte_mkuffd_wp(fresh);\n';

test('a slot that pte_same_as_swp() matched with a swap entry holds a swap entry: no live entry is replaced', async () => {
  // 5.17: no PTE markers yet, so the swap entry is a real one; carrying both bits leaves nothing
  assert.deepEqual(await findings(bringBack(CARRY_SOFT_DIRTY + CARRY_UFFD_WP), 'x86_64@5.17'), []);
});

test('bringing a matched swap entry back without its carry bits loses them', async () => {
  for (const [carry, lost] of [['', 'both'], [CARRY_SOFT_DIRTY, 'uffd-wp'], [CARRY_UFFD_WP, 'soft-dirty']]) {
    const source = bringBack(carry!);
    assert.deepEqual(await findings(source, 'x86_64@5.17'), [['bit-lost-on-conversion', lineOf(source, 'set_pte_at')]], `${lost} lost`);
  }
});

test('before 5.13 pte_same_as_swp() ignored only soft-dirty: a slot whose swap entry has uffd-wp does not match', async () => {
  // at 5.12 a uffd-wp swap entry is never brought back here, so not carrying uffd-wp loses nothing
  assert.deepEqual(await findings(bringBack(CARRY_SOFT_DIRTY), 'x86_64@5.12'), []);
  assert.deepEqual((await findings(bringBack(CARRY_UFFD_WP), 'x86_64@5.12')).map(([rule]) => rule), ['bit-lost-on-conversion']);
});
