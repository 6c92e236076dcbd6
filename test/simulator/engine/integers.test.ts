// Integers compared with constants. `nr == 1` and `nr > 1` cannot both fail for a count of
// pages; a literal is known exactly (`pte + i` with i zero is the slot itself); a callee's test
// of an integer parameter is its caller's test of the argument. Each test pairs the code that
// relies on a fact with code that does not have it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

/** [rule, function, line] of each finding. */
async function findings(source: string) {
  const analysis = await analyzeDocument(await testParser(), source, { path: 'x.c', profile: 'x86_64@6.19' });
  return analysis.findings.map((f) => [f.rule, f.function, f.range.start.line]);
}

// Maps a new folio over entries that must be empty: one entry is checked directly, a range
// of them by a helper that walks `pte + i` from i = 0.
const mapNewFolio = (count: string) => `static bool entries_empty(pte_t *pte, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		if (!pte_none(ptep_get_lockless(pte + i)))
			return false;
	}
	return true;
}

static void map_new_folio(struct vm_fault *vmf, struct folio *folio, pte_t entry)
{
	struct vm_area_struct *vma = vmf->vma;
	int nr = ${count};

	vmf->pte = pte_offset_map_lock(vma->vm_mm, vmf->pmd, vmf->address, &vmf->ptl);
	if (!vmf->pte)
		return;
	if (nr == 1 && !pte_none(ptep_get(vmf->pte)))
		goto unlock;
	else if (nr > 1 && !entries_empty(vmf->pte, nr))
		goto unlock;
	set_ptes(vma->vm_mm, vmf->address, vmf->pte, entry, nr);
unlock:
	pte_unmap_unlock(vmf->pte, vmf->ptl);
}
`;

test('a folio has at least one page: with nr == 1 and nr > 1 both checked, every path has found the entries empty', async () => {
  assert.deepEqual(await findings(mapNewFolio('folio_nr_pages(folio)')), []);
});

test('a number that may be zero or less leaves a path that checks nothing, and it is reported', async () => {
  const source = mapNewFolio('pick_batch(vmf)');
  assert.ok((await findings(source)).some(([rule, fn, line]) => rule === 'dirty-lost' && fn === 'map_new_folio' && line === lineOf(source, 'set_ptes')));
});

test('a literal is known exactly: counted up from one, the count is never below one', async () => {
  const counted = mapNewFolio('1').replace('\tint nr = 1;\n', '\tint nr = 1;\n\n\tif (vmf->flags & FAULT_FLAG_ORIG_PTE_VALID)\n\t\tnr++;\n');
  assert.deepEqual(await findings(counted), []);
});

test("a callee's test of an integer parameter is the caller's test of its argument", async () => {
  // entries_empty() with nr below one returns true having read nothing: only a caller that
  // knows its nr is positive may rely on it
  const source = mapNewFolio('folio_nr_pages(folio)').replace('else if (nr > 1 && ', 'else if (nr != 1 && ');
  assert.deepEqual(await findings(source), []);
  const unknownSign = mapNewFolio('pick_batch(vmf)').replace('else if (nr > 1 && ', 'else if (nr != 1 && ');
  assert.ok((await findings(unknownSign)).some(([rule, , line]) => rule === 'dirty-lost' && line === lineOf(unknownSign, 'set_ptes')));
});
