// The laws a header's own definitions break, as findings: at the definition of the helper a law
// is about (a header as it is), or at the hunk that changes it (a header patch); each under the
// hazard rule the law stands for, or helper-law. On the toy tree and patches written for it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LAWS, RULES, parseProfile } from '../../simulator/src';
import { headerProfile } from '../../server/src/analysis/headerFindings';
import { treeModel } from '../../server/src/headers/deriveFromTree';
import { fileLawFindings, patchLawFindings } from '../../server/src/headers/headerLaws';
import { HELPER_LAW_RULE, LAW_RULES, lawRule } from '../../server/src/headers/lawRules';
import { repoRoot } from '../helpers/paths';
import { editedToyTree, toyTree } from '../helpers/toyTree';

const ASM = 'arch/x86/include/asm/pgtable.h';
const profile = parseProfile('x86_64@6.19');
const patch = (name: string) => readFileSync(join(repoRoot(), 'test', 'fixtures', 'headers', 'patches', name), 'utf8');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

test('each law is reported under the hazard rule that shares its SEMANTICS id, or helper-law', () => {
  for (const [law, rule] of Object.entries(LAW_RULES)) {
    const lawIds = LAWS.find((l) => l.id === law)!.semantics.split(/,\s*/);
    const ruleIds = RULES.filter((r) => r.id === rule).flatMap((r) => r.semantics);
    assert.ok(lawIds.some((id) => ruleIds.includes(id)), `${law} → ${rule}`);
  }
  assert.equal(lawRule('uffd-wp-read-only'), 'uffd-wp-writable');
  assert.equal(lawRule('wrprotect-protects'), HELPER_LAW_RULE);
});

test('a header as it is: the failing law at the definition of the helper it is about', () => {
  const text = toyTree().read(ASM)!;
  const findings = fileLawFindings(treeModel(toyTree(), profile), ASM);
  assert.deepEqual(findings.map((f) => [f.lawId, f.level, f.rule, f.subject.name, f.subject.line]), [['modify-keeps-dirty', 'pmd', 'dirty-lost', 'pmd_modify', lineOf(text, 'pmd_t pmd_modify(')]]);
  assert.match(findings[0]!.message, /^pmd_modify \(arch\/x86\/include\/asm\/pgtable\.h:\d+\) breaks the law modify-keeps-dirty@pmd: .* it fails on x_pmd: D$/);
  // the generic header defines none of the failing law's helpers
  assert.deepEqual(fileLawFindings(treeModel(toyTree(), profile), 'include/linux/pgtable.h'), []);
  // fixed in the tree: nothing to report
  const fixed = editedToyTree(ASM, ['TOY_KEEP_ON_MODIFY & ~_PAGE_DIRTY', 'TOY_KEEP_ON_MODIFY']);
  assert.deepEqual(fileLawFindings(treeModel(fixed, profile), ASM), []);
});

test('a header patch: introduced and fixed, each at the hunk line that changes the definition', () => {
  const text = readFileSync(join(repoRoot(), 'examples', 'toy-header.patch'), 'utf8');
  const { findings, notes } = patchLawFindings(toyTree(), profile, text);
  assert.deepEqual(notes, []);
  assert.deepEqual(findings.map((f) => [f.change, f.lawId, f.level, f.rule, f.subject.name, f.hunk?.number, f.hunk!.at.line + 1]), [
    ['introduced', 'uffd-wp-read-only', 'pte', 'uffd-wp-writable', 'pte_mkuffd_wp', 1, lineOf(text, '+static inline pte_t pte_mkuffd_wp')],
    ['fixed', 'modify-keeps-dirty', 'pmd', 'dirty-lost', 'pmd_modify', 2, lineOf(text, '-	toy_u64 keep = TOY_KEEP_ON_MODIFY & ~_PAGE_DIRTY;')],
  ]);
});

test('a hunk that changes a helper the law\'s helpers call is blamed by that helper\'s definition', () => {
  const text = patch('park-drops-dirt.patch');
  const { findings } = patchLawFindings(toyTree(), profile, text);
  const dirt = findings.find((f) => f.lawId === 'wrprotect-keeps-dirty')!;
  assert.equal(dirt.rule, 'dirty-lost');
  assert.equal(dirt.change, 'introduced');
  assert.equal(dirt.subject.name, 'toy_park_dirt');
  assert.equal(dirt.hunk!.at.line + 1, lineOf(text, '-		v |= _PAGE_SAVED_DIRTY;'));
  assert.ok(findings.every((f) => f.change === 'introduced'));
});

test('laws no hazard rule stands for are helper-law; a shadow-stack look-alike is shstk-lookalike', () => {
  const { findings } = patchLawFindings(toyTree(), profile, patch('wrprotect-keeps-hw-dirty.patch'));
  assert.deepEqual(findings.map((f) => `${f.lawId}@${f.levels.join(',')}:${f.rule}`).sort(), ['no-shstk-lookalike@pte,pmd:shstk-lookalike', 'uffd-wp-read-only@pte:uffd-wp-writable', 'wrprotect-protects@pte,pmd:helper-law']);
  assert.ok(findings.every((f) => f.subject.name === 'pte_wrprotect' && f.severity === 'error'));
});

test('the headers are read for the architecture whose arch/ directory the files are in', () => {
  assert.equal((headerProfile('x86_64@6.1', ['arch/arm64/include/asm/pgtable.h']) as { name: string }).name, 'arm64@6.1');
  assert.equal((headerProfile('arm64@6.19', ['include/linux/pgtable.h']) as { name: string }).name, 'arm64@6.19');
  assert.equal((headerProfile('generic@6.6', ['include/linux/pgtable.h']) as { name: string }).name, 'x86_64@6.6');
  assert.equal((headerProfile('x86_64 -MEM_SOFT_DIRTY', ['arch/x86/include/asm/pgtable.h']) as { name: string }).name, 'x86_64@6.19 -MEM_SOFT_DIRTY');
  assert.match(headerProfile('x86_64', ['arch/riscv/include/asm/pgtable.h']) as string, /x86 and arm64 headers only, not from arch\/riscv/);
});
