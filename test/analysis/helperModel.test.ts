// Code that lives in a kernel tree is analysed with the helpers of the tree's headers: the toy
// tree's pmd_modify drops a writable PMD's dirt, as x86 did in 6.6–6.19, and a copy whose
// pmd_modify keeps it makes the same mprotect-style code clean, where the built-in table (the
// 6.19 row) still reports it. Helpers the tree does not give fall back to the table, with the
// reason; an edited header makes a new model, which the function cache does not confuse with
// the old one.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeDocument, type DocumentOptions } from '../../server/src/analysis/analyzeDocument';
import { FunctionCache } from '../../server/src/analysis/functionCache';
import { forgetTree } from '../../server/src/headers/deriveFromTree';
import { testParser } from '../helpers/parser';
import { KEEPS_DIRT, PROTECT_HUGE, editFile, toyTreeCopy } from '../helpers/toyTreeCopy';


async function analyseIn(root: string, options: DocumentOptions = {}) {
  const path = join(root, 'mm', 'huge.c');
  return analyzeDocument(await testParser(), readFileSync(path, 'utf8'), { path, diskPath: path, detail: 'findings', ...options });
}

const rules = (analysis: { readonly findings: readonly { readonly rule: string }[] }) => [...new Set(analysis.findings.map((f) => f.rule))].sort();

test('in a tree, the tree\'s pmd_modify is the model: dropping dirt is found, keeping it is clean', async () => {
  const root = toyTreeCopy({ 'mm/huge.c': PROTECT_HUGE });
  const dropping = await analyseIn(root);
  assert.equal(dropping.model?.kind, 'derived');
  assert.match(dropping.model!.reason, /derived from the headers of .* for x86_64@6\.19/);
  assert.deepEqual(rules(dropping), ['dirty-lost']);

  const fixed = toyTreeCopy({ 'mm/huge.c': PROTECT_HUGE });
  editFile(fixed, 'arch/x86/include/asm/pgtable.h', ...KEEPS_DIRT);
  assert.deepEqual(rules(await analyseIn(fixed)), []);
  const builtin = await analyseIn(fixed, { helperModel: 'builtin' });
  assert.equal(builtin.model?.kind, 'builtin');
  assert.deepEqual(rules(builtin), ['dirty-lost'], 'the 6.19 table drops the dirt whatever the tree says');
});

test('helpers the tree does not give are the built-in rows, each with the reason', async () => {
  const root = toyTreeCopy({ 'mm/huge.c': PROTECT_HUGE });
  const model = (await analyseIn(root)).model!;
  assert.ok(model.derivedHelpers! > 10);
  const why = new Map(model.builtinHelpers!.map((h) => [h.name, h.reason]));
  assert.match(why.get('pmd_mkwrite')!, /no definition in the headers read/);
  assert.match(why.get('pte_swp_uffd_wp_any')!, /non-present/);
  assert.ok(!why.has('pmd_modify'));
});

test('a profile of another version than the tree, or no tree, is analysed with the tables', async () => {
  const root = toyTreeCopy({ 'mm/huge.c': PROTECT_HUGE });
  const older = await analyseIn(root, { profile: 'x86_64@6.1', profileGivenBy: 'flag' });
  assert.equal(older.model?.kind, 'builtin');
  assert.match(older.model!.reason, /profile is x86_64@6\.1, the tree .* is 6\.19/);
  const loose = await analyzeDocument(await testParser(), PROTECT_HUGE, { path: 'huge.c' });
  assert.equal(loose.model?.kind, 'builtin');
  assert.match(loose.model!.reason, /not in a kernel tree/);
});

test('an edited header is a new model: the cached analysis of unchanged code is not reused', async () => {
  const root = toyTreeCopy({ 'mm/huge.c': PROTECT_HUGE });
  const cache = new FunctionCache();
  const before = await analyseIn(root, { cache });
  assert.deepEqual(rules(before), ['dirty-lost']);
  editFile(root, 'arch/x86/include/asm/pgtable.h', ...KEEPS_DIRT);
  forgetTree(root);
  const after = await analyseIn(root, { cache });
  assert.notEqual(after.model?.headers, before.model?.headers);
  assert.deepEqual(rules(after), []);
});

test('a helper the tables do not have is its definition in a tree, and an unknown call without one', async () => {
  const code = PROTECT_HUGE.replace('pmd_modify(old, vma->vm_page_prot)', 'pmd_toy_reprotect(old, vma->vm_page_prot)');
  const root = toyTreeCopy({ 'mm/huge.c': code });
  assert.deepEqual(rules(await analyseIn(root)), ['dirty-lost'], 'the dirt pmd_modify drops, through the tree\'s wrapper');
  assert.deepEqual(rules(await analyseIn(root, { helperModel: 'builtin' })), [], 'the tables do not know the wrapper');
});

const PROTECT_ONE = `/* written for mmlens tests */
/* @mm assume vma VM_READ VM_WRITE VM_MAYWRITE; folio anon exclusive; *ptep present W=1 D=1 */
static void protect_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	ptep_set_wrprotect(vma->vm_mm, addr, ptep);
	flush_tlb_page(vma, addr);
}
`;

test('an in-place primitive is the tree\'s definition: a ptep_set_wrprotect that drops hardware dirt is found', async () => {
  const root = toyTreeCopy({ 'mm/huge.c': PROTECT_ONE });
  assert.deepEqual(rules(await analyseIn(root)), []);
  editFile(root, 'arch/x86/include/asm/pgtable.h', 'want = pte_val(pte_wrprotect(__pte(seen)));', 'want = seen & ~(_PAGE_RW | _PAGE_DIRTY);');
  forgetTree(root);
  assert.deepEqual(rules(await analyseIn(root)), ['dirty-lost']);
  assert.deepEqual(rules(await analyseIn(root, { helperModel: 'builtin' })), [], 'the row parks the dirt');
});
