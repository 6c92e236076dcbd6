import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { blankKernelAnnotations, functionSpans } from '../../server/src/parsing';
import { reblankKernelAnnotations } from '../../server/src/parsing/kernelAnnotations';
import { readInputFixture } from '../helpers/paths';
import { testParser } from '../helpers/parser';

test('annotation words become spaces of the same length', () => {
  assert.equal(blankKernelAnnotations('static int __init f(void)'), 'static int        f(void)');
  assert.equal(blankKernelAnnotations('char __user *buf;'), 'char        *buf;');
  assert.equal(blankKernelAnnotations('static __always_inline bool g(void)'), 'static                 bool g(void)');
});

test('call-like annotations lose their arguments too, across lines', () => {
  const text = 'static void f(struct mm_struct *mm)\n\t__must_hold(&mm->mmap_lock)\n\t__releases(mm->lock\n\t\t)\n{\n}\n';
  const blanked = blankKernelAnnotations(text);
  // each blanked character becomes one space, tabs inside the arguments included
  assert.equal(blanked, `static void f(struct mm_struct *mm)\n\t${' '.repeat(27)}\n\t${' '.repeat(19)}\n${' '.repeat(3)}\n{\n}\n`);
  assert.equal(blanked.length, text.length);
});

test('comments, strings and preprocessor lines are left alone', () => {
  const text = [
    '#define __init __section(".init.text")',
    '/* __init in a comment */',
    'const char *s = "__user";',
    '// __weak',
    'int __weak x;',
  ].join('\n');
  assert.equal(blankKernelAnnotations(text), text.replace('int __weak x;', 'int        x;'));
});

test('an annotation without its closing parenthesis loses only its name', () => {
  assert.equal(blankKernelAnnotations('void f(void) __acquires(lock'), `void f(void) ${' '.repeat(10)}(lock`);
});

test('blanking keeps the length and every line break, whatever the text', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('__init ', '__must_hold(', ')', '(', '\n', '\r\n', '"', "'", '/*', '*/', '//', '#', 'x', ' ', '\\', 'é', '😀')), (parts) => {
      const text = parts.join('');
      const blanked = blankKernelAnnotations(text);
      assert.equal(blanked.length, text.length);
      for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (ch === '\n' || ch === '\r') assert.equal(blanked[i], ch);
        else assert.ok(blanked[i] === ch || blanked[i] === ' ');
      }
    }),
    { numRuns: 300 },
  );
});

test('after blanking, `static int __init f(void)` is a function named f', async () => {
  const parser = await testParser();
  const source = 'static int __init f(void)\n{\n\treturn 0;\n}\n';
  const blanked = parser.parse(source);
  const raw = parser.parseBlanked(source); // what tree-sitter does without blanking
  try {
    assert.deepEqual(functionSpans(blanked).map((f) => f.name), ['f']);
    assert.notDeepEqual(functionSpans(raw).map((f) => f.name), ['f']);
  } finally {
    parser.release(blanked);
    parser.release(raw);
  }
});

test('blanking leaves the fixture functions where they are', async () => {
  const parser = await testParser();
  const tree = parser.parse(readInputFixture('workspace', 'mm', 'pgdemo.c'));
  try {
    const names = functionSpans(tree).map((f) => `${f.name}@${f.range.start.line + 1}`);
    assert.deepEqual(names, [
      'pgdemo_may_upgrade@25',
      'pgdemo_protect_one@40',
      'pgdemo_change_range@51',
      'pgdemo_init@86',
      'pgdemo_report@98',
      'pgdemo_make_entry@108',
      'pgdemo_classify@119',
      'pgdemo_clear_soft_dirty@135',
      'pgdemo_walk@145',
    ]);
  } finally {
    parser.release(tree);
  }
});

test('after one edit, re-blanking the lines around it gives what blanking the whole text gives', () => {
  const before = [
    '/* a comment with __init in it */',
    'static int __init setup(void)',
    '{',
    '\tchar __user *buf = NULL;',
    '\tspin_lock(&mm->page_table_lock) __acquires(&mm->page_table_lock);',
    '\treturn 0;',
    '}',
    '#define HOT __hot',
    '',
  ].join('\n');
  const edits: Array<[string, string]> = [
    ['\treturn 0;', '\treturn 1;'], // plain code
    ['\tchar __user *buf', '\tchar __user __iomem *buf'], // a new annotation word
    ['\tchar __user *buf', '\tchar *buf'], // an annotation removed
    ['\treturn 0;', '\treturn 0; /* done'], // opens a comment: the rest of the text changes
    ['\treturn 0;', '\treturn "x;'], // opens a string
    ['\tspin_lock(&mm->page_table_lock) __acquires(&mm->page_table_lock);', '\tspin_lock(&mm->page_table_lock) __acquires(&mm->page_table_lock'], // an unbalanced call annotation
    ['{', '{\n\tint __maybe_unused x;'], // a line inserted
    ['#define HOT __hot', '#define HOT __hot __cold'], // inside a directive
  ];
  const blanked = blankKernelAnnotations(before);
  for (const [from, to] of edits) {
    const after = before.replace(from, to);
    assert.equal(reblankKernelAnnotations(before, blanked, after), blankKernelAnnotations(after), `${from} → ${to}`);
  }
});

test('an iterator macro statement with a block becomes a `while` header of the same length; other calls stay', () => {
  const text = '{\n\tstruct page *p;\n\n\tlist_for_each_entry(p, &pages, lru) {\n\t\tput_page(p);\n\t}\n\tscoped_guard(spinlock, &lock) {\n\t}\n\tfoo(list_for_each(x));\n}';
  const blanked = blankKernelAnnotations(text);
  assert.equal(blanked.length, text.length);
  assert.match(blanked, /\twhile {14}\(p, &pages, lru\) \{/);
  assert.match(blanked, /scoped_guard\(spinlock, &lock\)/); // runs once: not a loop
  assert.match(blanked, /foo\(list_for_each\(x\)\)/); // not a statement
});

test('a bare sized return type before a function name becomes `int` of the same length', () => {
  assert.equal(blankKernelAnnotations('static unsigned long change_range(struct vm_area_struct *vma)'), 'static unsigned int  change_range(struct vm_area_struct *vma)');
  assert.equal(blankKernelAnnotations('static long walk(void);'), 'static int  walk(void);');
  // a base type, a cast or a variable: nothing is ambiguous
  for (const unchanged of ['long int h(void)', 'x = (unsigned long) foo(3);', 'unsigned long addr = f(1);']) assert.equal(blankKernelAnnotations(unchanged), unchanged);
});
