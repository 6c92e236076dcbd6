// Kernel annotation macros that tree-sitter's C grammar cannot place (they sit where a
// declarator or a body is expected) are replaced by spaces before parsing. Each replaced
// character becomes one space and line endings are kept, so every offset, line and column of
// the blanked text is the same as in the original: trees need no position remapping.

import { commonAffixes } from '../text/affixes';
import { scanC, type CTokenKind } from './cTokens';
import { looksLikeIterator, ONCE_MACROS } from './iteratorNames';

/** Annotations written as a bare word: `static int __init f(void)`, `char __user *buf`. */
export const KERNEL_ANNOTATION_WORDS: ReadonlySet<string> = new Set([
  '__init', '__exit', '__meminit', '__meminitdata', '__initdata', '__initconst', '__exitdata',
  '__init_or_module', '__initdata_or_module', '__ref', '__refdata', '__refconst',
  '__read_mostly', '__ro_after_init', '__always_inline', 'noinline', 'noinline_for_stack',
  '__maybe_unused', '__always_unused', '__used', '__weak', '__user', '__kernel', '__iomem',
  '__percpu', '__rcu', '__force', '__nocast', '__bitwise', '__safe', '__private',
  '__must_check', '__cold', '__hot', '__pure', '__noreturn', '__visible', '__flatten',
  '__malloc', '__packed', '__latent_entropy', '__randomize_layout', '__no_randomize_layout',
  '__attribute_const__', '__sched', '__lockfunc', '__deprecated', '__nonstring',
  '__cacheline_aligned', '__cacheline_aligned_in_smp', '____cacheline_aligned',
  '____cacheline_aligned_in_smp', '__page_aligned_data', '__page_aligned_bss',
  'notrace', 'noinstr', '__cpuidle', 'asmlinkage', '__nocfi', '__no_sanitize_address',
  '__no_kcsan', '__no_kmsan_checks',
]);

/** Annotations that take arguments: `__must_hold(&vma->vm_mm->mmap_lock)`; the arguments go too. */
export const KERNEL_ANNOTATION_CALLS: ReadonlySet<string> = new Set([
  '__must_hold', '__acquires', '__releases', '__cond_acquires', '__cond_releases',
  '__acquires_shared', '__releases_shared', '__must_hold_shared', '__guarded_by', '__pt_guarded_by',
  '__aligned', '__section', '__printf', '__scanf', '__free', '__cleanup', '__counted_by',
  '__alloc_size', '__assume_aligned', '__nonnull', '__no_sanitize_or_inline',
]);

/**
 * Returns `text` with kernel annotation macros (and the parenthesised arguments of the call-like
 * ones) replaced by spaces, and iterator macro headers written as statements
 * (`list_for_each_entry(pos, head, member) {`) turned into `while` headers of the same length
 * (see IteratorHeaders), and a bare sized return type made `int` (see BareSizedTypes). Comments, strings and preprocessor lines are left alone. The result
 * has the same length, and the same line breaks at the same offsets.
 */
export function blankKernelAnnotations(text: string): string {
  const replacements: Replacement[] = [];
  const blank = (start: number, end: number) => replacements.push({ start, end, text: spacesKeepingLineBreaks(text, start, end) });
  const iterators = new IteratorHeaders(text, (start, end) => replacements.push({ start, end, text: 'while'.padEnd(end - start) }));
  const sizedTypes = new BareSizedTypes(text, (start, end) => replacements.push({ start, end, text: 'int'.padEnd(end - start) }));
  // state of a call-like annotation being read: its name's span, then the depth inside its parentheses
  let call: { start: number; nameEnd: number; depth: number } | undefined;
  scanC(text, (kind, start, end) => {
    iterators.token(kind, start, end);
    sizedTypes.token(kind, start, end);
    if (call) {
      if (kind === 'comment') return;
      const ch = kind === 'punctuation' ? text.charCodeAt(start) : 0;
      if (call.depth === 0 && ch !== 40 /* ( */) {
        blank(call.start, call.nameEnd); // no arguments after all
        call = undefined;
      } else if (kind === 'preprocessor') {
        blank(call.start, call.nameEnd); // never blank across a directive
        call = undefined;
        return;
      } else {
        if (ch === 40) call.depth++;
        else if (ch === 41 /* ) */ && --call.depth === 0) {
          blank(call.start, end);
          call = undefined;
        }
        return;
      }
    }
    if (kind !== 'identifier' || !mayBeAnnotation(text.charCodeAt(start))) return;
    const word = text.slice(start, end);
    if (KERNEL_ANNOTATION_WORDS.has(word)) blank(start, end);
    else if (KERNEL_ANNOTATION_CALLS.has(word)) call = { start, nameEnd: end, depth: 0 };
  });
  if (call) blank(call.start, call.nameEnd); // unbalanced at the end: blank only the name
  if (replacements.length === 0) return text;
  replacements.sort((a, b) => a.start - b.start);
  let out = '';
  let from = 0;
  for (const { start, end, text: replacement } of replacements) {
    if (start < from) continue; // an iterator name inside a blanked annotation's arguments
    out += text.slice(from, start) + replacement;
    from = end;
  }
  return out + text.slice(from);
}

interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const SIZE_WORDS = new Set(['signed', 'unsigned', 'long', 'short']);
const BASE_TYPES = new Set(['int', 'char', 'double', 'float', '_Bool', 'bool']);

