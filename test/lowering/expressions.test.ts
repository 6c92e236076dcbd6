// Expressions: the IR objects behind the printed text — call chains, fields, slots, constants,
// config tests — and the kernel idioms that need care (READ_ONCE, WRITE_ONCE, `!p++`, damaged
// argument lists).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IrExpr, IrStatement } from '../../simulator/src/ir';
import { exprText } from '../../server/src/lowering';
import { parseChar, parseNumber, splitArguments } from '../../server/src/lowering/expressions';
import { lines, lowerOne, shape } from './helpers';

/** The statements of a one-block function body `{ … }` (wrapped here). */
async function statementsOf(body: string, params = 'pte_t pte, pte_t *ptep, struct vm_area_struct *vma, struct vm_fault *vmf'): Promise<readonly IrStatement[]> {
  const f = await lowerOne(`void lens_test(${params})\n{\n${body}\n}\n`);
  return f.blocks[0]!.statements;
}

/** Drops ranges so that IR can be compared structurally. */
function strip(expr: IrExpr): unknown {
  return JSON.parse(JSON.stringify(expr, (key, value) => (key === 'range' ? undefined : value)));
}

test('a nested helper call is a call whose argument is a call', async () => {
  const [statement] = await statementsOf('\tpte = pte_mkwrite(pte_mkdirty(pte), vma);');
  assert.equal(statement?.kind, 'assign');
  if (statement?.kind !== 'assign') return;
  assert.deepEqual(strip(statement.target), { kind: 'var', name: 'pte' });
  assert.deepEqual(strip(statement.value), {
    kind: 'call',
    callee: 'pte_mkwrite',
    args: [
      { kind: 'call', callee: 'pte_mkdirty', args: [{ kind: 'var', name: 'pte' }] },
      { kind: 'var', name: 'vma' },
    ],
  });
});

test('fields, slots and constants: vmf->orig_pte, *ptep, ptep[1], vma->vm_flags & VM_SHARED, NULL', async () => {
  const statements = await statementsOf(
    ['\tpte = vmf->orig_pte;', '\tpte = *ptep;', '\tpte = ptep[1];', '\tx = vma->vm_flags & VM_SHARED;', '\tptep = NULL;', '\tpte = ptep_get(ptep);', '\tp = &vma->vm_mm->mmap_lock;'].join('\n'),
  );
  const values = statements.map((s) => (s.kind === 'assign' ? strip(s.value) : s.kind));
  assert.deepEqual(values, [
    { kind: 'field', base: { kind: 'var', name: 'vmf' }, field: 'orig_pte', arrow: true },
    { kind: 'deref', pointer: { kind: 'var', name: 'ptep' } },
    { kind: 'deref', pointer: { kind: 'var', name: 'ptep' }, index: { kind: 'number', value: 1, text: '1' } },
    { kind: 'binary', op: '&', left: { kind: 'field', base: { kind: 'var', name: 'vma' }, field: 'vm_flags', arrow: true }, right: { kind: 'constant', name: 'VM_SHARED' } },
    { kind: 'constant', name: 'NULL' },
    { kind: 'call', callee: 'ptep_get', args: [{ kind: 'var', name: 'ptep' }] },
    { kind: 'address-of', operand: { kind: 'field', base: { kind: 'field', base: { kind: 'var', name: 'vma' }, field: 'vm_mm', arrow: true }, field: 'mmap_lock', arrow: true } },
  ]);
});

test('READ_ONCE, likely and unlikely pass their argument through; WRITE_ONCE is an assignment', async () => {
  const statements = await statementsOf('\tpte = READ_ONCE(*ptep);\n\tif (likely(pte_present(pte))) x = 1;\n\tWRITE_ONCE(*ptep, pte);');
  assert.equal(statements[0]?.kind === 'assign' && exprText(statements[0].value), '*ptep');
  const f = await lowerOne('void f(pte_t *ptep, pte_t pte) { if (unlikely(!pte_present(pte))) return; WRITE_ONCE(*ptep, pte); }');
  assert.equal(shape(f), lines('b0:', '  branch !pte_present(pte) ? b1 : b2', 'b1:', '  return', 'b2:', '  *ptep = pte', '  return'));
});

test('IS_ENABLED(CONFIG_X) is a config test, kept inside larger conditions', async () => {
  const f = await lowerOne('void f(pte_t pte) { if (IS_ENABLED(CONFIG_MEM_SOFT_DIRTY) && !pte_soft_dirty(pte)) g(); }');
  const branch = f.blocks[0]!.terminator;
  assert.equal(branch.kind, 'branch');
  if (branch.kind !== 'branch') return;
  assert.deepEqual(strip(branch.condition), {
    kind: 'binary',
    op: '&&',
    left: { kind: 'config', symbol: 'CONFIG_MEM_SOFT_DIRTY' },
    right: { kind: 'unary', op: '!', operand: { kind: 'call', callee: 'pte_soft_dirty', args: [{ kind: 'var', name: 'pte' }] } },
  });
});

