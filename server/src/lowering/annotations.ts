// Parses the text of `@mm` comments into IR annotations (grammar in
// docs/annotations.md). Bad annotations become AnnotationError values with a
// range and a message that says what was expected; nothing here throws.

import {
  CP_FLAGS,
  FOLIO_FACTS,
  FORMS,
  MM_FACTS,
  ProfileError,
  VMA_FACTS,
  VM_FLAGS,
  parseProfile,
  ruleIds,
  type Annotation,
  type AnnotationError,
  type AssumeClause,
  type SourceRange,
} from '../../../simulator/src';
import { ARCH_TABLES } from '../../../simulator/src/helpers/registry';

const KNOWN_RULES = new Set(ruleIds());
const FACTS: Record<'vma' | 'folio' | 'mm' | 'cp', ReadonlySet<string>> = {
  vma: new Set<string>([...VM_FLAGS, ...VMA_FACTS]),
  folio: new Set<string>([...FOLIO_FACTS, 'file']),
  mm: new Set<string>(MM_FACTS),
  cp: new Set<string>(CP_FLAGS),
};
const KNOWN_BITS: ReadonlySet<string> = new Set(
  Object.values(ARCH_TABLES).flatMap((table) => [...table.bits, ...table.softleafBits].map((bit) => bit.name)).concat(['swp_sd']),
);
const FORM_NAMES: ReadonlySet<string> = new Set(FORMS);

/** One `@mm` directive found in a comment: its text after `@mm` and where it sits. */
export interface AnnotationSource {
  readonly text: string;
  readonly range: SourceRange;
  /** The code line it applies to. */
  readonly line: number;
}

type Bits = { name: string; value: boolean }[];

class AnnotationSyntaxError extends Error {}

function fail(message: string): never {
  throw new AnnotationSyntaxError(message);
}

function suggest(word: string, known: Iterable<string>): string {
  const lower = word.toLowerCase();
  const close = [...known].filter((k) => k.toLowerCase().includes(lower) || lower.includes(k.toLowerCase()));
  return close.length > 0 ? ` (did you mean ${close.slice(0, 3).join(', ')}?)` : '';
}

function parseBits(words: readonly string[], where: string): Bits {
  return words.map((word) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=([01])$/.exec(word);
    if (!match) fail(`${where}: expected BIT=0 or BIT=1, found "${word}"`);
    const name = match[1]!;
    if (!KNOWN_BITS.has(name)) fail(`${where}: unknown bit "${name}"${suggest(name, KNOWN_BITS)}; bits are per architecture, e.g. W D SD SFD UW (x86_64) or WR RO DT UW (arm64)`);
    return { name, value: match[2] === '1' };
  });
}

function parseFacts(subject: 'vma' | 'folio' | 'mm' | 'cp', words: readonly string[]): { name: string; value: boolean }[] {
  if (words.length === 0) fail(`"${subject}" needs at least one fact, e.g. ${subject} ${[...FACTS[subject]][0]}`);
  return words.map((word) => {
    const negated = word.startsWith('!');
    let name = negated ? word.slice(1) : word;
    let value = !negated;
    if (subject === 'folio' && name === 'file') {
      name = 'anon';
      value = !value;
    }
    if (!FACTS[subject].has(name)) fail(`unknown ${subject} fact "${name}"${suggest(name, FACTS[subject])}`);
    return { name, value };
  });
}

function parseEntryClause(words: readonly string[]): AssumeClause {
  const [subject, ...rest] = words as [string, ...string[]];
  if (!/^\*?[A-Za-z_][A-Za-z0-9_]*$/.test(subject)) fail(`"${subject}" is not an entry name`);
  let form: string | undefined;
  if (rest[0] && FORM_NAMES.has(rest[0])) form = rest.shift();
  else if (rest[0] && !rest[0].includes('=')) {
    const clause = suggest(subject, ['vma', 'folio', 'mm', 'cp']);
    fail(`"${rest[0]}" is not a form (${[...FORM_NAMES].join(', ')})${clause ? `; "${subject}" is not a clause name either${clause}` : ''}`);
  }
  if (!form && rest.length === 0) fail(`"${subject}" needs a form or bits, e.g. ${subject} present W=1 D=0`);
  return { kind: 'entry', subject, ...(form ? { form } : {}), bits: parseBits(rest, subject) };
}

