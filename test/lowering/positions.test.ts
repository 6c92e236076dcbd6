// Positions: every IR range is in the ORIGINAL document (0-based line, UTF-16 column) — in the C
// file itself, or, for a hunk quoted in an email, on the email's own lines.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IrFunction, IrStatement, SourceRange } from '../../simulator/src/ir';
import { readInputDocument, workspaceFilesFrom } from '../../server/src/inputs';
import { expressionsOf, lowerSourceUnit } from '../../server/src/lowering';
import { testParser, testSyntax } from '../helpers/parser';
import { assertWellFormed, fn, lower, lowerOne, readLoweringFixture } from './helpers';

function where(text: string, needle: string, occurrence = 0): { line: number; character: number } {
  const lines = text.split('\n');
  let seen = 0;
  for (let line = 0; line < lines.length; line++) {
    for (let at = lines[line]!.indexOf(needle); at >= 0; at = lines[line]!.indexOf(needle, at + 1)) {
      if (seen++ === occurrence) return { line, character: at };
    }
  }
  throw new Error(`"${needle}" not found`);
}

function statements(f: IrFunction): IrStatement[] {
  return f.blocks.flatMap((b) => [...b.statements]);
}

function rangeText(text: string, range: SourceRange): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line]!.slice(range.start.character, range.end.character);
  return [lines[range.start.line]!.slice(range.start.character), ...lines.slice(range.start.line + 1, range.end.line), lines[range.end.line]!.slice(0, range.end.character)].join('\n');
}

test('statements, calls and names point at their text in the file', async () => {
  const text = readLoweringFixture('constructs.c');
  const unit = await lower(text);
  const f = fn(unit, 'lens_assignments');
  const assign = statements(f).find((s) => s.kind === 'assign' && s.value.kind === 'call' && s.value.callee === 'pte_mkwrite');
  assert.ok(assign && assign.kind === 'assign');
  assert.deepEqual(assign.range.start, where(text, 'pte = pte_mkwrite(pte_mkdirty(pte), vma)'));
  assert.equal(rangeText(text, assign.range), 'pte = pte_mkwrite(pte_mkdirty(pte), vma)');
  const inner = assign.value.kind === 'call' ? assign.value.args[0]! : undefined;
  assert.equal(inner && rangeText(text, inner.range), 'pte_mkdirty(pte)');
  assert.equal(rangeText(text, f.nameRange), 'lens_assignments');
  assert.deepEqual(f.params.map((p) => rangeText(text, p.range)), ['struct vm_area_struct *vma', 'pte_t *ptep', 'unsigned long addr']);
  assert.equal(rangeText(text, f.range).split('\n')[0], 'static void lens_assignments(struct vm_area_struct *vma, pte_t *ptep, unsigned long addr)');
  // every expression's range holds that expression's text
  for (const g of unit.functions) {
    for (const e of expressionsOf(g)) {
      if (e.kind === 'var') assert.equal(rangeText(text, e.range), e.name, `${g.name}: var ${e.name}`);
      if (e.kind === 'call' && /^\w+$/.test(e.callee)) assert.ok(rangeText(text, e.range).startsWith(e.callee), `${g.name}: call ${e.callee}`);
    }
  }
});

test('a branch points at its condition, a return at the return statement', async () => {
  const text = readLoweringFixture('constructs.c');
  const f = fn(await lower(text), 'lens_if_else');
  const branch = f.blocks[0]!.terminator;
  assert.equal(branch.kind === 'branch' && rangeText(text, branch.range), 'pte_write(pte)');
  const ret = f.blocks[f.blocks.length - 1]!.terminator;
  assert.equal(ret.kind === 'return' && rangeText(text, ret.range), 'return pte;');
});

test('columns count UTF-16 units: text after an emoji on the same line', async () => {
  const text = 'void f(pte_t pte)\n{\n\tpr_info("😀 é"); pte = pte_mkdirty(pte);\n}\n';
  const f = await lowerOne(text);
  const assign = statements(f)[1]!;
  assert.deepEqual(assign.kind === 'assign' && assign.range.start, { line: 2, character: '\tpr_info("😀 é"); '.length });
  assert.equal('\tpr_info("😀 é"); '.length, 18); // 16 characters, the emoji counting two units
});

test('CRLF line endings: lines count the same, columns never include the \\r', async () => {
  const text = 'void f(pte_t pte)\r\n{\r\n\tif (pte_write(pte))\r\n\t\tpte = pte_wrprotect(pte);\r\n}\r\n';
  const f = await lowerOne(text);
  assert.deepEqual(f.range, { start: { line: 0, character: 0 }, end: { line: 4, character: 1 } });
  const assign = statements(f)[0]!;
  assert.deepEqual(assign.kind === 'assign' && assign.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 26 } });
});

test('a custom position map moves every range', async () => {
  const f = await lowerOne('void f(void)\n{\n\tg();\n}\n', { positionMap: (p) => ({ line: p.line + 100, character: p.character }) });
  assert.deepEqual(f.nameRange, { start: { line: 100, character: 5 }, end: { line: 100, character: 6 } });
  const call = statements(f)[0]!;
  assert.deepEqual(call.kind === 'eval' && call.range.start, { line: 102, character: 1 });
});

