// Macro expansion as the kernel's headers use it: object-like chains, function-like macros with
// their arguments expanded, `#` and `##`, variadic arguments, a macro that names itself, and a
// runaway expansion cut off with a message instead of a hang.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpansionError, MacroExpander, parseDefine, type Macro } from '../../server/src/headers/macros';
import { tokenize, tokensText } from '../../server/src/headers/tokens';

function table(...defines: string[]): Map<string, Macro> {
  const macros = new Map<string, Macro>();
  for (const text of defines) {
    const macro = parseDefine(tokenize(text, 'defs.h'))!;
    macros.set(macro.name, macro);
  }
  return macros;
}

function expand(text: string, ...defines: string[]): string {
  return tokensText(new MacroExpander(table(...defines)).expand(tokenize(text, 'code.c')));
}

test('object-like macros expand in chains', () => {
  assert.equal(expand('_PAGE_RW', '_PAGE_BIT_RW 1', '_PAGE_RW (1UL << _PAGE_BIT_RW)'), '(1UL << 1)');
});

test('function-like macros substitute their expanded arguments', () => {
  const out = expand('_PAGE_RW', '_AT(T, X) ((T)(X))', '_PAGE_BIT_RW 1', '_PAGE_RW (_AT(pteval_t, 1) << _PAGE_BIT_RW)');
  assert.equal(out, '(((pteval_t)(1)) << 1)');
});

test('a function-like macro name without parentheses is left alone', () => {
  assert.equal(expand('f + f(2)', 'f(x) (x * 2)'), 'f + (2 * 2)');
});

test('# makes a string and ## pastes tokens', () => {
  assert.equal(expand('NAME(rw)', 'NAME(x) #x'), '"rw"');
  assert.equal(expand('BIT(RW)', 'BIT(n) _PAGE_BIT_ ## n', '_PAGE_BIT_RW 1'), '1');
});

test('variadic arguments are passed on whole', () => {
  assert.equal(expand('FIRST(a, b, c)', 'FIRST(x, ...) x', ), 'a');
  assert.equal(expand('ALL(a, b, c)', 'ALL(...) f(__VA_ARGS__)'), 'f(a, b, c)');
});

test('a macro that names itself expands once (#define pte_mkwrite pte_mkwrite)', () => {
  assert.equal(expand('pte_mkwrite(pte, vma)', 'pte_mkwrite pte_mkwrite'), 'pte_mkwrite(pte, vma)');
  assert.equal(expand('A', 'A B', 'B A'), 'A');
});

test('the kernel idiom behind IS_ENABLED (placeholder pasting) works', () => {
  const kconfig = [
    '__ARG_PLACEHOLDER_1 0,',
    '__take_second_arg(__ignored, val, ...) val',
    '__is_defined(x) ___is_defined(x)',
    '___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)',
    '____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)',
    'CONFIG_ON 1',
  ];
  assert.equal(expand('__is_defined(CONFIG_ON)', ...kconfig), '1');
  assert.equal(expand('__is_defined(CONFIG_OFF)', ...kconfig), '0');
});

test('an expansion that never ends is cut off with the macro named', () => {
  const grow = new MacroExpander(table('G(x) G(x x)'), new Map(), { maxSteps: 1000, maxTokens: 10_000 });
  // G is hidden inside its own expansion, so this one ends; a pair that feeds itself through
  // arguments is what would grow:
  assert.equal(tokensText(grow.expand(tokenize('G(a)', 'c'))), 'G(a a)');
  const wide = new MacroExpander(table('W W W W W W W W', ), new Map(), { maxSteps: 1000, maxTokens: 100 });
  assert.doesNotThrow(() => wide.expand(tokenize('W', 'c')));
  const many = table(...Array.from({ length: 30 }, (_, i) => `M${i} M${i + 1} M${i + 1}`));
  assert.throws(() => new MacroExpander(many, new Map(), { maxSteps: 5000, maxTokens: 1_000_000 }).expand(tokenize('M0', 'c')), (e: unknown) => e instanceof ExpansionError && /M\d+ \(c:1\)/.test((e as Error).message));
});