function parseAssume(text: string): AssumeClause[] {
  const clauses = text.split(';').map((c) => c.trim()).filter(Boolean);
  if (clauses.length === 0) fail('"assume" needs a clause, e.g. assume vma VM_WRITE !VM_SHARED; pte present W=1');
  return clauses.map((clause) => {
    const words = clause.split(/\s+/);
    const head = words[0]!;
    if (head === 'vma' || head === 'folio' || head === 'mm' || head === 'cp') return { kind: 'facts', subject: head, facts: parseFacts(head, words.slice(1)) };
    return parseEntryClause(words);
  });
}

function parseRuleList(text: string, directive: string): string[] {
  const rules = text.split(/[\s,]+/).filter(Boolean);
  if (rules.length === 0) fail(`"${directive}" needs a rule id (see mmlens rules)`);
  for (const rule of rules) if (!KNOWN_RULES.has(rule)) fail(`unknown rule "${rule}"${suggest(rule, KNOWN_RULES)}`);
  return rules;
}

function parseDirective(source: AnnotationSource): Annotation {
  const base = { range: source.range, line: source.line };
  const text = source.text.trim();
  const [keyword = '', rest = ''] = /^([^\s:;,]*)\s*([\s\S]*)$/.exec(text)!.slice(1);
  const body = rest.trim();
  switch (keyword) {
    case 'profile': {
      if (!body) fail('"profile" needs a profile, e.g. profile x86_64@6.19');
      // `x86_64 6.19 +MEM_SOFT_DIRTY` is accepted for `x86_64@6.19 +MEM_SOFT_DIRTY`
      const spec = body.replace(/^([A-Za-z0-9_-]+)\s+([0-9]+\.[0-9]+)(?=$|\s)/, '$1@$2');
      try {
        parseProfile(spec);
      } catch (error) {
        if (error instanceof ProfileError) fail(error.message);
        throw error;
      }
      return { ...base, kind: 'profile', spec };
    }
    case 'assume':
      return { ...base, kind: 'assume', clauses: parseAssume(body) };
    case 'expect':
      if (body === 'none') return { ...base, kind: 'expect', rules: [] };
      return { ...base, kind: 'expect', rules: parseRuleList(body, 'expect') };
    case 'state': {
      const words = body.split(/\s+/).filter(Boolean);
      if (words.length === 0) fail('"state" needs bits, e.g. state W=1 UW=0');
      let subject: string | undefined;
      if (words[0] && !words[0].includes('=') && !FORM_NAMES.has(words[0])) subject = words.shift();
      let form: string | undefined;
      if (words[0] && FORM_NAMES.has(words[0])) form = words.shift();
      if (!form && words.length === 0) fail(`"state" needs a form or bits after "${subject}", e.g. state ${subject} W=1 UW=0`);
      return { ...base, kind: 'state', ...(subject ? { subject } : {}), ...(form ? { form } : {}), bits: parseBits(words, 'state') };
    }
    case 'ignore': {
      const colon = body.indexOf(':');
      const rules = parseRuleList(colon >= 0 ? body.slice(0, colon) : body, 'ignore');
      const reason = colon >= 0 ? body.slice(colon + 1).trim() : '';
      return { ...base, kind: 'ignore', rules, ...(reason ? { reason } : {}) };
    }
    case '':
      fail('needs a directive: profile, assume, expect, state or ignore');
    default:
      fail(`unknown directive "${keyword}"${suggest(keyword, ['profile', 'assume', 'expect', 'state', 'ignore'])}; expected profile, assume, expect, state or ignore`);
  }
}

