// Control flow: each construct of test/fixtures/lowering/constructs.c as a CFG, printed one line
// per statement and terminator (server/src/lowering/irText.ts), plus small inline examples.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { IrUnit } from '../../simulator/src/ir';
import { assertWellFormed, fn, lines, lower, lowerOne, opaqueCount, readLoweringFixture, shape } from './helpers';

let constructs: IrUnit;

before(async () => {
  constructs = await lower(readLoweringFixture('constructs.c'));
});

test('every function of constructs.c is lowered, well formed, and nothing is opaque except where expected', () => {
  assert.deepEqual(
    constructs.functions.map((f) => f.name),
    ['lens_declarations', 'lens_assignments', 'lens_conditions', 'lens_if_else', 'lens_switch', 'lens_loops', 'lens_iterators', 'lens_goto', 'lens_expressions', 'lens_config', 'lens_hoisting'],
  );
  for (const f of constructs.functions) {
    assertWellFormed(f);
    assert.equal(f.fragment, false);
    // expected opaque expressions: the compound literal and the statement expression, the GNU
    // case range, the non-CONFIG #elif condition, and the three iterator-macro loop conditions
    const expected: Record<string, number> = { lens_expressions: 2, lens_switch: 1, lens_config: 1, lens_iterators: 3 };
    assert.deepEqual(opaqueCount(f), { statements: 0, expressions: expected[f.name] ?? 0 }, f.name);
  }
});

test('declarations: several declarators, initialisers, and the simulator types of entries, slots and context objects', () => {
  assert.equal(
    shape(fn(constructs, 'lens_declarations')),
    lines(
      'b0:',
      '  declare entry: entry:pte = ptep_get(ptep)',
      '  declare saved: entry:pte',
      '  declare vma: vma = vmf->vma',
      '  declare folio: folio = NULL',
      '  declare addr: int = vmf->address',
      '  declare flags: int = 0',
      '  declare ptl: lock',
      '  declare writable: bool',
      '  declare swp: swp',
      '  declare prot: prot = vma->vm_page_prot',
      '  saved = entry',
      '  return 0',
    ),
  );
  const f = fn(constructs, 'lens_declarations');
  assert.deepEqual(f.params.map((p) => [p.name, p.type]), [['vmf', { kind: 'vmf' }], ['ptep', { kind: 'slot', level: 'pte' }]]);
  assert.deepEqual(f.returnType, { kind: 'int' });
});

test('assignments: compound operators, ++/--, nested helper calls, stores through slots, WRITE_ONCE/READ_ONCE', () => {
  assert.equal(
    shape(fn(constructs, 'lens_assignments')),
    lines(
      'b0:',
      '  declare pte: entry:pte = *ptep',
      '  declare mask: int = 0',
      '  declare count: int = 0',
      '  mask = mask | VM_WRITE',
      '  mask = mask & ~VM_SHARED',
      '  count = count + 1',
      '  count = count - 1',
      '  pte = pte_mkwrite(pte_mkdirty(pte), vma)',
      '  *ptep = pte',
      '  eval set_pte_at(vma->vm_mm, addr, ptep, pte)',
      '  *ptep = pte_wrprotect(*ptep)',
      '  return',
    ),
  );
});

test('conditions: &&, ||, !, comparisons, flag tests, likely/unlikely unwrapped, a local holding a condition', () => {
  assert.equal(
    shape(fn(constructs, 'lens_conditions')),
    lines(
      'b0:',
      '  declare uffd_wp: bool = cp_flags & MM_CP_UFFD_WP',
      '  branch !pte_present(pte) || pte_protnone(pte) ? b1 : b2',
      'b1:',
      '  return false',
      'b2:',
      '  branch (vma->vm_flags & VM_SHARED) && pte_dirty(pte) ? b3 : b4',
      'b3:',
      '  return true',
      'b4:',
      '  branch uffd_wp && vma->vm_flags != 0 ? b5 : b6',
      'b5:',
      '  return false',
      'b6:',
      '  branch pte_uffd_wp(pte) ? b7 : b8',
      'b7:',
      '  return false',
      'b8:',
      '  return pte_write(pte)',
    ),
  );
});

