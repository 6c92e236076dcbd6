// @mm annotations: the grammar (docs/annotations.md) with exact results, exact error messages and
// ranges; and where each annotation goes once a file is lowered (test/fixtures/lowering/annotated.c.in).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import * as simulator from '../../simulator/src';
import type { Annotation, AnnotationError, IrUnit, SourceRange } from '../../simulator/src/ir';
import { annotationSources, parseAnnotation, STATE_OUTSIDE_BODY } from '../../server/src/lowering';
import { repoRoot } from '../helpers/paths';
import { fn, lower, lowerOne, readLoweringFixture, shape } from './helpers';

/** Parses the first directive of `comment`, written at line 10, column 4, attached to line 11. */
function parse(comment: string): Annotation | AnnotationError {
  const sources = annotationSources(comment, { line: 10, character: 4 }, 11);
  assert.ok(sources.length > 0, `no directive in ${comment}`);
  return parseAnnotation(sources[0]!);
}

function ok(comment: string): Record<string, unknown> {
  const result = parse(comment);
  assert.notEqual(result.kind, 'annotation-error', result.kind === 'annotation-error' ? result.message : '');
  const { range: _range, line: _line, ...rest } = result as Annotation;
  return rest;
}

function error(comment: string): string {
  const result = parse(comment);
  assert.equal(result.kind, 'annotation-error', `expected an error for ${comment}`);
  return (result as AnnotationError).message;
}

const at = (startLine: number, startCharacter: number, endLine: number, endCharacter: number): SourceRange => ({
  start: { line: startLine, character: startCharacter },
  end: { line: endLine, character: endCharacter },
});

// ---- the grammar --------------------------------------------------------------------------

test('profile: an architecture, an optional version, config overrides; `arch 6.19` means `arch@6.19`', () => {
  assert.deepEqual(ok('/* @mm profile x86_64@6.19 +X86_USER_SHADOW_STACK -MEM_SOFT_DIRTY */'), { kind: 'profile', spec: 'x86_64@6.19 +X86_USER_SHADOW_STACK -MEM_SOFT_DIRTY' });
  assert.deepEqual(ok('/* @mm profile x86_64 6.19 +MEM_SOFT_DIRTY */'), { kind: 'profile', spec: 'x86_64@6.19 +MEM_SOFT_DIRTY' });
  assert.deepEqual(ok('// @mm profile arm64'), { kind: 'profile', spec: 'arm64' });
});

test('assume: vma, folio, mm and cp facts, and entry clauses with a form and bits', () => {
  assert.deepEqual(ok('/* @mm assume vma VM_WRITE !VM_SHARED VM_UFFD_WP; pte present W=0 D=1; folio anon exclusive; mm !tlb_flush_pending; cp MM_CP_UFFD_WP */'), {
    kind: 'assume',
    clauses: [
      { kind: 'facts', subject: 'vma', facts: [{ name: 'VM_WRITE', value: true }, { name: 'VM_SHARED', value: false }, { name: 'VM_UFFD_WP', value: true }] },
      { kind: 'entry', subject: 'pte', form: 'present', bits: [{ name: 'W', value: false }, { name: 'D', value: true }] },
      { kind: 'facts', subject: 'folio', facts: [{ name: 'anon', value: true }, { name: 'exclusive', value: true }] },
      { kind: 'facts', subject: 'mm', facts: [{ name: 'tlb_flush_pending', value: false }] },
      { kind: 'facts', subject: 'cp', facts: [{ name: 'MM_CP_UFFD_WP', value: true }] },
    ],
  });
  // `folio file` is `folio !anon`; an entry can be named by its variable, or a slot with `*`
  assert.deepEqual(ok('/* @mm assume folio file; *ptep swap swp_uw=1; old_pte W=1 */'), {
    kind: 'assume',
    clauses: [
      { kind: 'facts', subject: 'folio', facts: [{ name: 'anon', value: false }] },
      { kind: 'entry', subject: '*ptep', form: 'swap', bits: [{ name: 'swp_uw', value: true }] },
      { kind: 'entry', subject: 'old_pte', bits: [{ name: 'W', value: true }] },
    ],
  });
});

test('expect: rule ids separated by commas or spaces, or none', () => {
  assert.deepEqual(ok('/* @mm expect uffd-wp-writable, softdirty-bypass */'), { kind: 'expect', rules: ['uffd-wp-writable', 'softdirty-bypass'] });
  assert.deepEqual(ok('/* @mm expect none */'), { kind: 'expect', rules: [] });
});