export function parseAnnotation(source: AnnotationSource): Annotation | AnnotationError {
  try {
    return parseDirective(source);
  } catch (error) {
    if (error instanceof AnnotationSyntaxError) return { kind: 'annotation-error', message: `@mm ${error.message}`, range: source.range };
    return { kind: 'annotation-error', message: `@mm: could not read this annotation (${(error as Error).message})`, range: source.range };
  }
}

/**
 * `@mm` as a word of its own, followed by a space or the comment's end: not kernel-doc's
 * `@mm:` or `@mm :` parameter description, nor the tail of an address such as `someone@mm.example`.
 */
export const ANNOTATION_MARKER = /(?<![\w.@-])@mm(?=\s|\*\/|$)(?![ \t]*:)/;

/**
 * Splits a comment's text into its `@mm` directives. `commentStart` is the
 * comment's position; ranges are computed from the text, so they are exact.
 */
export function annotationSources(comment: string, commentStart: { line: number; character: number }, attachLine: number): AnnotationSource[] {
  const sources: AnnotationSource[] = [];
  const pattern = new RegExp(ANNOTATION_MARKER.source, 'g');
  const starts: number[] = [];
  for (let match = pattern.exec(comment); match; match = pattern.exec(comment)) {
    // the first directive must open a line of the comment (after `/*`, `//`, `*`); a mention
    // of @mm in prose earlier in the comment is not an annotation
    if (starts.length === 0 && !opensLine(comment, match.index)) continue;
    starts.push(match.index);
  }
  const positions = new PositionCursor(comment, commentStart);
  starts.forEach((start, i) => {
    let end = i + 1 < starts.length ? starts[i + 1]! : comment.length;
    let raw = comment.slice(start + 3, end);
    const close = raw.lastIndexOf('*/');
    if (close >= 0 && i + 1 === starts.length) {
      raw = raw.slice(0, close);
      end = start + 3 + close;
    }
    // drop what follows the directive's last word: spaces, and the ` * ` that opens the next
    // line of a block comment before the next directive
    raw = raw.slice(0, directiveEnd(raw));
    // spaces first collapsed in one linear pass: on a long run of them the line-joining pattern
    // would try every start in the run (a comment with 160,000 tabs took two minutes)
    const text = raw.replace(/[^\S\n]+/g, ' ').replace(/\s*\n[ \t]*\*?[ \t]*/g, ' ');
    sources.push({ text, range: { start: positions.at(start), end: positions.at(start + 3 + raw.length) }, line: attachLine });
  });
  return sources;
}

/** Whether only spaces, `/`, `*` and `!` stand between the start of a line (or the comment) and `offset`. */
function opensLine(comment: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const ch = comment[i]!;
    if (ch === '\n') return true;
    if (!/[\s/*!]/.test(ch)) return false;
  }
  return true;
}

/**
 * Where a directive's text ends: before trailing spaces, and before the `\n * ` that opens the
 * next line of a block comment. The same as matching `\s*(\n[\s*]*)?$`, in linear time.
 */
export function directiveEnd(raw: string): number {
  let i = raw.length;
  while (i > 0 && /[\s*]/.test(raw[i - 1]!)) i--;
  // from i on all is spaces and stars; a star may only follow a line break
  let newline = raw.indexOf('\n', i);
  for (;;) {
    const star = raw.indexOf('*', i);
    if (star < 0 || (newline >= 0 && newline < star)) return i;
    i = star + 1;
    if (newline >= 0 && newline < i) newline = raw.indexOf('\n', i);
  }
}

/** Positions of increasing offsets in a text that starts at `origin`, in one pass over it. */
class PositionCursor {
  private offset = 0;
  private line: number;
  private character: number;

  constructor(
    private readonly text: string,
    origin: { line: number; character: number },
  ) {
    this.line = origin.line;
    this.character = origin.character;
  }

  at(offset: number): { line: number; character: number } {
    for (; this.offset < offset; this.offset++) {
      if (this.text.charCodeAt(this.offset) === 10) {
        this.line++;
        this.character = 0;
      } else this.character++;
    }
    return { line: this.line, character: this.character };
  }
}