test('if / else if / else joins in one block', () => {
  assert.equal(
    shape(fn(constructs, 'lens_if_else')),
    lines(
      'b0:',
      '  branch pte_write(pte) ? b1 : b2',
      'b1:',
      '  pte = pte_wrprotect(pte)',
      '  goto b5',
      'b2:',
      '  branch vma->vm_flags & VM_WRITE ? b3 : b4',
      'b3:',
      '  pte = pte_mkwrite(pte, vma)',
      '  goto b5',
      'b4:',
      '  pte = pte_mkold(pte)',
      '  goto b5',
      'b5:',
      '  return pte',
    ),
  );
});

test('switch: shared labels, fallthrough, a GNU case range kept as text, default', () => {
  assert.equal(
    shape(fn(constructs, 'lens_switch')),
    lines(
      'b0:',
      '  declare ret: int = 0',
      '  switch level { 0, 1: b1; 2: b2; opaque(3 ... 4): b3; default: b4 }',
      'b1:',
      '  ret = 1',
      '  goto b2',
      'b2:',
      '  eval ptep_set_wrprotect(NULL, 0, ptep)',
      '  goto b5',
      'b3:',
      '  ret = 3',
      '  goto b5',
      'b4:',
      '  ret = -1',
      '  goto b5',
      'b5:',
      '  return ret',
    ),
  );
});

test('a switch without default gets one that leaves the switch', async () => {
  const f = await lowerOne('int f(int x) { switch (x) { case 1: return 1; } return 0; }');
  assert.equal(shape(f), lines('b0:', '  switch x { 1: b1; default: b2 }', 'b1:', '  return 1', 'b2:', '  return 0'));
});

test('loops: for (with continue, break and a comma update), while with a post-decrement, do-while', () => {
  assert.equal(
    shape(fn(constructs, 'lens_loops')),
    lines(
      'b0:',
      '  declare i: int',
      '  declare young: int = 0',
      '  i = 0',
      '  goto b1',
      'b1: (loop)',
      '  branch i < nr ? b2 : b6',
      'b2:',
      '  declare pte: entry:pte = ptep_get(ptep)',
      '  branch pte_none(pte) ? b5 : b3',
      'b3:',
      '  branch !pte_present(pte) ? b6 : b4',
      'b4:',
      '  young = young + pte_young(pte)',
      '  goto b5',
      'b5:',
      '  i = i + 1',
      '  ptep = ptep + 1',
      '  goto b1',
      'b6: (loop)',
      '  branch nr > 0 ? b7 : b8',
      'b7:',
      '  nr = nr - 1',
      '  eval cpu_relax()',
      '  goto b6',
      'b8:',
      '  nr = nr - 1',
      '  goto b9',
      'b9:',
      '  young = young - 1',
      '  branch young > 0 ? b9 : b10',
      'b10:',
      '  return young',
    ),
  );
});

test('iterator macros are loops with an opaque condition, with a block or a single statement as body', () => {
  assert.equal(
    shape(fn(constructs, 'lens_iterators')),
    lines(
      'b0:',
      '  declare vma: vma',
      '  declare folio: folio',
      '  eval VMA_ITERATOR(vmi, mm, 0)',
      '  goto b1',
      'b1: (loop)',
      '  branch opaque(for_each_vma_range(vmi, vma, end)) ? b2 : b4',
      'b2:',
      '  branch vma->vm_flags & VM_SHARED ? b1 : b3',
      'b3:',
      '  eval vma_set_page_prot(vma)',
      '  goto b1',
      'b4: (loop)',
      '  branch opaque(list_for_each_entry(folio, head, lru)) ? b5 : b6',
      'b5:',
      '  eval folio_mark_dirty(folio)',
      '  goto b4',
      'b6: (loop)',
      '  branch opaque(list_for_each_entry(folio, head, lru)) ? b7 : b8',
      'b7:',
      '  folio = folio_next(folio)',
      '  goto b6',
      'b8:',
      '  return',
    ),
  );
});

