// The TextMate grammars that highlight @mm annotations. VS Code runs them with Oniguruma; the
// patterns used here are in the common subset of Oniguruma and JavaScript regular expressions
// (\G, which JavaScript lacks, only anchors the mbox diff rules and is read as ^ below).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';

interface Rule {
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  patterns?: Rule[];
  captures?: Record<string, { name: string }>;
  beginCaptures?: Record<string, { name: string }>;
}

const grammar = (file: string) => JSON.parse(readFileSync(join(repoRoot(), 'grammars', file), 'utf8')) as { repository?: Record<string, Rule>; patterns: Rule[] };
const annotations = grammar('mm-annotations.tmLanguage.json');
const repository = annotations.repository!;
const regex = (source: string) => new RegExp(source.replace(/\\G/g, '^'));

function rules(rule: Rule | undefined): Rule[] {
  return rule ? [rule, ...(rule.patterns ?? []).flatMap(rules)] : [];
}

function directive(line: string): { name: string; text: string } | undefined {
  for (const key of ['profile', 'assume', 'state', 'expect', 'ignore']) {
    const begin = regex(repository[key]!.begin!).exec(line);
    if (begin) return { name: key, text: line.slice(begin.index + begin[0].length) };
  }
  return undefined;
}

/** The match rules inside a directive, with `#include`s expanded, in order. */
function innerRules(key: string): Rule[] {
  const expand = (rule: Rule): Rule[] => (rule.include ? (repository[rule.include.slice(1)]!.patterns ?? [repository[rule.include.slice(1)]!]).flatMap(expand) : [rule]);
  return repository[key]!.patterns!.flatMap(expand);
}

/**
 * What a TextMate engine scopes in the text after a directive's keyword, as `scope:text`
 * (scope cut to two parts): up to the directive's end, the earliest match wins, ties to the
 * first rule.
 */
function scoped(key: string, text: string): string[] {
  const end = regex(repository[key]!.end!).exec(text);
  let rest = text.slice(0, end ? end.index : text.length);
  const found: string[] = [];
  for (;;) {
    const candidates = innerRules(key).flatMap((rule) => {
      const m = regex(rule.match!).exec(rest);
      return m ? [{ rule, m }] : [];
    });
    if (candidates.length === 0) return found;
    const { rule, m } = candidates.reduce((a, b) => (b.m.index < a.m.index ? b : a));
    const scope = rule.name ?? Object.values(rule.captures ?? {}).map((c) => c.name.split('.').slice(0, 2).join('.')).join('+');
    found.push(`${rule.name ? scope.split('.').slice(0, 2).join('.') : scope}:${m[0]}`);
    rest = rest.slice(m.index + Math.max(m[0].length, 1));
  }
}

test('every pattern of the three grammars compiles', () => {
  for (const file of ['mm-annotations.tmLanguage.json', 'mm-annotations-diff.tmLanguage.json', 'mbox.tmLanguage.json']) {
    const g = grammar(file);
    for (const rule of [...g.patterns, ...Object.values(g.repository ?? {})].flatMap(rules)) {
      for (const source of [rule.match, rule.begin, rule.end]) if (source) assert.doesNotThrow(() => regex(source), `${file}: ${source}`);
    }
  }
});

test('@mm directives are found in comment text; kernel-doc @mm: and mail addresses are not', () => {
  assert.equal(directive(' @mm expect uffd-wp-writable ')?.name, 'expect');
  assert.equal(directive('\t@mm profile x86_64@6.6 +X86_USER_SHADOW_STACK')?.name, 'profile');
  assert.equal(directive(' * @mm state W=1 UW=0')?.name, 'state');
  assert.equal(directive(' * @mm: the mm_struct to operate on'), undefined);
  assert.equal(directive(' Reported-by: someone@mm.example expect'), undefined);
  assert.equal(directive(' @mmap expect'), undefined);
  assert.equal(directive(' @mm Expect none'), undefined);
});

test('the parts of each directive get their scopes', () => {
  assert.deepEqual(scoped('expect', ' uffd-wp-writable, stale-tlb */'), ['support.constant:uffd-wp-writable', 'support.constant:stale-tlb']);
  assert.deepEqual(scoped('ignore', ' dirty-lost: the caller keeps it read-only */'), ['support.constant:dirty-lost', 'punctuation.separator+string.unquoted:: the caller keeps it read-only ']);
  assert.deepEqual(scoped('profile', ' x86_64@6.6 +X86_USER_SHADOW_STACK -MEM_SOFT_DIRTY'), [
    'entity.name:x86_64',
    'constant.numeric:@6.6',
    'variable.parameter:+X86_USER_SHADOW_STACK',
    'variable.parameter:-MEM_SOFT_DIRTY',
  ]);
  assert.deepEqual(scoped('assume', ' vma VM_WRITE !VM_SHARED; pte present W=0 D=1 @mm expect none'), [
    'storage.type:vma',
    'constant.language:VM_WRITE',
    'keyword.operator:!',
    'constant.language:VM_SHARED',
    'punctuation.separator:;',
    'variable.language:pte',
    'support.type:present',
    'variable.other+keyword.operator+constant.numeric:W=0',
    'variable.other+keyword.operator+constant.numeric:D=1',
  ]);
});

test('patch lines carrying an annotation keep their diff scope; header lines are left to the diff grammar', () => {
  const [inserted, deleted, context] = grammar('mm-annotations-diff.tmLanguage.json').patterns.map((rule) => regex(rule.begin!));
  assert.match('+\tpte = pte_mkwrite(pte, vma);\t/* @mm expect uffd-wp-writable */', inserted!);
  assert.match('-\t/* @mm state W=0 */', deleted!);
  assert.match(' \t/* @mm ignore dirty-lost: caller */', context!);
  assert.doesNotMatch('+++ b/mm/@mm expect x', inserted!);
  assert.doesNotMatch('+\tpte = pte_mkwrite(pte, vma);', inserted!);
  assert.doesNotMatch(' * @mm: the mm', context!);
});