const REPLY = [
  'On Tue, A Reviewer wrote:', // 0
  '> --- a/mm/lens.c', // 1
  '> +++ b/mm/lens.c', // 2
  '> @@ -20,6 +20,8 @@ static void lens_protect(struct vm_area_struct *vma, pte_t *ptep)', // 3
  '>  \tpte = ptep_get(ptep);', // 4
  '>  \tif (pte_uffd_wp(pte))', // 5
  '> -\t\tpte = pte_mkwrite(pte, vma);', // 6
  '> +\t\tpte = pte_wrprotect(pte);', // 7
  '> +\t/* @mm state W=0 */', // 8
  '> +\tset_pte_at(vma->vm_mm, addr, ptep, pte);', // 9
  '>  out:', // 10
  '>  \treturn;', // 11
  '>  }', // 12
  '', // 13
  'Looks right to me.', // 14
].join('\n');

test('a hunk quoted in an email: ranges land on the email lines, past the quote and the diff marker', async () => {
  const parser = await testParser();
  const doc = readInputDocument(REPLY, { syntax: await testSyntax() });
  const post = doc.units.find((u) => u.kind === 'fragment' && u.side === 'post');
  assert.ok(post, 'the post-image is a fragment unit');
  const unit = lowerSourceUnit(parser, post);
  assert.equal(unit.functions.length, 1);
  const f = unit.functions[0]!;
  assertWellFormed(f);
  assert.equal(f.fragment, true);
  assert.equal(f.name, 'lens_protect');
  const wrprotect = statements(f).find((s) => s.kind === 'assign' && s.value.kind === 'call' && s.value.callee === 'pte_wrprotect');
  assert.deepEqual(wrprotect?.kind === 'assign' && wrprotect.range, { start: { line: 7, character: 5 }, end: { line: 7, character: 29 } });
  assert.equal(wrprotect?.kind === 'assign' && rangeText(REPLY, wrprotect.range), 'pte = pte_wrprotect(pte)');
  const install = statements(f).find((s) => s.kind === 'eval');
  assert.equal(install?.kind === 'eval' && rangeText(REPLY, install.range), 'set_pte_at(vma->vm_mm, addr, ptep, pte)');
  // the @mm state in the quoted hunk is an assertion, on the email's line
  const state = statements(f).find((s) => s.kind === 'assert-state');
  assert.deepEqual(state?.kind === 'assert-state' && state.annotation.range.start, { line: 8, character: 7 });
  assert.deepEqual(unit.allAnnotations.map((a) => a.line), [9]);
  // nothing points outside the quoted hunk, not even the wrapper's own function and braces
  for (const range of [f.range, f.nameRange, ...f.blocks.map((b) => b.terminator.range).filter((r): r is SourceRange => r !== undefined)]) {
    assert.ok(range.start.line >= 4 && range.end.line <= 12, `range ${JSON.stringify(range)} is inside the hunk`);
  }
});

test('a patch applied to a workspace file: lines outside the hunk move to the nearest line the email shows', async () => {
  const file = [
    '// SPDX-License-Identifier: GPL-2.0',
    '#include <linux/mm.h>',
    '',
    'static void lens_protect(struct vm_area_struct *vma, pte_t *ptep, unsigned long addr)',
    '{',
    '\tpte_t pte;',
    '',
    '\tpte = ptep_get(ptep);',
    '\tif (pte_uffd_wp(pte))',
    '\t\tpte = pte_mkwrite(pte, vma);',
    '\tset_pte_at(vma->vm_mm, addr, ptep, pte);',
    '}',
    '',
  ].join('\n');
  const patch = [
    'diff --git a/mm/lens.c b/mm/lens.c',
    '--- a/mm/lens.c',
    '+++ b/mm/lens.c',
    '@@ -8,4 +8,4 @@ static void lens_protect(struct vm_area_struct *vma, pte_t *ptep, unsigned long addr)',
    ' \tpte = ptep_get(ptep);',
    ' \tif (pte_uffd_wp(pte))',
    '-\t\tpte = pte_mkwrite(pte, vma);',
    '+\t\tpte = pte_wrprotect(pte);',
    ' \tset_pte_at(vma->vm_mm, addr, ptep, pte);',
    '',
  ].join('\n');
  const parser = await testParser();
  const doc = readInputDocument(patch, { syntax: await testSyntax(), workspace: workspaceFilesFrom({ 'mm/lens.c': file }) });
  const post = doc.units.find((u) => u.kind === 'function' && u.side === 'post');
  assert.ok(post, 'the patched function is a unit of its own');
  const f = lowerSourceUnit(parser, post).functions[0]!;
  assert.equal(f.name, 'lens_protect');
  assert.equal(f.fragment, false);
  const wrprotect = statements(f).find((s) => s.kind === 'assign' && s.value.kind === 'call' && s.value.callee === 'pte_wrprotect');
  assert.equal(wrprotect?.kind === 'assign' && rangeText(patch, wrprotect.range), 'pte = pte_wrprotect(pte)');
  for (const s of statements(f)) {
    const range = s.kind === 'assert-state' ? s.annotation.range : s.range;
    assert.ok(range.start.line >= 4 && range.end.line <= 8, `${JSON.stringify(range)} is on a line of the patch's hunk`);
  }
});
