// Mutations of an input, aimed at what people paste and save: truncated functions, broken
// patches and mails, odd annotations, binary junk, CRLF, very long lines, deep nesting, bytes
// that are not UTF-8. Text mutations work on the decoded text; byte mutations on the encoded
// file (they run last, so what they break stays broken).

import type { Random } from './random';

export interface TextMutation {
  readonly name: string;
  readonly on: 'text';
  apply(text: string, other: string, random: Random): string;
}

export interface ByteMutation {
  readonly name: string;
  readonly on: 'bytes';
  apply(bytes: Buffer, random: Random): Buffer;
}

export type Mutation = TextMutation | ByteMutation;

const at = (length: number, random: Random) => random.below(length + 1);
const insertAt = (text: string, random: Random, piece: string) => {
  const i = at(text.length, random);
  return text.slice(0, i) + piece + text.slice(i);
};
const text = (name: string, apply: TextMutation['apply']): TextMutation => ({ name, on: 'text', apply });
const bytes = (name: string, apply: ByteMutation['apply']): ByteMutation => ({ name, on: 'bytes', apply });

const NESTING: Record<string, string> = { '{': '}', '(': ')', '[': ']', 'if (x) {': '}', '/* ': ' */', '#if 1\n': '#endif\n', 'do { ': '} while (0); ' };