/**
 * Finds a bare sized type before a function name: `static unsigned long change_range(`. The
 * grammar lets a type name follow `long` (`long foo_t`), so the function name is ambiguous
 * there, and the incremental parser re-reads every such definition on every edit. Making the
 * last size word `int` (`unsigned int  change_range(`) keeps the meaning mmlens needs (an
 * integer) and the offsets, and removes the ambiguity.
 */
class BareSizedTypes {
  /** The last size word of the current run of them. */
  private lastWord: { start: number; end: number } | undefined;
  /** After the run, the name that may be a function's: waiting for its `(`. */
  private named = false;

  constructor(
    private readonly text: string,
    private readonly rewrite: (start: number, end: number) => void,
  ) {}

  token(kind: CTokenKind, start: number, end: number): void {
    if (kind === 'comment') return;
    if (this.lastWord && this.named) {
      if (kind === 'punctuation' && this.text.charCodeAt(start) === 40 /* ( */) this.rewrite(this.lastWord.start, this.lastWord.end);
      this.lastWord = undefined;
      this.named = false;
    }
    if (kind !== 'identifier') {
      this.lastWord = undefined;
      return;
    }
    const word = this.text.slice(start, end);
    if (SIZE_WORDS.has(word)) this.lastWord = { start, end };
    else if (this.lastWord && !BASE_TYPES.has(word)) this.named = true;
    else this.lastWord = undefined;
  }
}

/** Statement-starting punctuation: an iterator macro statement follows `;`, `{` or `}`. */
const STATEMENT_BOUNDARY = new Set([59 /* ; */, 123 /* { */, 125 /* } */]);

/**
 * Finds iterator macros used as statements with a block body: an iterator-like name at the start
 * of a statement, its balanced parentheses, then `{`. Tree-sitter reads such a header as a call
 * missing its `;` or as a nested function definition; either is error recovery, which costs
 * every incremental reparse of the file. As `while (args) {` it is plain C; the lowering sees
 * that the source says otherwise and lowers the loop as the iterator it is.
 */
class IteratorHeaders {
  /** The last significant token, when it was punctuation (its char code), else 0; -1 at the start. */
  private previous = -1;
  private candidate: { start: number; end: number; depth: number; closed: boolean } | undefined;

  constructor(
    private readonly text: string,
    private readonly rewrite: (start: number, end: number) => void,
  ) {}

  token(kind: CTokenKind, start: number, end: number): void {
    if (kind === 'comment') return;
    const ch = kind === 'punctuation' ? this.text.charCodeAt(start) : 0;
    const candidate = this.candidate;
    if (candidate) {
      if (kind === 'preprocessor') this.candidate = undefined;
      else if (candidate.closed) {
        if (ch === 123 /* { */) this.rewrite(candidate.start, candidate.end);
        this.candidate = undefined;
      } else if (candidate.depth === 0 && ch !== 40 /* ( */) this.candidate = undefined;
      else if (ch === 40) candidate.depth++;
      else if (ch === 41 /* ) */ && --candidate.depth === 0) candidate.closed = true;
    } else if (kind === 'identifier' && (this.previous === -1 || STATEMENT_BOUNDARY.has(this.previous)) && end - start >= 'while'.length) {
      const word = this.text.slice(start, end);
      if (looksLikeIterator(word) && !ONCE_MACROS.has(word)) this.candidate = { start, end, depth: 0, closed: false };
    }
    // a directive ends whatever statement came before it
    this.previous = kind === 'preprocessor' ? 59 : ch;
  }
}

/** Characters that can change what the text after them is (comments, strings, directives, continuations). */
const LEXICAL = /["'\/\\#]/;
/** Iterator headers depend on the token before them, which may lie outside the re-scanned lines. */
const ITERATOR_LIKE = /\w*(?:for|each|scoped_)\w*\s*\(/i;
const CALL_NAMES = new RegExp(`\\b(?:${[...KERNEL_ANNOTATION_CALLS].join('|')})\\b`);

/**
 * `blankKernelAnnotations(after)`, given `before` and its blanked text, where `after` is `before`
 * with one range replaced. Only the lines around the replacement are scanned again when that
 * gives the same answer: neither version of those lines has a character that could change what
 * the rest of the text is (comment, string, directive), no call-like annotation that could
 * reach past them, and scanning the old lines alone reproduces their old blanking.
 */
export function reblankKernelAnnotations(before: string, blankedBefore: string, after: string): string {
  const { prefix, suffix } = commonAffixes(before, after);
  const start = before.lastIndexOf('\n', prefix - 1) + 1;
  const oldEnd = lineEnd(before, before.length - suffix);
  const newEnd = lineEnd(after, after.length - suffix);
  const oldLines = before.slice(start, oldEnd);
  const newLines = after.slice(start, newEnd);
  const local = (lines: string) => !LEXICAL.test(lines) && !CALL_NAMES.test(lines) && !ITERATOR_LIKE.test(lines);
  if (!local(oldLines) || !local(newLines) || blankKernelAnnotations(oldLines) !== blankedBefore.slice(start, oldEnd)) return blankKernelAnnotations(after);
  return blankedBefore.slice(0, start) + blankKernelAnnotations(newLines) + blankedBefore.slice(oldEnd);
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/** Every annotation starts with `_`, `n` (noinline, notrace, noinstr) or `a` (asmlinkage). */
function mayBeAnnotation(firstChar: number): boolean {
  return firstChar === 95 || firstChar === 110 || firstChar === 97;
}

function spacesKeepingLineBreaks(text: string, start: number, end: number): string {
  const slice = text.slice(start, end);
  return /[\r\n]/.test(slice) ? slice.replace(/[^\r\n]/g, ' ') : ' '.repeat(end - start);
}
