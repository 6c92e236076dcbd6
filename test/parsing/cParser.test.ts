import assert from 'node:assert/strict';
import { test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { compiledQueryCount, countSyntaxIssues, cSyntaxChecker, functionSpans, nodeRange, ParseTimeout, syntaxIssues } from '../../server/src/parsing';
import { readInputFixture } from '../helpers/paths';
import { testParser } from '../helpers/parser';

test('an iterator macro followed by a block parses cleanly, read as a `while` loop of the same length', async () => {
  const parser = await testParser();
  const tree = parser.parse(
    [
      'static void report(struct list_head *all)',
      '{',
      '\tstruct stats *s;',
      '',
      '\tlist_for_each_entry(s, all, node) {',
      '\t\tpr_info("%lu\\n", s->count);',
      '\t}',
      '}',
    ].join('\n'),
  );
  try {
    assert.deepEqual(syntaxIssues(tree), []);
    assert.equal(countSyntaxIssues(tree), 0);
    const [loop] = tree.rootNode.descendantsOfType('while_statement');
    assert.deepEqual(nodeRange(loop!).start, { line: 4, character: 1 });
    const loopBody = tree.rootNode.descendantsOfType('compound_statement')[1];
    assert.deepEqual(nodeRange(loopBody), { start: { line: 4, character: 35 }, end: { line: 6, character: 2 } });
  } finally {
    parser.release(tree);
  }
});

test('node ranges count UTF-16 units, like LSP', async () => {
  const parser = await testParser();
  const tree = parser.parse('const char *s = "héllo 😀"; int after;\n');
  try {
    const after = tree.rootNode.descendantsOfType('declaration')[1];
    // "é" is one unit, "😀" two: `int` starts at JavaScript index 28 (26 characters + 2)
    assert.equal('const char *s = "héllo 😀"; '.length, 28);
    assert.deepEqual(nodeRange(after).start, { line: 0, character: 28 });
  } finally {
    parser.release(tree);
  }
});

test('the fixture C files parse without errors', async () => {
  const syntax = cSyntaxChecker(await testParser());
  for (const file of ['workspace/mm/pgdemo.c', 'workspace/mm/pgwalk.h', 'workspace/mm/pgold.c', 'pgdemo-v2.c', 'kernel-idioms.c']) {
    assert.equal(syntax.countSyntaxIssues(readInputFixture(...file.split('/'))), 0, file);
  }
});

test('functions are listed by name, also under #ifdef, and the function query is compiled once', async () => {
  const parser = await testParser();
  const syntax = cSyntaxChecker(parser);
  const names = syntax.functionSpans(readInputFixture('workspace', 'mm', 'pgwalk.h')).map((f) => f.name);
  assert.deepEqual(names, ['pgwalk_pte_writable', 'pgwalk_downgrade', 'pgwalk_pmd_huge_writable']);
  const soft = syntax.functionSpans(readInputFixture('workspace', 'mm', 'pgdemo.c')).find((f) => f.name === 'pgdemo_clear_soft_dirty');
  assert.ok(soft, 'the function inside #ifdef CONFIG_MEM_SOFT_DIRTY is found');
  syntax.functionSpans('int f(void) { return 0; }');
  assert.equal(compiledQueryCount(parser.language), 1);
});

test('a pointer-returning function is named through its declarators', async () => {
  const parser = await testParser();
  const tree = parser.parse('static pte_t *(lookup)(struct mm_struct *mm, unsigned long addr)\n{\n\treturn NULL;\n}\n');
  try {
    assert.deepEqual(functionSpans(tree).map((f) => f.name), ['lookup']);
  } finally {
    parser.release(tree);
  }
});

test('the checker frees every tree it parses', async () => {
  const parser = await testParser();
  const before = parser.liveTrees;
  const syntax = cSyntaxChecker(parser);
  for (let i = 0; i < 20; i++) syntax.countSyntaxIssues(`int v${i} = ${i};`);
  assert.equal(parser.liveTrees, before);
});

test('on a machine too busy to parse in time, warming up stops instead of failing; the parser still parses', async (t) => {
  const parser = await testParser();
  const live = parser.liveTrees;
  // every look at the clock finds another minute gone: each parse runs past its budget
  let now = performance.now();
  t.mock.method(performance, 'now', () => (now += 60_000));
  // (tree-sitter looks at the clock every so many steps: a parse of a few declarations never does)
  assert.throws(() => parser.parse('int x;\n'.repeat(5000)), ParseTimeout);
  assert.doesNotThrow(() => parser.warmUp());
  t.mock.restoreAll();
  const tree = parser.parse('int x;');
  assert.equal(tree.rootNode.type, 'translation_unit');
  parser.release(tree);
  assert.equal(parser.liveTrees, live);
});
