import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Node, Tree } from 'web-tree-sitter';
import { DocumentTreeStore, type TextChange } from '../../server/src/parsing';
import { readInputFixture } from '../helpers/paths';
import { testParser } from '../helpers/parser';

/** Every node with its type and extent: equal outlines mean equal trees. */
function outline(tree: Tree): string {
  const parts: string[] = [];
  const visit = (node: Node, depth: number): void => {
    parts.push(`${' '.repeat(depth)}${node.type} ${node.startIndex}-${node.endIndex} ${node.startPosition.row}:${node.startPosition.column}`);
    for (const child of node.children) if (child) visit(child, depth + 1);
  };
  visit(tree.rootNode, 0);
  return parts.join('\n');
}

async function freshOutline(text: string): Promise<string> {
  const parser = await testParser();
  const tree = parser.parse(text);
  try {
    return outline(tree);
  } finally {
    parser.release(tree);
  }
}

const at = (line: number, character: number) => ({ line, character });

test('an edit in the middle of a function reparses to the same tree as a fresh parse', async () => {
  const store = new DocumentTreeStore(await testParser());
  const uri = 'file:///mm/pgdemo.c';
  store.open(uri, 1, readInputFixture('workspace', 'mm', 'pgdemo.c'));
  // line 47 (index 46) is "\tpte = pte_wrprotect(old_pte);": make it pte_mkwrite
  const updated = store.update(uri, 2, [{ range: { start: at(46, 7), end: at(46, 20) }, text: 'pte_mkwrite' }])!;
  assert.equal(updated.text.split('\n')[46], '\tpte = pte_mkwrite(old_pte);');
  assert.equal(outline(updated.tree), await freshOutline(updated.text));
  store.dispose();
});

test('typing an annotation blanks it in the reparsed tree, keeping positions', async () => {
  const store = new DocumentTreeStore(await testParser());
  store.open('mem://a.c', 1, 'static int f(void)\n{\n\treturn 0;\n}\n');
  const typed = store.update('mem://a.c', 2, [{ range: { start: at(0, 11), end: at(0, 11) }, text: '__init ' }])!;
  assert.equal(typed.blankedText.split('\n')[0], 'static int        f(void)');
  assert.equal(outline(typed.tree), await freshOutline(typed.text));
  store.dispose();
});

test('random edits, applied one after another, match a fresh parse whenever the text parses cleanly', async () => {
  // Where the text has syntax errors, tree-sitter may recover differently depending on the edit
  // history; the trees are then both valid but not always identical, so only clean texts compare.
  const parser = await testParser();
  const base = readInputFixture('kernel-idioms.c');
  const snippets = ['', 'x', ' ', ';', '__init ', 'pte = pte_mkdirty(pte);', '/* é😀 */', '\n', '__must_hold(&l) ', '}', '('];
  let compared = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ start: fc.nat(), length: fc.nat({ max: 12 }), text: fc.constantFrom(...snippets) }), { minLength: 1, maxLength: 8 }),
      async (edits) => {
        const store = new DocumentTreeStore(parser);
        let version = 1;
        store.open('mem://idioms.c', version, base);
        for (const edit of edits) {
          const current = store.get('mem://idioms.c')!;
          const lines = current.text.split('\n');
          const line = edit.start % lines.length;
          const character = Math.min(edit.start % 60, lines[line].length);
          const change: TextChange = { range: { start: at(line, character), end: at(line, Math.min(character + edit.length, lines[line].length)) }, text: edit.text };
          store.update('mem://idioms.c', ++version, [change]);
        }
        const last = store.get('mem://idioms.c')!;
        assert.equal(last.tree.rootNode.endIndex, last.text.length);
        if (!last.tree.rootNode.hasError) {
          compared++;
          assert.equal(outline(last.tree), await freshOutline(last.text));
        }
        store.dispose();
      },
    ),
    { numRuns: 60, seed: 20240307 },
  );
  assert.ok(compared >= 10, `only ${compared} clean results compared`);
});

