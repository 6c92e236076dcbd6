// C types → the simulator's types.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { irType, normaliseTypeName } from '../../server/src/lowering';
import { lowerOne } from './helpers';

test('entries, slots, swap entries, protections and context objects', () => {
  const table: Array<[string, number, unknown]> = [
    ['pte_t', 0, { kind: 'entry', level: 'pte' }],
    ['pmd_t', 0, { kind: 'entry', level: 'pmd' }],
    ['pud_t', 0, { kind: 'entry', level: 'pud' }],
    ['pte_t', 1, { kind: 'slot', level: 'pte' }],
    ['pmd_t', 1, { kind: 'slot', level: 'pmd' }],
    ['pud_t', 1, { kind: 'slot', level: 'pud' }],
    ['swp_entry_t', 0, { kind: 'swp' }],
    ['softleaf_t', 0, { kind: 'swp' }],
    ['pgprot_t', 0, { kind: 'prot' }],
    ['struct vm_area_struct', 1, { kind: 'vma' }],
    ['struct vm_fault', 1, { kind: 'vmf' }],
    ['struct folio', 1, { kind: 'folio' }],
    ['struct page', 1, { kind: 'folio' }],
    ['struct mm_struct', 1, { kind: 'mm' }],
    ['spinlock_t', 1, { kind: 'lock' }],
    ['bool', 0, { kind: 'bool' }],
    ['_Bool', 0, { kind: 'bool' }],
    ['int', 0, { kind: 'int' }],
    ['unsigned long', 0, { kind: 'int' }],
    ['long long', 0, { kind: 'int' }],
    ['u64', 0, { kind: 'int' }],
    ['pteval_t', 0, { kind: 'int' }],
    ['pgoff_t', 0, { kind: 'int' }],
    ['vm_fault_t', 0, { kind: 'int' }],
    ['enum pgtable_level', 0, { kind: 'int' }],
    ['const struct vm_area_struct', 1, { kind: 'vma' }],
    ['pte_t', 2, { kind: 'other', text: 'pte_t **' }],
    ['struct folio', 0, { kind: 'other', text: 'struct folio' }],
    ['struct list_head', 1, { kind: 'other', text: 'struct list_head *' }],
    ['void', 0, { kind: 'other', text: 'void' }],
  ];
  for (const [base, pointers, expected] of table) assert.deepEqual(irType(base, pointers), expected, `${base} ${'*'.repeat(pointers)}`);
  assert.deepEqual(irType('pte_t', 0, true), { kind: 'other', text: 'pte_t[]' });
  assert.equal(normaliseTypeName('const  struct /* x */ vm_area_struct'), 'struct vm_area_struct');
});

test('declarators: pointers, arrays, function pointers; return types through pointer declarators', async () => {
  const f = await lowerOne('static struct folio *f(pte_t *ptep, pmd_t pmds[], int (*cb)(pte_t), struct vm_fault *vmf) { pte_t *a, b, **c; return NULL; }');
  assert.deepEqual(f.returnType, { kind: 'folio' });
  assert.deepEqual(
    f.params.map((p) => [p.name, p.type.kind === 'other' ? p.type.text : p.type.kind]),
    [['ptep', 'slot'], ['pmds', 'pmd_t[]'], ['cb', 'int (function)'], ['vmf', 'vmf']],
  );
  const declares = f.blocks[0]!.statements.map((s) => (s.kind === 'declare' ? [s.name, s.type] : s.kind));
  assert.deepEqual(declares, [['a', { kind: 'slot', level: 'pte' }], ['b', { kind: 'entry', level: 'pte' }], ['c', { kind: 'other', text: 'pte_t **' }]]);
});