test('casts carry the simulator type; GNU `a ?: b` yields the condition', async () => {
  const statements = await statementsOf('\tptep = (pte_t *)p;\n\tx = (unsigned long)pte_val(pte);\n\ty = a ?: b;');
  assert.deepEqual(statements.map((s) => (s.kind === 'assign' ? strip(s.value) : s.kind)), [
    { kind: 'cast', type: { kind: 'slot', level: 'pte' }, operand: { kind: 'var', name: 'p' } },
    { kind: 'cast', type: { kind: 'int' }, operand: { kind: 'call', callee: 'pte_val', args: [{ kind: 'var', name: 'pte' }] } },
    { kind: 'ternary', condition: { kind: 'var', name: 'a' }, then: { kind: 'var', name: 'a' }, otherwise: { kind: 'var', name: 'b' } },
  ]);
});

test('compound assignment operators expand to `x = x op y`', async () => {
  const statements = await statementsOf('\tx += 1; x -= 2; x *= 3; x /= 4; x %= 5; x <<= 6; x >>= 7; x &= 8; x ^= 9; x |= 10;');
  assert.deepEqual(
    statements.map((s) => (s.kind === 'assign' ? exprText(s.value) : s.kind)),
    ['x + 1', 'x - 2', 'x * 3', 'x / 4', 'x % 5', 'x << 6', 'x >> 7', 'x & 8', 'x ^ 9', 'x | 10'],
  );
});

test('`!ptep++` tests the old pointer and increments it after (tree-sitter reads it as `(!ptep)++`)', async () => {
  const f = await lowerOne('void f(pte_t *ptep) { while (!ptep++) g(); }');
  assert.equal(
    shape(f),
    lines('b0: (loop)', '  branch !ptep ? b1 : b2', 'b1:', '  ptep = ptep + 1', '  eval g()', '  goto b0', 'b2:', '  ptep = ptep + 1', '  return'),
  );
});

test('a side effect in a call argument is hoisted: prefix before the statement, postfix after', async () => {
  const statements = await statementsOf('\tset_pte_at(mm, addr, ptep++, pte);\n\tpte = ptep_get(++ptep);');
  assert.deepEqual(
    statements.map((s) => (s.kind === 'assign' ? `${exprText(s.target)} = ${exprText(s.value)}` : s.kind === 'eval' ? exprText(s.expr) : s.kind)),
    ['set_pte_at(mm, addr, ptep, pte)', 'ptep = ptep + 1', 'ptep = ptep + 1', 'pte = ptep_get(ptep)'],
  );
});

test('macros that take a type keep their other arguments; the damaged ones are opaque text', async () => {
  const [statement] = await statementsOf('\tf = container_of(p, struct folio, lru);');
  assert.equal(statement?.kind === 'assign' && exprText(statement.value), 'container_of(p, opaque(struct folio), lru)');
  const [minimum] = await statementsOf('\tn = min_t(unsigned long, a, b);');
  assert.equal(minimum?.kind === 'assign' && exprText(minimum.value), 'min_t(opaque(unsigned long), a, b)');
});

test('strings, sizeof and inline assembly are opaque with their text; fallthrough is nothing', async () => {
  const statements = await statementsOf('\tpr_info("pte %lx\\n", pte_val(pte));\n\tn = sizeof(*ptep);\n\tasm volatile("" ::: "memory");\n\tfallthrough;');
  assert.deepEqual(
    statements.map((s) => (s.kind === 'eval' ? exprText(s.expr) : s.kind === 'assign' ? exprText(s.value) : s.kind === 'opaque' ? `${s.reason}: ${s.text}` : s.kind)),
    ['pr_info(opaque("pte %lx\\n"), pte_val(pte))', 'opaque(sizeof(*ptep))', 'inline assembly: asm volatile("" ::: "memory")'],
  );
});

test('an assignment to something that is not a variable, field or slot is an explicit opaque statement', async () => {
  const [statement] = await statementsOf('\tpmd_huge_pte(mm, pmdp) = pgtable;');
  assert.deepEqual(statement && { kind: statement.kind, reason: statement.kind === 'opaque' ? statement.reason : '' }, { kind: 'opaque', reason: 'assignment to call expression, which is not tracked' });
});

test('numbers and characters: prefixes, suffixes, escapes', () => {
  assert.deepEqual(
    ['0', '42', '0x1fUL', '0b101', '017', '1ULL', "1'000", '2.5'].map(parseNumber),
    [0, 42, 31, 5, 15, 1, 1000, 2.5],
  );
  assert.equal(parseNumber('0xg'), undefined);
  assert.deepEqual(["'a'", "'\\n'", "'\\0'", "'\\x41'", "'\\101'", "'ab'"].map(parseChar), [97, 10, 0, 65, 65, undefined]);
});

test('argument lists split at top-level commas only', () => {
  const text = 'f(a, g(b, c), "x,y", /* , */ d[1, 2])';
  assert.deepEqual(
    splitArguments(text, 2, text.length - 1).map(([s, e]) => text.slice(s, e)),
    ['a', 'g(b, c)', '"x,y"', '/* , */ d[1, 2]'],
  );
});