/** Whatever the kind of document. */
export const GENERAL: readonly Mutation[] = [
  text('truncate', (t, _o, r) => t.slice(0, at(t.length, r))),
  text('duplicate-range', (t, _o, r) => {
    const start = at(t.length, r);
    const end = Math.min(t.length, start + r.below(r.chance(0.1) ? 20000 : 400));
    return t.slice(0, end) + t.slice(start, end).repeat(1 + r.below(r.chance(0.1) ? 50 : 3)) + t.slice(end);
  }),
  text('delete-range', (t, _o, r) => {
    const start = at(t.length, r);
    return t.slice(0, start) + t.slice(start + r.below(200));
  }),
  text('deep-nesting', (t, _o, r) => {
    const depth = r.pick([50, 500, 5000, 5000, 5000, 20000]);
    const open = r.pick(Object.keys(NESTING));
    return insertAt(t, r, open.repeat(depth) + (r.chance(0.5) ? NESTING[open]!.repeat(depth) : ''));
  }),
  text('huge-line', (t, _o, r) => {
    const unit = r.pick(['x', 'pte_mkwrite(', '/*', '"', '@@ ', '> ', '\t', 'a + ', '+']);
    const length = r.chance(0.1) ? 1_000_000 : 10_000 + r.below(100_000);
    return insertAt(t, r, unit.repeat(Math.ceil(length / unit.length)));
  }),
  text('many-lines', (t, _o, r) => insertAt(t, r, r.pick(['\n', ';\n', '}\n', '+\n', '> \n']).repeat(5_000 + r.below(r.chance(0.1) ? 95_000 : 20_000)))),
  text('invalid-utf16', (t, _o, r) => insertAt(t, r, r.pick(['\ud800', '\udfff', '\ud83d', '\ufffd\ufffe', '\u0000', '\u202e', '\u2028', '\ufeff', '\u{1f600}']))),
  text('crlf', (t) => t.replace(/\n/g, '\r\n')),
  text('lone-cr', (t) => t.replace(/\n/g, '\r')),
  text('mixed-line-endings', (t, _o, r) => t.replace(/\n/g, () => r.pick(['\n', '\r\n', '\r', '\n\r']))),
  text('nul-junk', (t, _o, r) => insertAt(t, r, '\0'.repeat(1 + r.below(8)))),
  text('splice', (t, other, r) => t.slice(0, at(t.length, r)) + other.slice(at(other.length, r))),
  text('swap-lines', (t, _o, r) => {
    const lines = t.split('\n');
    for (let i = 0, n = 1 + r.below(20); i < n && lines.length > 1; i++) {
      const a = r.below(lines.length);
      const b = r.below(lines.length);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
    }
    return lines.join('\n');
  }),
  bytes('flip-bits', (b, r) => {
    const out = Buffer.from(b);
    for (let i = 0, n = 1 + r.below(Math.max(1, b.length / 100)); i < n && out.length > 0; i++) out[r.below(out.length)] ^= 1 << r.below(8);
    return out;
  }),
  bytes('invalid-utf8', (b, r) => {
    const junk = Buffer.from(r.pick([[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80]]));
    const i = at(b.length, r);
    return Buffer.concat([b.subarray(0, i), junk, b.subarray(i)]);
  }),
  bytes('binary-junk', (b, r) => {
    const junk = Buffer.from(Array.from({ length: 16 + r.below(r.chance(0.2) ? 20000 : 500) }, () => r.below(256)));
    const i = at(b.length, r);
    return Buffer.concat([b.subarray(0, i), junk, b.subarray(i)]);
  }),
  bytes('utf8-bom', (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b])),
  bytes('utf16le', (b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')])),
];

const BAD_ANNOTATIONS = [
  '/* @mm */', '/* @mm profile */', '/* @mm profile sparc@9.9 +FOO */', '/* @mm profile x86_64@99999999999999999999.1 */', '/* @mm profile x86_64@6. */',
  '/* @mm profile x86_64@-1.-1 */', '/* @mm profile x86_64@6.19 -MEM_SOFT_DIRTY +X86_USER_SHADOW_STACK +X86_USER_SHADOW_STACK -X86_USER_SHADOW_STACK */',
  '/* @mm profile arm64 6.10 +CONFIG_ */', '/* @mm profile @ */', '/* @mm profile x86_64@1e309 */',
  '/* @mm assume */', '/* @mm assume ; ; ; */', '/* @mm assume vma VM_WRITE !VM_WRITE */', '/* @mm assume *ptep present W=2 */', '/* @mm assume pte W= */',
  '/* @mm assume nothing at all */', '/* @mm assume vma */', '/* @mm assume pmd swap W=1 D=99999999999999999999 */', '/* @mm assume * */', '/* @mm assume !!!VM_WRITE */',
  '/* @mm assume folio anon exclusive', '// @mm assume vma VM_SHARED\n',
  '/* @mm expect */', '/* @mm expect no-such-rule */', '/* @mm expect none stale-tlb */', '/* @mm expect ,,, */',
  '/* @mm state */', '/* @mm state present W=1 D=', '/* @mm state *** */', '/* @mm state pte W=1 W=0 */',
  '/* @mm ignore */', '/* @mm ignore * */', '/* @mm ignore stale-tlb: */', '/* @mm ignore : reason */', '/* @mm frobnicate */', '/* @mm @mm @mm */',
  '/* @mm bounds maxPaths 999999999999999999999 */', '/* @mm unroll -1 */',
  `/* @mm expect ${'stale-tlb '.repeat(500)}*/`, `/* @mm assume vma ${'VM_WRITE '.repeat(2000)}*/`, `/* @mm state ${'W=1 '.repeat(2000)}*/`,
  `/* ${'@mm expect stale-tlb '.repeat(300)}*/`,
];

export const ANNOTATION: readonly Mutation[] = [
  text('insert-bad-annotation', (t, _o, r) => {
    const lines = t.split('\n');
    for (let i = 0, n = 1 + r.below(3); i < n; i++) lines.splice(r.below(lines.length + 1), 0, r.pick(BAD_ANNOTATIONS));
    return lines.join('\n');
  }),
  text('mangle-existing-annotation', (t, _o, r) =>
    t.replace(/@mm (\w+)([^\n*]*)/g, (whole, key: string, rest: string) =>
      r.pick([
        `@mm ${key}`, // value missing
        `@mm ${key}x${rest}`, // unknown key
        `@mm ${key}${rest.replace(/\d+/g, () => r.pick(['99999999999999999999', '-1', 'NaN', '1e309', '0x10']))}`,
        `@mm ${key}${rest.replace(/[A-Za-z_]+/g, () => r.pick(['', 'garbage', 'VM_', '@', '=', '!']))}`,
        `@mm${rest}`,
        whole + whole,
      ]),
    ),
  ),
  text('annotation-in-odd-place', (t, _o, r) =>
    insertAt(t, r, r.pick(['"/* @mm expect stale-tlb */"', '#define X /* @mm profile arm64 */', "'@mm'", '/* unterminated @mm assume vma VM_WRITE', '// @mm expect none \\\n continued'])),
  ),
];

const BAD_HUNK_HEADERS = (r: Random) =>
  r.pick([
    '@@ -1,3 +1,4 @@', '@@ -99999,1 +0,0 @@', '@@ -x +y @@', '@@', '@@ -1 +1 @@ trailing', '@@ -0,0 +0,0 @@', '@@ -1,0 +1,99999 @@',
    '@@ -99999999999999999999,1 +1,99999999999999999999 @@', '@@ --1,-3 +-1,-4 @@', '@@@ -1,2 -1,2 +1,3 @@@', '@@ -1,3 +1,4 @@ static void f(void)' + ' x'.repeat(5000),
    `@@ -${r.below(50)},${r.below(50)} +${r.below(50)},${r.below(50)} @@`,
  ]);

export const PATCH: readonly Mutation[] = [
  text('mangle-hunk-header', (t, _o, r) => t.replace(/^(> )?@@[^\n]*@@/gm, (_w, quote: string | undefined) => (quote ?? '') + BAD_HUNK_HEADERS(r))),
  text('drop-file-headers', (t, _o, r) => t.replace(/^(> )?(\+\+\+|---|diff --git|index) [^\n]*\n/gm, (line) => (r.chance(0.6) ? '' : line))),
  text('mangle-file-headers', (t, _o, r) =>
    t.replace(/^(\+\+\+|---) [^\n]*/gm, (_w, sign: string) => `${sign} ${r.pick(['', 'b/../../etc/passwd', '/dev/null', 'a/', '"b/quoted name.c"', 'b/' + 'd/'.repeat(2000) + 'x.c', 'b/x.c\t2024-01-01'])}`),
  ),
  text('mangle-hunk-lines', (t, _o, r) =>
    t.replace(/^([ +-])([^\n]*)/gm, (whole, sign: string, rest: string) => (r.chance(0.1) ? r.pick(['+', '-', ' ', '', '\\ No newline at end of file\n' + sign]) + rest : whole)),
  ),
  text('hunk-without-header', (t, _o, r) => insertAt(t, r, '\n+\tpte = pte_mkwrite(pte, vma);\n-\tpte = maybe_mkwrite(pte, vma);\n')),
  text('empty-hunks', (t, _o, r) => insertAt(t, r, '\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n' + '@@ -1,0 +1,0 @@\n'.repeat(1 + r.below(2000)))),
];

export const MAIL: readonly Mutation[] = [
  text('broken-base64-part', (t, _o, r) => {
    const body = Buffer.from(t).toString('base64');
    return `From nobody Mon Jan  1 00:00:00 2001\nSubject: [PATCH] x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="${r.pick(['x', '', '"', '-'.repeat(5000)])}"\n\n--x\nContent-Transfer-Encoding: base64\n\n${body.slice(0, 1 + r.below(body.length + 1))}${r.pick(['!!', '====', '', '\n--x--\n'])}\n`;
  }),
  text('broken-quoted-printable', (t, _o, r) => {
    const encoded = t.replace(/=/g, '=3D').replace(/\n/g, () => r.pick(['=\n', '\n', '=0A=\n']));
    return `Subject: [PATCH] x\nContent-Type: text/plain; charset=${r.pick(['utf-8', 'utf-16', 'x-unknown', '"'])}\nContent-Transfer-Encoding: quoted-printable\n\n${encoded.slice(0, at(encoded.length, r))}${r.pick(['=ZZ', '=', '=\n=\n', '=C3'])}`;
  }),
  text('quote-deeper', (t, _o, r) => t.split('\n').map((l) => `${r.pick(['> ', '>', '>> ', '> > ', '| ', ''])}${l}`).join('\n')),
  text('many-from-lines', (t, _o, r) => `From a@b\n${'From x@y Mon Jan  1 00:00:00 2001\n'.repeat(r.below(2000))}\n${t}`),
  text('broken-headers', (t, _o, r) =>
    insertAt(t, r, r.pick(['\nSubject:', '\nSubject: ' + '=?utf-8?b?' + '!'.repeat(1000) + '?=', '\nContent-Type: multipart/mixed; boundary=\n', '\n\tfolded continuation\n', '\nFrom \n', '\n' + 'X-Long: '.repeat(10000) + '\n'])),
  ),
  text('unclosed-multipart', (t) => `Content-Type: multipart/alternative; boundary="b"\n\n--b\nContent-Type: text/plain\n\n${t}\n--b\nContent-Type: text/html\n\n<p>${t.slice(0, 200)}`),
];

export const FAMILIES = { general: GENERAL, annotation: ANNOTATION, patch: PATCH, mail: MAIL } as const;
export type Family = keyof typeof FAMILIES;

export interface MutatedInput {
  /** What an editor would hand over: the text itself (lone surrogates included), or the bytes decoded as the CLI reads a file. */
  readonly text: string;
  /** What a file holds. */
  readonly bytes: Buffer;
  readonly applied: readonly string[];
}

/**
 * One to three mutations drawn from `families` (the first family always contributes one, so an
 * "annotations" case always has a mangled annotation); text mutations first, byte mutations last.
 */
export function mutate(input: string, other: string, families: readonly Family[], random: Random): MutatedInput {
  const chosen: Mutation[] = [random.pick(FAMILIES[families[0]!])];
  const pool = families.flatMap((family) => FAMILIES[family]);
  for (let i = 0, n = random.below(3); i < n; i++) chosen.push(random.pick(pool));
  let current = input;
  for (const mutation of chosen) if (mutation.on === 'text') current = mutation.apply(current, other, random);
  let encoded: Buffer = Buffer.from(current, 'utf8');
  for (const mutation of chosen) if (mutation.on === 'bytes') encoded = mutation.apply(encoded, random);
  const bytesChanged = chosen.some((m) => m.on === 'bytes');
  return { text: bytesChanged ? encoded.toString('utf8') : current, bytes: encoded, applied: chosen.map((m) => m.name) };
}