test('breaking a function and repairing it gives the fresh tree back', async () => {
  const store = new DocumentTreeStore(await testParser());
  const uri = 'mem://pgwalk.h';
  const text = readInputFixture('workspace', 'mm', 'pgwalk.h');
  store.open(uri, 1, text);
  // line 12 (index 11) is "\treturn pte_present(pte) && pte_write(pte);"
  store.update(uri, 2, [{ range: { start: at(11, 1), end: at(11, 1) }, text: 'if (' }]);
  assert.ok(store.get(uri)!.tree.rootNode.hasError);
  const repaired = store.update(uri, 3, [{ range: { start: at(11, 1), end: at(11, 5) }, text: '' }])!;
  assert.equal(repaired.text, text);
  assert.equal(outline(repaired.tree), await freshOutline(text));
  store.dispose();
});

test('trees are freed when replaced and when documents close', async () => {
  const parser = await testParser();
  const before = parser.liveTrees;
  const store = new DocumentTreeStore(parser);
  store.open('mem://a.c', 1, 'int a;\n');
  store.open('mem://b.c', 1, 'int b;\n');
  for (let v = 2; v < 50; v++) store.update('mem://a.c', v, [{ range: { start: at(0, 4), end: at(0, 5) }, text: String.fromCharCode(97 + (v % 26)) }]);
  assert.equal(parser.liveTrees, before + 2, 'one tree per open document');
  store.open('mem://a.c', 60, 'int reopened;\n'); // reopening replaces the old tree
  assert.equal(parser.liveTrees, before + 2);
  store.close('mem://b.c');
  assert.equal(parser.liveTrees, before + 1);
  store.dispose();
  assert.equal(parser.liveTrees, before);
  assert.equal(store.size, 0);
});

test('only the documents used most recently keep a tree; the others are parsed afresh when next opened', async () => {
  const parser = await testParser();
  const before = parser.liveTrees;
  const store = new DocumentTreeStore(parser, 2);
  store.open('mem://a.c', 1, 'int a;\n');
  store.open('mem://b.c', 1, 'int b;\n');
  store.update('mem://a.c', 2, [{ text: 'int a2;\n' }]); // a is now the most recent
  store.open('mem://c.c', 1, 'int c;\n'); // b, used least recently, gives its tree up
  assert.equal(parser.liveTrees, before + 2);
  assert.equal(store.get('mem://b.c'), undefined);
  assert.equal(store.update('mem://b.c', 2, [{ text: 'int b2;\n' }]), undefined, 'an update finds no tree and the caller opens afresh');
  assert.equal(store.get('mem://a.c')?.text, 'int a2;\n');
  assert.equal(outline(store.get('mem://c.c')!.tree), await freshOutline('int c;\n'));
  store.dispose();
  assert.equal(parser.liveTrees, before);
});

test('trees are kept by URI and version; stale versions and unknown URIs change nothing', async () => {
  const store = new DocumentTreeStore(await testParser());
  store.open('mem://v.c', 5, 'int v;\n');
  assert.equal(store.get('mem://v.c', 5)?.version, 5);
  assert.equal(store.get('mem://v.c', 4), undefined);
  assert.equal(store.update('mem://v.c', 5, [{ text: 'int w;\n' }])?.text, 'int v;\n');
  assert.equal(store.update('mem://unknown.c', 9, [{ text: 'x' }]), undefined);
  assert.equal(store.update('mem://v.c', 6, [{ text: 'int w;\n' }])?.text, 'int w;\n');
  store.dispose();
});

test('out-of-range LSP positions are clamped, never thrown', async () => {
  const store = new DocumentTreeStore(await testParser());
  store.open('mem://c.c', 1, 'int a;\r\nint b;\n');
  const edited = store.update('mem://c.c', 2, [
    { range: { start: at(0, 999), end: at(0, 999) }, text: ' /* end of line 0 */' },
    { range: { start: at(99, 0), end: at(120, 4) }, text: 'int c;\n' },
    { range: { start: at(-3, -1), end: at(0, 0) }, text: '/* top */' },
  ])!;
  assert.equal(edited.text, '/* top */int a; /* end of line 0 */\r\nint b;\nint c;\n');
  assert.equal(outline(edited.tree), await freshOutline(edited.text));
  store.dispose();
});
