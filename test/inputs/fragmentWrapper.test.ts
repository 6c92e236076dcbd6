import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentLine, fragmentShape, wrapFragment, type HunkImage } from '../../server/src/inputs';
import { testSyntax } from '../helpers/parser';

/** A hunk image whose line i came from document line 100 + i, column 2 (after "> "). */
function image(...lines: string[]): HunkImage {
  return {
    text: `${lines.join('\n')}\n`,
    startLine: undefined,
    lineCount: lines.length,
    positionMap: { kind: 'lines', lines: lines.map((_, i) => [{ unitColumn: 0, source: 'document', line: 100 + i, character: 2 }]), workspaceFile: undefined, fragment: undefined },
  };
}

const cases: Array<{ name: string; lines: string[]; wrapper: string; opening: string[] }> = [
  {
    name: 'an orphan else gets its if',
    lines: ['\telse', '\t\tpte = pte_wrprotect(pte);'],
    wrapper: 'function-body',
    opening: ['void __mmlens_fragment(void)', '{', 'if (__mmlens_cond)', '\t;'],
  },
  {
    name: '`} else {` gets `if (…) {`',
    lines: ['\t} else {', '\t\tpte = pte_mkwrite(pte, vma);', '\t}'],
    wrapper: 'function-body',
    opening: ['void __mmlens_fragment(void)', '{', 'if (__mmlens_cond) {'],
  },
  {
    name: 'a start inside two blocks gets two openers',
    lines: ['\t\t\tpte = pte_mkdirty(pte);', '\t\t}', '\t\tset_pte_at(mm, addr, ptep, pte);', '\t}', '\treturn 0;'],
    wrapper: 'function-body',
    opening: ['void __mmlens_fragment(void)', '{', '{', '{'],
  },
  {
    name: '`} while (…);` gets `do {`',
    lines: ['\t\tpages++;', '\t} while (ptep++, addr += PAGE_SIZE, addr != end);'],
    wrapper: 'function-body',
    opening: ['void __mmlens_fragment(void)', '{', 'do {'],
  },
  {
    name: 'a truncated argument list is closed',
    lines: ['\tset_pte_at(vma->vm_mm, addr,'],
    wrapper: 'function-body',
    opening: ['void __mmlens_fragment(void)', '{'],
  },
  {
    name: 'a start in the middle of a condition gets the opening parenthesis',
    lines: ['\t    !(vma->vm_flags & VM_SOFTDIRTY))', '\t\treturn false;'],
    wrapper: 'function-body',
    opening: ['void __mmlens_fragment(void)', '{', 'if ('],
  },
  {
    name: 'a start in the middle of a call gets the opening parenthesis of a call',
    lines: ['\t\t\t\told_pte, pte);', '\tpte_unmap_unlock(ptep, ptl);'],
    wrapper: 'function-body',
    opening: ['void __mmlens_fragment(void)', '{', '__mmlens_call('],
  },
  {
    name: 'a comment cut at the start is reopened',
    lines: ['\t * uffd-wp needs the write fault as well.', '\t */', '\tif (userfaultfd_pte_wp(vma, pte))', '\t\treturn false;'],
    wrapper: 'function-body',
    opening: ['void __mmlens_fragment(void)', '{', '/*'],
  },
  {
    name: 'a comment cut at the end is closed',
    lines: ['\tpte = pte_wrprotect(pte);', '\t/*', '\t * Keep the dirty bit: the folio'],
    wrapper: 'function-body',
    opening: ['void __mmlens_fragment(void)', '{'],
  },
  {
    name: 'case labels get their switch',
    lines: ['\tcase _PAGE_DIRTY:', '\t\treturn 2;', '\tdefault:', '\t\tbreak;'],
    wrapper: 'function-body',
    opening: ['void __mmlens_fragment(void)', '{', 'switch (__mmlens_cond) {'],
  },
  {
    name: 'an #endif without its #if gets one',
    lines: ['\t\tpte = pte_mksoft_dirty(pte);', '#endif', '\treturn pte;'],
    wrapper: 'function-body',
    opening: ['void __mmlens_fragment(void)', '{', '#if 1'],
  },
  {
    name: 'whole functions stay at top level',
    lines: ['static pte_t pgx_protect(pte_t pte)', '{', '\treturn pte_wrprotect(pte);', '}'],
    wrapper: 'top-level',
    opening: [],
  },
  {
    name: 'a start in the middle of a parameter list becomes a function',
    lines: ['\t\t\t       unsigned long addr, pte_t pte)', '{', '\treturn pte_write(pte);', '}'],
    wrapper: 'top-level',
    opening: ['static void __mmlens_fragment('],
  },
];

for (const c of cases) {
  test(`fragments: ${c.name}`, async () => {
    const wrapped = wrapFragment(image(...c.lines), await testSyntax());
    assert.equal(wrapped.wrapper, c.wrapper);
    assert.equal(wrapped.syntaxIssues, 0, wrapped.text);
    const unitLines = wrapped.text.split('\n');
    assert.deepEqual(unitLines.slice(0, c.opening.length), c.opening);
    // the fragment's own lines come right after the wrapper's, unchanged, and map back
    assert.equal(wrapped.positionMap.kind === 'lines' && wrapped.positionMap.fragment?.linesBefore, c.opening.length);
    assert.deepEqual(unitLines.slice(c.opening.length, c.opening.length + c.lines.length), c.lines);
    assert.equal(documentLine(wrapped.positionMap, c.opening.length), 100);
    assert.equal(documentLine(wrapped.positionMap, 0), c.opening.length === 0 ? 100 : undefined);
  });
}

test('the shape of a fragment: what its edges leave open', () => {
  assert.deepEqual(fragmentShape('\t} else {\n\t\tfoo(a,\n'), {
    startsInComment: false,
    endsInComment: false,
    preprocessorOpeners: 0,
    preprocessorClosers: 0,
    braceOpeners: ['if'],
    braceClosers: 1,
    parenOpeners: 0,
    afterParenOpeners: undefined,
    parenClosers: 1,
    endsWantingOperand: true,
    endsWithComma: true,
    firstWord: '}',
  });
});

test('without a checker the function-body wrapper is used', () => {
  const wrapped = wrapFragment(image('\tpte = pte_mkdirty(pte);'));
  assert.deepEqual([wrapped.wrapper, wrapped.syntaxIssues], ['function-body', undefined]);
});
