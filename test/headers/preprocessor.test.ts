// The header preprocessor on small kernel-style trees held in memory: conditionals decided
// from the profile's CONFIG_ values, includes resolved inside the tree (asm/ from the
// architecture, else asm-generic/), generated headers named as missing, include guards,
// __HAVE_ARCH_ overrides, and broken input reported rather than thrown.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preprocessHeaders, type PreprocessOptions } from '../../server/src/headers/preprocessor';
import { treeInMemory } from '../../server/src/headers/sourceTree';
import { tokensText } from '../../server/src/headers/tokens';

const options = (config: Record<string, string> = {}): PreprocessOptions => ({ archDir: 'toy', predefined: new Map(Object.entries(config)) });

function run(files: Record<string, string>, config: Record<string, string> = {}, entry = 'include/linux/entry.h') {
  return preprocessHeaders(treeInMemory('toy', files), [entry], options(config));
}

const code = (result: ReturnType<typeof run>) => tokensText(result.tokens);
const body = (result: ReturnType<typeof run>, name: string) => result.macros.get(name)?.body.map((t) => t.text).join(' ');

test('#ifdef, #ifndef, #if with defined() and IS_ENABLED() follow the CONFIG_ values given', () => {
  const files = {
    'include/linux/entry.h': [
      '#ifdef CONFIG_MEM_SOFT_DIRTY',
      '#define _PAGE_SOFT_DIRTY (1UL << 11)',
      '#else',
      '#define _PAGE_SOFT_DIRTY 0',
      '#endif',
      '#if defined(CONFIG_X86_64) && CONFIG_PGTABLE_LEVELS > 4',
      'int five_levels;',
      '#elif IS_ENABLED(CONFIG_X86_64)',
      'int four_levels;',
      '#else',
      'int thirty_two_bit;',
      '#endif',
    ].join('\n'),
  };
  const on = run(files, { CONFIG_MEM_SOFT_DIRTY: '1', CONFIG_X86_64: '1', CONFIG_PGTABLE_LEVELS: '5' });
  assert.equal(body(on, '_PAGE_SOFT_DIRTY'), '( 1UL << 11 )');
  assert.equal(code(on), 'int five_levels;');
  const off = run(files, { CONFIG_X86_64: '1', CONFIG_PGTABLE_LEVELS: '4' });
  assert.equal(body(off, '_PAGE_SOFT_DIRTY'), '0');
  assert.equal(code(off), 'int four_levels;');
  assert.equal(code(run(files)), 'int thirty_two_bit;');
});

test('asm/ headers come from the architecture, else from asm-generic (as kbuild generates them)', () => {
  const result = run({
    'include/linux/entry.h': '#include <asm/pgtable.h>\n#include <asm/only_generic.h>\n#include "local.h"',
    'arch/toy/include/asm/pgtable.h': 'int from_arch;',
    'include/asm-generic/only_generic.h': 'int from_asm_generic;',
    'include/linux/local.h': 'int from_beside;',
  });
  assert.equal(code(result), 'int from_arch; int from_asm_generic; int from_beside;');
  assert.deepEqual(result.files, ['include/linux/entry.h', 'arch/toy/include/asm/pgtable.h', 'include/asm-generic/only_generic.h', 'include/linux/local.h']);
});

test('a header that is not in the tree (a generated one) is named as missing, and the rest is read', () => {
  const result = run({ 'include/linux/entry.h': '#include <generated/autoconf.h>\nint still_read;' });
  assert.deepEqual(result.missing, [{ include: 'generated/autoconf.h', from: 'include/linux/entry.h', line: 1 }]);
  assert.equal(code(result), 'int still_read;');
});

test('an include guard makes a header count once', () => {
  const result = run({
    'include/linux/entry.h': '#include <linux/a.h>\n#include <linux/a.h>',
    'include/linux/a.h': '#ifndef A_H\n#define A_H\nint once;\n#endif',
  });
  assert.equal(code(result), 'int once;');
});

test('an architecture override (#define __HAVE_ARCH_…) turns off the generic fallback', () => {
  const files = (override: boolean) => ({
    'include/linux/entry.h': '#include <asm/pgtable.h>\n#ifndef __HAVE_ARCH_PTE_MKOLD\nstatic inline int pte_mkold_generic(void) { return 0; }\n#endif',
    'arch/toy/include/asm/pgtable.h': override ? '#define __HAVE_ARCH_PTE_MKOLD\nstatic inline int pte_mkold_arch(void) { return 1; }' : '',
  });
  assert.match(code(run(files(true))), /pte_mkold_arch/);
  assert.doesNotMatch(code(run(files(true))), /pte_mkold_generic/);
  assert.match(code(run(files(false))), /pte_mkold_generic/);
});

test('line continuations, comments and #undef', () => {
  const result = run({
    'include/linux/entry.h': '#define MASK (1 | \\\n  2) /* a comment */\n#define GONE 1\n#undef GONE\n// the end',
  });
  assert.equal(body(result, 'MASK'), '( 1 | 2 )');
  assert.equal(result.macros.has('GONE'), false);
  assert.equal(result.macros.get('MASK')?.line, 1);
});

test('broken input is reported, never thrown: #error, stray #endif, unbalanced #if, bad conditions, include loops', () => {
  const result = run({
    'include/linux/entry.h': [
      '#error this configuration is not supported',
      '#endif',
      '#if 1 +',
      'int after_bad_if;',
      '#endif',
      '#include <linux/loop.h>',
      '#if 1',
    ].join('\n'),
    'include/linux/loop.h': '#include <linux/loop.h>\nint in_loop;',
  });
  const messages = result.problems.map((p) => `${p.line}: ${p.message}`);
  assert.ok(messages.some((m) => /^1: #error this configuration/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /^2: #endif without #if/.test(m)));
  assert.ok(messages.some((m) => /^3: .*taken as false/.test(m)));
  assert.ok(messages.some((m) => /#if without #endif/.test(m)));
  assert.doesNotMatch(code(result), /after_bad_if/);
  assert.match(code(result), /in_loop/);
});

test('an include chain deeper than the bound is cut, with a message', () => {
  const files: Record<string, string> = { 'include/linux/entry.h': '#include <linux/d0.h>' };
  for (let i = 0; i < 60; i++) files[`include/linux/d${i}.h`] = `#include <linux/d${i + 1}.h>\nint depth${i};`;
  const result = run(files);
  assert.ok(result.problems.some((p) => /nested more than 40 deep/.test(p.message)));
});

test('headers named to be skipped are not read, and are listed', () => {
  const result = preprocessHeaders(treeInMemory('toy', {
    'include/linux/entry.h': '#include <linux/sched.h>\nint kept;',
    'include/linux/sched.h': 'int never_read;',
  }), ['include/linux/entry.h'], { ...options(), skip: [/linux\/sched\.h$/] });
  assert.equal(code(result), 'int kept;');
  assert.deepEqual(result.skipped, ['include/linux/sched.h']);
});
