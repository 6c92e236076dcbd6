// The known fixes of the rules (docs/rules/<id>.md, "How to fix or annotate") as data, and the
// text edits that carry them out on a C source; and the `@mm assume` clause that states the
// assumption behind each rule's witness (docs/annotations.md). An edit is only offered when
// the code around the finding has the shape the fix expects; otherwise there is no fix.

import { helperSetFor, parseProfile } from '../../../simulator/src';
import type { Position, Range } from '../text/positions';

export type RuleFix =
  /**
   * Insert a statement (optionally under a guard) before the install: `{v}` is the installed value,
   * `{l}` the level. One that takes permissions away is not offered before `*_set_access_flags`,
   * which may only add them.
   */
  | { readonly kind: 'before-install'; readonly title: string; readonly statement: string; readonly guard?: string; readonly downgrades?: boolean }
  /** Rename the call on the path that made the entry writable. */
  | { readonly kind: 'rename-call'; readonly title: string; readonly renames: Readonly<Record<string, string>> }
  /** Insert `folio_mark_dirty(<folio>);` before the install, `<folio>` being the function's folio variable. */
  | { readonly kind: 'mark-folio-dirty'; readonly title: string }
  /** Move the TLB flush that follows the unlock to just before it. */
  | { readonly kind: 'flush-before-unlock'; readonly title: string };

export const RULE_FIXES: Readonly<Record<string, RuleFix>> = {
  'uffd-wp-writable': {
    kind: 'before-install',
    title: 'Write-protect the entry when uffd-wp is set ({l}_wrprotect)',
    guard: 'if ({l}_uffd_wp({v}))',
    statement: '{v} = {l}_wrprotect({v});',
    downgrades: true,
  },
  'cow-writable': { kind: 'before-install', title: 'Write-protect the entry before installing it ({l}_wrprotect)', statement: '{v} = {l}_wrprotect({v});', downgrades: true },
  'softdirty-bypass': { kind: 'before-install', title: 'Mark the entry soft-dirty before installing it ({l}_mksoft_dirty)', statement: '{v} = {l}_mksoft_dirty({v});' },
  'write-without-vm-write': {
    kind: 'rename-call',
    title: 'Use {to}, which grants write only with VM_WRITE',
    renames: { pte_mkwrite: 'maybe_mkwrite', pmd_mkwrite: 'maybe_pmd_mkwrite' },
  },
  'dirty-lost': { kind: 'mark-folio-dirty', title: 'Mark the folio dirty before the entry is replaced (folio_mark_dirty)' },
  'stale-tlb': { kind: 'flush-before-unlock', title: 'Flush the TLB before dropping the page-table lock' },
};

/** An `@mm assume` clause that excludes the witness when the witness has `fact` = `when`. */
export interface Assumption {
  readonly clause: string;
  readonly fact: string;
  readonly when: boolean;
}

export const RULE_ASSUMPTIONS: Readonly<Record<string, readonly Assumption[]>> = {
  'uffd-wp-writable': [{ clause: 'vma !VM_UFFD_WP', fact: 'vma.VM_UFFD_WP', when: true }],
  'write-without-vm-write': [{ clause: 'vma VM_WRITE', fact: 'vma.VM_WRITE', when: false }],
  'shstk-lookalike': [{ clause: 'vma VM_SHADOW_STACK VM_WRITE', fact: 'vma.VM_SHADOW_STACK', when: false }],
  'softdirty-bypass': [{ clause: 'vma VM_SOFTDIRTY', fact: 'vma.VM_SOFTDIRTY', when: false }],
  'writenotify-bypass': [{ clause: 'vma !writenotify', fact: 'vma.writenotify', when: true }],
  'cow-writable': [
    { clause: 'folio anon exclusive', fact: 'folio.exclusive', when: false },
    { clause: 'folio file', fact: 'folio.anon', when: true },
  ],
  'dirty-lost': [{ clause: 'folio dirty', fact: 'folio.dirty', when: false }],
  'bit-lost-on-conversion': [
    { clause: 'vma !VM_UFFD_WP', fact: 'vma.VM_UFFD_WP', when: true },
    { clause: 'vma VM_SOFTDIRTY', fact: 'vma.VM_SOFTDIRTY', when: false },
  ],
  'migration-entry-type': [{ clause: 'folio anon exclusive', fact: 'folio.exclusive', when: false }],
};

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

/** Where a finding is and what the code around it is. */
export interface FixSite {
  /** The document's lines. */
  readonly lines: readonly string[];
  /** The finding's range (the install, the unlock …). */
  readonly range: Range;
  readonly profile: string;
  /** The line the function starts on. */
  readonly functionLine: number;
  /** Calls on the path before the finding. */
  readonly calls: readonly { readonly callee: string; readonly range: Range }[];
}