test('state: optional subject and form, then bits', () => {
  assert.deepEqual(ok('/* @mm state W=1 UW=0 */'), { kind: 'state', bits: [{ name: 'W', value: true }, { name: 'UW', value: false }] });
  assert.deepEqual(ok('/* @mm state pte present D=1 */'), { kind: 'state', subject: 'pte', form: 'present', bits: [{ name: 'D', value: true }] });
  assert.deepEqual(ok('/* @mm state protnone */'), { kind: 'state', form: 'protnone', bits: [] });
});

test('ignore: rule ids, then an optional reason after a colon', () => {
  assert.deepEqual(ok('/* @mm ignore dirty-lost: the caller marks the folio dirty */'), { kind: 'ignore', rules: ['dirty-lost'], reason: 'the caller marks the folio dirty' });
  assert.deepEqual(ok('/* @mm ignore stale-tlb, dirty-lost */'), { kind: 'ignore', rules: ['stale-tlb', 'dirty-lost'] });
});

test('a directive may span the lines of a block comment; two directives may share a comment', () => {
  const sources = annotationSources('/*\n * @mm assume vma VM_WRITE;\n *     pte present W=1\n * @mm expect none\n */', { line: 3, character: 1 }, 8);
  assert.deepEqual(
    sources.map((s) => ({ text: s.text, range: s.range, line: s.line })),
    [
      { text: ' assume vma VM_WRITE; pte present W=1', range: at(4, 3, 5, 22), line: 8 },
      { text: ' expect none', range: at(6, 3, 6, 18), line: 8 },
    ],
  );
  assert.deepEqual(
    annotationSources('/* @mm state UW=1 @mm expect uffd-wp-writable */', { line: 0, character: 0 }, 0).map((s) => s.text),
    [' state UW=1', ' expect uffd-wp-writable'],
  );
});

test('the range covers `@mm` to the end of the directive, in document coordinates', () => {
  const result = parse('/* @mm expect dirty-lost */');
  assert.deepEqual(result.range, at(10, 7, 10, 28));
  assert.equal(result.kind !== 'annotation-error' && result.line, 11);
});

test('prose is not an annotation: kernel-doc `@mm:`, addresses, @mm in the middle of a sentence', () => {
  assert.deepEqual(annotationSources('/**\n * lens_walk - walk\n * @mm: the mm_struct\n */', { line: 0, character: 0 }, 4), []);
  assert.deepEqual(annotationSources('/**\n * lens_get - get\n * @mm : the mm to attach to\n */', { line: 0, character: 0 }, 4), []);
  assert.deepEqual(annotationSources('/* Reported-by: someone@mm.example.org */', { line: 0, character: 0 }, 1), []);
  assert.deepEqual(annotationSources('/* see the @mm annotations doc */', { line: 0, character: 0 }, 1), []);
  assert.deepEqual(annotationSources('// @mmap is not it either', { line: 0, character: 0 }, 1), []);
});

