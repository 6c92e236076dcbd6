// A set of flags chosen by a condition (`enable_wp ? MM_CP_UFFD_WP : MM_CP_UFFD_WP_RESOLVE`) is
// exact: each flag is in it where its side was chosen (simulator/src/engine/flagSets.ts). A
// callee given one, or code testing a local that holds one, sees what either side guarantees
// instead of flags that may be anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { testParser } from '../../helpers/parser';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

async function cowWritable(source: string) {
  const analysis = analyzeDocument(await testParser(), source, { path: 'x.c', profile: 'x86_64@6.19' });
  return analysis.findings.filter((f) => f.rule === 'cow-writable').map((f) => [f.function, f.range.start.line, f.condition ?? '']);
}

const changeOne = `static void change_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, unsigned long cp_flags)
{
	pte_t old = ptep_modify_prot_start(vma, addr, ptep);
	pte_t ptent = pte_modify(old, vma->vm_page_prot);

	if (cp_flags & MM_CP_TRY_CHANGE_WRITABLE)
		ptent = pte_mkwrite(ptent, vma);
	ptep_modify_prot_commit(vma, addr, ptep, old, ptent);
}
`;

const caller = (flags: string) => `${changeOne}
void protect_range(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, bool enable_wp)
{
	change_one(vma, addr, ptep, ${flags});
}
`;

test('a callee given a choice between flag sets gets each flag where its side was chosen', async () => {
  // neither side asks for an upgrade: the callee never makes the entry writable
  assert.deepEqual(await cowWritable(caller('enable_wp ? MM_CP_UFFD_WP : 0')), []);
  assert.deepEqual(await cowWritable(caller('enable_wp ? MM_CP_UFFD_WP : MM_CP_UFFD_WP_RESOLVE')), []);
  // one side does: reported under the condition that picks it
  const upgrade = caller('enable_wp ? MM_CP_UFFD_WP : MM_CP_UFFD_WP_RESOLVE | MM_CP_TRY_CHANGE_WRITABLE');
  assert.deepEqual(await cowWritable(upgrade), [['change_one', lineOf(upgrade, 'ptep_modify_prot_commit'), 'if the caller passes !enable_wp']]);
});

test('a local holding a chosen flag set is tested flag by flag, also after more flags are ORed in', async () => {
  const local = (extra: string) => `void protect_range(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, bool enable_wp, bool upgrade)
{
	unsigned long cp_flags = enable_wp ? MM_CP_UFFD_WP : MM_CP_UFFD_WP_RESOLVE;
	pte_t old = ptep_modify_prot_start(vma, addr, ptep);
	pte_t ptent = pte_modify(old, vma->vm_page_prot);

	${extra}
	if (cp_flags & MM_CP_TRY_CHANGE_WRITABLE)
		ptent = pte_mkwrite(ptent, vma);
	ptep_modify_prot_commit(vma, addr, ptep, old, ptent);
}
`;
  assert.deepEqual(await cowWritable(local('')), []);
  const ored = local('cp_flags |= upgrade ? MM_CP_TRY_CHANGE_WRITABLE : 0;');
  assert.deepEqual(await cowWritable(ored), [['protect_range', lineOf(ored, 'ptep_modify_prot_commit'), 'if the caller passes upgrade']]);
});