test('iterator macros tree-sitter misreads (as a declaration, an ERROR, a nested function) are loops too', async () => {
  const f = await lowerOne(
    [
      'static void lens_misread(struct lens *l)',
      '{',
      '\tfor_each_node(nid)',
      '\t\tkfree(l->info[nid]);',
      '\tfor_each_hstate(h)',
      '\t\tpr_info("%d\\n", h->order);',
      '\tfor_each_online_node(nid) {',
      '\t\tif (l->load[nid])',
      '\t\t\tbreak;',
      '\t}',
      'again:',
      '\tlist_for_each_entry(p, &l->list, lru) {',
      '\t\tcontinue;',
      '\t}',
      '}',
    ].join('\n'),
  );
  assert.equal(
    shape(f),
    lines(
      'b0: (loop)',
      '  branch opaque(for_each_node(nid)) ? b1 : b2',
      'b1:',
      '  eval kfree(l->info[nid])',
      '  goto b0',
      'b2: (loop)',
      '  branch opaque(for_each_hstate(h)) ? b3 : b4',
      'b3:',
      '  eval pr_info(opaque("%d\\n"), h->order)',
      '  goto b2',
      'b4: (loop)',
      '  branch opaque(for_each_online_node(nid)) ? b5 : b6',
      'b5:',
      '  branch l->load[nid] ? b6 : b4',
      'b6: (loop)',
      '  branch opaque(list_for_each_entry(p, &l->list, lru)) ? b6 : b7',
      'b7:',
      '  return',
    ),
  );
  // the reparsed body still points at the original text
  const kfree = f.blocks[1]!.statements[0]!;
  assert.deepEqual(kfree.kind === 'eval' && kfree.range.start, { line: 3, character: 2 });
});

test('goto and labels: a label starts a block that gotos and fallthrough both reach', () => {
  assert.equal(
    shape(fn(constructs, 'lens_goto')),
    lines(
      'b0:',
      '  declare ret: int = -EAGAIN',
      '  branch !pte_same(ptep_get(vmf->pte), vmf->orig_pte) ? b2 : b1',
      'b1:',
      '  ret = 0',
      '  branch vmf->flags & FAULT_FLAG_WRITE ? b3 : b2',
      'b2:',
      '  eval pte_unmap_unlock(vmf->pte, vmf->ptl)',
      '  goto b3',
      'b3:',
      '  return ret',
    ),
  );
});

test('a goto to a label the function does not have is explicit, not a silent return', async () => {
  const f = await lowerOne('void f(void) { if (x) goto missing; g(); }');
  assert.equal(
    shape(f),
    lines('b0:', '  branch x ? b2 : b1', 'b1:', '  eval g()', '  return', 'b2:', '  opaque [label "missing" is not defined in this function] goto missing', '  fragment-end'),
  );
});

test('ternaries, casts, compound literals and statement expressions', () => {
  const f = fn(constructs, 'lens_expressions');
  assert.equal(
    shape(f),
    lines(
      'b0:',
      '  declare dirty: int = pte_dirty(pte) ? 1 : 0',
      '  declare pfn: int = (int)pte_pfn(pte)',
      '  declare zero: entry:pte = opaque((pte_t){ 0 })',
      '  declare ok: int = opaque(({ int __t = dirty; __t + 1; }))',
      '  return dirty ? pte_mkclean(pte) : zero',
    ),
  );
});

test('IS_ENABLED, #ifdef, #ifndef, #if defined() && !IS_ENABLED(), #elif and #else become config branches', () => {
  assert.equal(
    shape(fn(constructs, 'lens_config')),
    lines(
      'b0:',
      '  branch config(CONFIG_MEM_SOFT_DIRTY) ? b1 : b2',
      'b1:',
      '  pte = pte_mksoft_dirty(pte)',
      '  goto b2',
      'b2:',
      '  branch config(CONFIG_HAVE_ARCH_USERFAULTFD_WP) ? b3 : b4',
      'b3:',
      '  pte = pte_clear_uffd_wp(pte)',
      '  goto b5',
      'b4:',
      '  pte = pte_mkold(pte)',
      '  goto b5',
      'b5:',
      '  branch !config(CONFIG_X86_USER_SHADOW_STACK) ? b6 : b7',
      'b6:',
      '  pte = pte_mkclean(pte)',
      '  goto b7',
      'b7:',
      '  branch config(CONFIG_ARM64) && !config(CONFIG_ARM64_HW_AFDBM) ? b8 : b9',
      'b8:',
      '  pte = pte_mkyoung(pte)',
      '  goto b12',
      'b9:',
      '  branch opaque(defined(__HAVE_ARCH_PTE_DEVMAP)) ? b10 : b11',
      'b10:',
      '  pte = pte_mkdevmap(pte)',
      '  goto b12',
      'b11:',
      '  pte = pte_mkspecial(pte)',
      '  goto b12',
      'b12:',
      '  return pte',
    ),
  );
});