test('malformed annotations: exact messages', () => {
  assert.equal(error('/* @mm */'), '@mm needs a directive: profile, assume, expect, state or ignore');
  assert.equal(error('/* @mm frobnicate pte */'), '@mm unknown directive "frobnicate"; expected profile, assume, expect, state or ignore');
  assert.equal(error('/* @mm Expect none */'), '@mm unknown directive "Expect" (did you mean expect?); expected profile, assume, expect, state or ignore');
  assert.equal(error('/* @mm expect uffd-wp-writeable */'), '@mm unknown rule "uffd-wp-writeable"');
  assert.equal(error('/* @mm expect writable */'), '@mm unknown rule "writable" (did you mean uffd-wp-writable, cow-writable?)');
  assert.equal(error('/* @mm expect */'), '@mm "expect" needs a rule id (see mmlens rules)');
  assert.equal(error('/* @mm ignore: no rule given */'), '@mm "ignore" needs a rule id (see mmlens rules)');
  assert.equal(error('/* @mm assume */'), '@mm "assume" needs a clause, e.g. assume vma VM_WRITE !VM_SHARED; pte present W=1');
  assert.equal(error('/* @mm assume vma VM_WRTIE */'), '@mm unknown vma fact "VM_WRTIE"');
  assert.equal(error('/* @mm assume vma */'), '@mm "vma" needs at least one fact, e.g. vma VM_READ');
  assert.equal(error('/* @mm assume folio anonymous */'), '@mm unknown folio fact "anonymous" (did you mean anon?)');
  assert.equal(error('/* @mm assume pte present W=2 */'), '@mm pte: expected BIT=0 or BIT=1, found "W=2"');
  assert.equal(error('/* @mm assume pte present Q=1 */'), '@mm pte: unknown bit "Q"; bits are per architecture, e.g. W D SD SFD UW (x86_64) or WR RO DT UW (arm64)');
  assert.equal(
    error('/* @mm assume pte presnt W=1 */'),
    '@mm "presnt" is not a form (present, none, protnone, invalid, swap, mig_r, mig_re, mig_w, marker, dev_r, dev_w, dev_x, hwpoison)',
  );
  assert.equal(
    error('/* @mm assume vmas VM_WRITE */'),
    '@mm "VM_WRITE" is not a form (present, none, protnone, invalid, swap, mig_r, mig_re, mig_w, marker, dev_r, dev_w, dev_x, hwpoison); "vmas" is not a clause name either (did you mean vma?)',
  );
  assert.equal(error('/* @mm assume pte */'), '@mm "pte" needs a form or bits, e.g. pte present W=1 D=0');
  assert.equal(error('/* @mm state */'), '@mm "state" needs bits, e.g. state W=1 UW=0');
  assert.equal(error('/* @mm state pte */'), '@mm "state" needs a form or bits after "pte", e.g. state pte W=1 UW=0');
  assert.equal(error('/* @mm profile */'), '@mm "profile" needs a profile, e.g. profile x86_64@6.19');
  assert.equal(error('/* @mm profile sparc64 */'), '@mm unknown architecture "sparc64" (known: x86_64, arm64, generic)');
  assert.match(error('/* @mm profile x86_64 6.19 +NO_SUCH_SYMBOL */'), /^@mm profile "x86_64@6.19 \+NO_SUCH_SYMBOL": unknown config symbol NO_SUCH_SYMBOL \(known: MEM_SOFT_DIRTY, /);
  assert.equal(error('/* @mm profile x86_64 banana */'), '@mm "banana" in profile "x86_64 banana": config overrides look like +SYMBOL or -SYMBOL');
});

test('an error carries the range of its directive', () => {
  const result = parse('/* @mm expect no-such-rule */');
  assert.deepEqual(result, { kind: 'annotation-error', message: '@mm unknown rule "no-such-rule"', range: at(10, 7, 10, 30) });
});

test('hostile input never throws', () => {
  for (const comment of ['/* @mm assume ;;;; */', '/* @mm state ==== */', `/* @mm expect ${'x'.repeat(100000)} */`, '/* @mm \u0000\uffff */', '/* @mm assume pte present W=1=1 */', '/* @mm @mm @mm */']) {
    for (const source of annotationSources(comment, { line: 0, character: 0 }, 0)) assert.ok(parseAnnotation(source));
  }
});

// ---- placement in a lowered file ------------------------------------------------------------

let annotated: IrUnit;

before(async () => {
  annotated = await lower(readLoweringFixture('annotated.c.in'));
});

const summary = (annotations: readonly Annotation[]): string[] => annotations.map((a) => `${a.kind}@${a.line + 1}`);

test('file-level annotations (separated from the next function by a blank line) apply to the unit', () => {
  assert.deepEqual(summary(annotated.annotations), ['profile@12', 'expect@12']);
});

test('annotations just before a function or at the top of its body apply to the function', () => {
  assert.deepEqual(summary(fn(annotated, 'lens_make_writable').annotations), ['assume@12', 'ignore@15']);
  assert.deepEqual(summary(fn(annotated, 'lens_uffd').annotations), ['assume@28']);
  assert.deepEqual(fn(annotated, 'lens_broken').annotations, []);
});

test('@mm state becomes an assertion where its comment sits; a trailing one after its statement', () => {
  assert.equal(
    shape(fn(annotated, 'lens_make_writable')),
    ['b0:', '  pte = pte_mkdirty(pte)', '  assert-state W=0 D=1', '  pte = pte_mkwrite(pte, vma)', '  assert-state pte present W=1', '  return pte'].join('\n'),
  );
  assert.equal(
    shape(fn(annotated, 'lens_uffd')),
    [
      'b0:',
      '  declare pte: entry:pte = ptep_get(ptep)',
      '  branch pte_write(pte) ? b1 : b2',
      'b1:',
      '  pte = pte_mkuffd_wp(pte)',
      '  assert-state UW=1',
      '  eval set_pte_at(vma->vm_mm, addr, ptep, pte)',
      '  goto b2',
      'b2:',
      '  eval flush_tlb_page(vma, addr)',
      '  switch addr & 3 { 1: b3; 2: b4; default: b5 }',
      'b3:',
      '  pte = pte_mkclean(pte)',
      '  assert-state D=0',
      '  goto b4',
      'b4:',
      '  assert-state W=0',
      '  goto b5',
      'b5:',
      '  assert-state UW=1',
      '  return',
    ].join('\n'),
  );
});

test('every annotation is listed once in document order with the line it applies to', () => {
  assert.deepEqual(summary(annotated.allAnnotations), [
    'profile@12',
    'expect@12',
    'assume@12',
    'ignore@15',
    'state@17',
    'expect@17',
    'state@19',
    'assume@28',
    'state@33',
    'expect@33',
    'ignore@36',
    'state@39',
    'state@41',
    'state@46',
  ]);
  const expect = annotated.allAnnotations.find((a) => a.kind === 'expect' && a.rules.includes('write-without-vm-write'));
  assert.deepEqual(expect?.range, at(16, 33, 16, 66));
});

test('malformed annotations are reported with their ranges and the rest of the file still lowers', () => {
  const errors = annotated.annotationErrors.map((e) => `${e.range.start.line + 1}:${e.range.start.character} ${e.message.slice(0, 40)}`);
  assert.deepEqual(errors, [
    '52:4 @mm needs a directive: profile, assume, ',
    '53:4 @mm unknown directive "frobnicate"; expe',
    '54:4 @mm unknown rule "uffd-wp-writeable"',
    '55:4 @mm unknown vma fact "VM_WRTIE"',
    '56:4 @mm pte: expected BIT=0 or BIT=1, found ',
    '57:4 @mm "presnt" is not a form (present, non',
    '58:4 @mm "state" needs bits, e.g. state W=1 U',
    '59:4 @mm unknown architecture "sparc64" (know',
    '60:4 @mm profile "x86_64@6.19 +NO_SUCH_SYMBOL',
    '61:4 @mm "ignore" needs a rule id (see mmlens',
    `65:3 ${STATE_OUTSIDE_BODY.slice(0, 40)}`,
  ]);
  assert.equal(shape(fn(annotated, 'lens_broken')), ['b0:', '  pte = pte_mkold(pte)', '  return'].join('\n'));
});

test('a state comment before a label applies after the jump to it', async () => {
  const f = await lowerOne('void f(pte_t pte)\n{\n\tif (x)\n\t\tgoto out;\n\tpte = pte_mkwrite(pte);\n\t/* @mm state W=1 */\nout:\n\tg(pte);\n}\n');
  assert.equal(shape(f), ['b0:', '  branch x ? b2 : b1', 'b1:', '  pte = pte_mkwrite(pte)', '  goto b2', 'b2:', '  assert-state W=1', '  eval g(pte)', '  return'].join('\n'));
});

test('no @mm in the file: no tokenizing, no annotations', async () => {
  const unit = await lower('/* @mm: kernel-doc style */\nint f(void) { return 0; }\n');
  assert.deepEqual([unit.allAnnotations, unit.annotationErrors, unit.annotations], [[], [], []]);
});

test('docs/annotations.md names every rule, fact, flag, form and directive the parser accepts', () => {
  const doc = readFileSync(join(repoRoot(), 'docs', 'annotations.md'), 'utf8');
  const names = [
    ...simulator.ruleIds(),
    ...simulator.VM_FLAGS,
    ...simulator.VMA_FACTS,
    ...simulator.FOLIO_FACTS,
    ...simulator.MM_FACTS,
    ...simulator.CP_FLAGS,
    ...simulator.FORMS,
    ...Object.values(simulator.ARCH_TABLES).flatMap((t) => [...t.bits, ...t.softleafBits].map((b) => b.name)),
    'profile',
    'assume',
    'expect',
    'state',
    'ignore',
  ];
  const missing = [...new Set(names)].filter((name) => !new RegExp(`(^|[^\\w-])${name.replace(/[-]/g, '\\-')}([^\\w-]|$)`).test(doc));
  assert.deepEqual(missing, []);
});