/** The edit that applies `fix` at `site`, or undefined when the code does not have the expected shape. */
export function fixEdits(fix: RuleFix, site: FixSite): { title: string; edits: TextEdit[] } | undefined {
  switch (fix.kind) {
    case 'before-install': {
      const install = installAt(site);
      if (!install?.value || (fix.downgrades && install.accessFlags)) return undefined;
      const fill = (template: string) => template.replace(/\{v\}/g, install.value!).replace(/\{l\}/g, install.level);
      const indent = install.indent;
      const text = fix.guard ? `${indent}${fill(fix.guard)}\n${indent}\t${fill(fix.statement)}\n` : `${indent}${fill(fix.statement)}\n`;
      return { title: fill(fix.title), edits: [insertLine(install.line, text)] };
    }
    case 'rename-call': {
      for (const call of [...site.calls].reverse()) {
        const to = fix.renames[call.callee];
        if (!to || textAt(site.lines, call.range.start, call.callee.length) !== call.callee) continue;
        const end = { line: call.range.start.line, character: call.range.start.character + call.callee.length };
        return { title: fix.title.replace('{to}', to), edits: [{ range: { start: call.range.start, end }, newText: to }] };
      }
      return undefined;
    }
    case 'mark-folio-dirty': {
      const install = installAt(site);
      const body = site.lines.slice(site.functionLine, site.range.start.line + 1).join('\n');
      const folio = /struct\s+folio\s*\*\s*([A-Za-z_]\w*)/.exec(body)?.[1];
      if (!install || !folio) return undefined;
      return { title: fix.title, edits: [insertLine(install.line, `${install.indent}folio_mark_dirty(${folio});\n`)] };
    }
    case 'flush-before-unlock': {
      const line = site.range.start.line;
      const indent = statementIndent(site.lines[line] ?? '', site.range.start.character);
      if (indent === undefined) return undefined;
      for (let l = line + 1; l < site.lines.length && !/^\}/.test(site.lines[l]!); l++) {
        const flush = /^\s*(flush_\w*tlb\w*\(.*\);)\s*$/.exec(site.lines[l]!);
        if (!flush) continue;
        const remove = { range: { start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } }, newText: '' };
        return { title: fix.title, edits: [insertLine(line, `${indent}${flush[1]}\n`), remove] };
      }
      return undefined;
    }
  }
}

/**
 * The facts the `@mm assume` clauses in force already fix (`Finding.assumptions`, e.g.
 * `vma VM_WRITE !VM_SHARED`, `folio file`): an assumption about one of them is not offered.
 */
export function assumedFacts(assumptions: readonly string[]): Set<string> {
  const facts = new Set<string>();
  for (const clause of assumptions) {
    const [subject, ...words] = clause.split(/\s+/);
    if (!['vma', 'folio', 'mm', 'cp'].includes(subject!)) continue;
    for (const word of words) facts.add(`${subject}.${word === 'file' ? 'anon' : word.replace(/^!/, '')}`);
  }
  return facts;
}

/** The `@mm assume` comment line that states `assumption`, above the function. */
export function assumptionEdit(assumption: Assumption, functionLine: number): TextEdit {
  return insertLine(functionLine, `/* @mm assume ${assumption.clause} */\n`);
}

interface Install {
  readonly line: number;
  readonly indent: string;
  readonly level: string;
  /** The installed value when it is a plain variable. */
  readonly value: string | undefined;
  /** Installed with `*_set_access_flags`. */
  readonly accessFlags: boolean;
}

/** The install call at the finding, when it starts a statement (or an `if`/`return`): its value argument and level. */
function installAt(site: FixSite): Install | undefined {
  const { line, character } = site.range.start;
  const text = site.lines[line] ?? '';
  const indent = statementIndent(text, character);
  const call = /^([A-Za-z_]\w*)\s*\(/.exec(text.slice(character));
  if (indent === undefined || !call) return undefined;
  const helper = helperOn(site.profile, call[1]!);
  if (!helper || helper.def.kind !== 'inplace') return undefined;
  const visible = helper.params.filter((p) => !p.implicit);
  const valueIndex = visible.map((p) => p.kind).lastIndexOf('entry');
  const args = callArguments(text.slice(character + call[0].length));
  const value = args?.[valueIndex]?.trim();
  return { line, indent, level: helper.level, value: value && /^[A-Za-z_]\w*$/.test(value) ? value : undefined, accessFlags: call[1]!.endsWith('_set_access_flags') };
}

/** The helper on a profile; undefined for an unknown helper or profile. */
function helperOn(profile: string, name: string) {
  try {
    return helperSetFor(parseProfile(profile)).get(name);
  } catch {
    return undefined;
  }
}

/** The indentation of a line whose statement starts with the call at `character` (after `if (` or `return` at most). */
function statementIndent(text: string, character: number): string | undefined {
  const before = text.slice(0, character);
  const indent = /^\s*/.exec(before)![0];
  const rest = before.slice(indent.length).trim();
  return rest === '' || /^(if|while)\s*\(+!?$/.test(rest) || rest === 'return' ? indent : undefined;
}

/** The top-level arguments of a call on one line, from just after its `(`; undefined when it does not close there. */
function callArguments(text: string): string[] | undefined {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    else if (ch === ')') {
      args.push(text.slice(start, i));
      return args;
    } else if (ch === ',' && depth === 0) {
      args.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return undefined;
}

function textAt(lines: readonly string[], at: Position, length: number): string {
  return (lines[at.line] ?? '').slice(at.character, at.character + length);
}

function insertLine(line: number, text: string): TextEdit {
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: text };
}
