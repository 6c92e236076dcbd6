// Mutations of a text input: each takes the text (and a second input to splice from) and
// returns a new text. Aimed at what people paste: truncated functions, broken patches and
// mails, odd annotations, binary junk, CRLF, very long lines, deep nesting.

import type { Random } from './random';

export interface Mutation {
  readonly name: string;
  apply(text: string, other: string, random: Random): string;
}

const at = (text: string, random: Random) => random.below(text.length + 1);

export const MUTATIONS: readonly Mutation[] = [
  { name: 'flip-bytes', apply: (text, _o, r) => [...text].map((c) => (r.chance(0.01) ? String.fromCharCode(r.below(128)) : c)).join('') },
  { name: 'truncate', apply: (text, _o, r) => text.slice(0, at(text, r)) },
  {
    name: 'duplicate-range',
    apply: (text, _o, r) => {
      const start = at(text, r);
      const end = Math.min(text.length, start + r.below(400));
      return text.slice(0, end) + text.slice(start, end) + text.slice(end);
    },
  },
  { name: 'delete-range', apply: (text, _o, r) => { const start = at(text, r); return text.slice(0, start) + text.slice(start + r.below(200)); } },
  {
    name: 'deep-nesting',
    apply: (text, _o, r) => {
      const depth = 500 + r.below(4000);
      const open = r.pick(['{', '(', 'if (x) {', '[']);
      const close = { '{': '}', '(': ')', 'if (x) {': '}', '[': ']' }[open]!;
      const i = at(text, r);
      return text.slice(0, i) + open.repeat(depth) + (r.chance(0.5) ? close.repeat(depth) : '') + text.slice(i);
    },
  },
  { name: 'huge-line', apply: (text, _o, r) => { const i = at(text, r); return text.slice(0, i) + r.pick(['x', 'pte_mkwrite(', '/*', '"', '@@ ']).repeat(20000 + r.below(200000)) + text.slice(i); } },
  { name: 'invalid-utf16', apply: (text, _o, r) => { const i = at(text, r); return text.slice(0, i) + r.pick(['\ud800', '\udfff', '\ufffd\ufffe', '\u0000', '\u202e']) + text.slice(i); } },
  { name: 'crlf', apply: (text) => text.replace(/\n/g, '\r\n') },
  { name: 'lone-cr', apply: (text) => text.replace(/\n/g, '\r') },
  { name: 'binary', apply: (text, _o, r) => { const i = at(text, r); return text.slice(0, i) + Array.from({ length: 50 + r.below(500) }, () => String.fromCharCode(r.below(256))).join('') + text.slice(i); } },
  { name: 'splice', apply: (text, other, r) => text.slice(0, at(text, r)) + other.slice(at(other, r)) },
  {
    name: 'mangle-annotation',
    apply: (text, _o, r) => {
      const annotation = r.pick([
        '/* @mm profile */', '/* @mm profile sparc@9.9 +FOO */', '/* @mm profile x86_64@6.19 -MEM_SOFT_DIRTY +X86_USER_SHADOW_STACK */',
        '/* @mm assume */', '/* @mm assume vma VM_WRITE !VM_WRITE */', '/* @mm assume *ptep present W=2 */', '/* @mm assume nothing at all */',
        '/* @mm expect */', '/* @mm expect no-such-rule */', '/* @mm state */', '/* @mm state present W=1 D=',
        '/* @mm ignore */', '/* @mm ignore * */', '/* @mm frobnicate */', '// @mm assume vma VM_SHARED\n', '/* @mm assume folio anon exclusive',
        `/* @mm expect ${'stale-tlb '.repeat(500)}*/`,
      ]);
      const lines = text.split('\n');
      lines.splice(r.below(lines.length + 1), 0, annotation);
      return lines.join('\n');
    },
  },
  {
    name: 'mangle-hunk',
    apply: (text, _o, r) =>
      text.replace(/^@@[^\n]*@@/gm, () => r.pick(['@@ -1,3 +1,4 @@', '@@ -99999,1 +0,0 @@', '@@ -x +y @@', '@@', '@@ -1 +1 @@ trailing', `@@ -${r.below(50)},${r.below(50)} +${r.below(50)},${r.below(50)} @@`]))
        .replace(/^\+\+\+ [^\n]*/m, () => r.pick(['', '+++ ', '+++ b/../../etc/passwd', '+++ /dev/null'])),
  },
  {
    name: 'mangle-mail',
    apply: (text, _o, r) =>
      r.pick([
        () => `From nobody Mon Jan  1 00:00:00 2001\nContent-Type: multipart/mixed; boundary="x"\n\n--x\nContent-Transfer-Encoding: base64\n\n${Buffer.from(text).toString('base64').slice(0, 1 + r.below(4000))}!!\n--x--\n`,
        () => `Subject: [PATCH] x\nContent-Transfer-Encoding: quoted-printable\n\n${text.replace(/=/g, '=3D').replace(/\n/g, '=\n').slice(0, 5000)}=ZZ`,
        () => text.split('\n').map((l) => `> ${r.chance(0.5) ? '> ' : ''}${l}`).join('\n'),
        () => `From a@b\n${'From '.repeat(r.below(20))}\n${text}`,
      ])(),
  },
];

/** One to three mutations in a row; the names say what was done. */
export function mutate(text: string, other: string, random: Random): { text: string; applied: string[] } {
  const applied: string[] = [];
  let result = text;
  for (let i = 0, n = 1 + random.below(3); i < n; i++) {
    const mutation = random.pick(MUTATIONS);
    result = mutation.apply(result, other, random);
    applied.push(mutation.name);
  }
  return { text: result, applied };
}
