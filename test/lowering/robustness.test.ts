// Bad input never crashes the lowering: truncated files, junk, pathological nesting, a position
// map that throws. A function that cannot be lowered becomes an opaque function with the reason;
// the others are still lowered; no tree is leaked.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { irStats, lowerText } from '../../server/src/lowering';
import { testParser } from '../helpers/parser';
import { assertWellFormed, lower, readLoweringFixture } from './helpers';

test('every prefix of the fixtures lowers without throwing, into well-formed functions', async () => {
  const parser = await testParser();
  const live = parser.liveTrees;
  for (const name of ['constructs.c', 'lens_pgtable.h', 'annotated.c.in']) {
    const text = readLoweringFixture(name);
    for (let cut = 0; cut <= text.length; cut += 23) {
      const unit = lowerText(parser, text.slice(0, cut));
      for (const f of unit.functions) assertWellFormed(f);
      assert.equal(irStats(unit).failedFunctions, 0, `${name} cut at ${cut}`);
    }
  }
  assert.equal(parser.liveTrees, live, 'every tree is released');
});

test('junk: binary bytes, unbalanced braces, stray directives, an empty text', async () => {
  const junk = [
    '',
    '   \n\n',
    '\u0000\u0001\u0002\ufffd\ufffd',
    '}}}}{{{{',
    'void f(void) { {{{{ }',
    '#if\n#elif\n#else\n#endif\n#endif',
    'void f(void)\n{\n#ifdef CONFIG_X\n\tif (a) {\n#else\n\tif (b) {\n#endif\n\t\tg();\n\t}\n}\n',
    'int f(void) { return ((((((((((((; }',
    'int f(void) { case 1: break; continue; default: ; }',
    'void f(void) { goto *p; x: y: z: ; }',
    'void f(void) { a ? b++ : c--; ok && (x = 1); (void)g(); ; ; }',
    'static int __init f(void) { return 0; }',
    'SYSCALL_DEFINE3(mprotect, unsigned long, start, size_t, len, unsigned long, prot) { return do_mprotect_pkey(start, len, prot, -1); }',
    `void f(void) { ${'x'.repeat(100000)}; }`,
  ];
  for (const text of junk) {
    const unit = await lower(text);
    for (const f of unit.functions) assertWellFormed(f);
  }
});

test('deep nesting: past a depth limit expressions and statements are kept as opaque text', async () => {
  const depth = 3000;
  const text = `int deep(void) { return ${'('.repeat(depth)}1${')'.repeat(depth)}; }\nint other(void) { return 0; }\n`;
  const unit = await lower(text);
  assert.deepEqual(unit.functions.map((f) => f.name), ['deep', 'other']);
  for (const f of unit.functions) assertWellFormed(f);
  const deep = unit.functions[0]!.blocks[0]!.terminator;
  assert.equal(deep.kind === 'return' && deep.value?.kind, 'opaque');
  assert.equal(irStats(unit).failedFunctions, 0);
  const ifs = `void g(int x) {\n${'if (x) {\n'.repeat(1500)}${'}\n'.repeat(1500)}}\n`;
  const g = (await lower(ifs)).functions[0]!;
  assertWellFormed(g);
  const opaque = g.blocks.flatMap((b) => b.statements).filter((st) => st.kind === 'opaque');
  assert.deepEqual(opaque.map((st) => st.kind === 'opaque' && st.reason), ['statements nested too deeply to lower']);
});

test('a function that fails to lower is one opaque statement saying why; the next one is fine', async () => {
  const text = 'int first(void)\n{\n\treturn 1;\n}\nint second(void)\n{\n\treturn 2;\n}\n';
  const unit = await lower(text, {
    positionMap: (p) => {
      if (p.line === 2) throw new Error('no map for line 3');
      return p;
    },
  });
  const [first, second] = unit.functions;
  assert.equal(first?.name, 'first');
  assert.equal(first?.blocks.length, 1);
  const statement = first?.blocks[0]!.statements[0];
  assert.equal(statement?.kind, 'opaque');
  assert.equal(statement?.kind === 'opaque' && statement.reason, 'lowering failed: no map for line 3');
  assert.equal(statement?.kind === 'opaque' && statement.text, 'int first(void)\n{\n\treturn 1;\n}');
  assert.equal(irStats(unit).failedFunctions, 1);
  assert.equal(second?.blocks[0]!.terminator.kind === 'return' && second.blocks[0]!.terminator.value?.kind, 'number');
});

test('the content hash follows the text of the function and of the annotations before it', async () => {
  const a = (await lower('int f(void) { return 0; }\n')).functions[0]!;
  const moved = (await lower('\n\n\nint f(void) { return 0; }\n')).functions[0]!;
  const changed = (await lower('int f(void) { return 1; }\n')).functions[0]!;
  const annotated = (await lower('/* @mm profile arm64 */\nint f(void) { return 0; }\n')).functions[0]!;
  assert.match(a.contentHash, /^[0-9a-f]{16}$/);
  assert.equal(moved.contentHash, a.contentHash);
  assert.notEqual(changed.contentHash, a.contentHash);
  assert.notEqual(annotated.contentHash, a.contentHash);
});