test('#if 0 is a false branch; a non-CONFIG #if condition is opaque', async () => {
  const f = await lowerOne('void f(void)\n{\n#if 0\n\ta();\n#endif\n#if PAGETABLE_LEVELS > 3\n\tb();\n#endif\n}\n');
  assert.equal(shape(f), lines('b0:', '  branch false ? b1 : b2', 'b1:', '  eval a()', '  goto b2', 'b2:', '  branch opaque(PAGETABLE_LEVELS > 3) ? b3 : b4', 'b3:', '  eval b()', '  goto b4', 'b4:', '  return'));
});

test('an assignment inside a condition is hoisted; do { } while (0) is a block that break leaves', () => {
  assert.equal(
    shape(fn(constructs, 'lens_hoisting')),
    lines(
      'b0:',
      '  declare pmd: entry:pmd',
      '  declare ptep: slot:pte',
      '  ptep = pte_offset_map(pmdp, vmf->address)',
      '  branch ptep ? b2 : b1',
      'b1:',
      '  return -EAGAIN',
      'b2:',
      '  pmd = *pmdp',
      '  branch pmd_none(pmd) ? b4 : b3',
      'b3:',
      '  vmf->orig_pte = ptep_get(ptep)',
      '  goto b4',
      'b4:',
      '  return 0',
    ),
  );
});

test('an assignment on the right of && happens only when the left is true', async () => {
  const f = await lowerOne('int f(pte_t *p) { pte_t pte; if (p && pte_present(pte = ptep_get(p))) return 1; return 0; }');
  assert.equal(
    shape(f),
    lines('b0:', '  declare pte: entry:pte', '  branch p ? b1 : b3', 'b1:', '  pte = ptep_get(p)', '  branch pte_present(pte) ? b2 : b3', 'b2:', '  return 1', 'b3:', '  return 0'),
  );
});

test('dead code after a return is kept in a block nothing reaches', async () => {
  const f = await lowerOne('int f(void) { return 0; g(); }');
  assert.equal(shape(f), lines('b0:', '  return 0', 'b1:', '  eval g()', '  return'));
});

test('scoped_guard runs its body once; guard() is a plain call', async () => {
  const f = await lowerOne('void f(spinlock_t *l) { guard(spinlock)(l); scoped_guard(spinlock, l) { x = 1; } y = 2; }');
  assert.equal(shape(f), lines('b0:', '  eval guard(spinlock)(l)', '  eval scoped_guard(spinlock, l)', '  x = 1', '  y = 2', '  return'));
});

test('helper definitions in a header are lowered: masks, pte_val, set/clear flags', async () => {
  const header = await lower(readLoweringFixture('lens_pgtable.h'));
  assert.deepEqual(
    header.functions.map((f) => f.name),
    ['pte_flags', 'pte_set_flags', 'pte_clear_flags', 'pte_write', 'pte_wrprotect', 'pte_mkdirty', 'lens_pte_slot', 'pte_mkuffd_wp', 'pte_mkuffd_wp', 'lens_ptep_set_wrprotect'],
  );
  assert.equal(
    shape(fn(header, 'pte_wrprotect')),
    lines(
      'b0:',
      '  branch pte_flags(pte) & _PAGE_DIRTY ? b1 : b2',
      'b1:',
      '  pte = pte_clear_flags(pte, _PAGE_DIRTY)',
      '  pte = pte_set_flags(pte, _PAGE_SAVED_DIRTY)',
      '  goto b2',
      'b2:',
      '  return pte_clear_flags(pte, _PAGE_RW)',
    ),
  );
  assert.equal(shape(fn(header, 'pte_set_flags')), lines('b0:', '  declare val: int = native_pte_val(pte)', '  return native_make_pte(val | set)'));
  assert.deepEqual(fn(header, 'lens_pte_slot').returnType, { kind: 'slot', level: 'pte' });
  assert.deepEqual(opaqueCount(header), { statements: 0, expressions: 0 });
});
