// The scenario file format (docs/scenarios.md). Line-based, so every problem has its line:
//
//   # seed 002                                 comments: # or // to the end of the line
//   scenario uffd-wp unregister and soft-dirty
//   profile x86_64@6.1
//   source uffd-wp-range.c                     C file for `call` steps, relative to the scenario
//   vma shmem read write                       kind, access words, VMA facts (!FACT removes one)
//   entry none                                 or: entry present W=1 D=1 SFD=1
//   folio dirty                                folio and mm facts that hold
//   steps                                      one operation per indented line
//     write
//     call uffd_wp_range_old enable_wp=false
//   cpu CPU0                                   a CPU and its operations: interleavings explored
//     uffd wp on
//   check softdirty-bypass, uffd-wp-writable   properties (default: all)

import { FORMS } from '../model/forms';
import { matchOperation, OPERATIONS } from './operations';
import type { ArgValue, CpuSection, FactsLine, InitialEntry, Scenario, ScenarioOp, ScenarioProblem } from './types';
import { KNOWN_FOLIO_FACTS, KNOWN_MM_FACTS, vmaFacts } from './vmaKinds';

export interface ParseOptions {
  /** Operation names a CPU section may use (the explorer's); unchecked when absent. */
  readonly cpuOperations?: readonly string[];
  /** Property ids `check` may name; unchecked when absent. */
  readonly properties?: readonly string[];
}

export interface ParseResult {
  /** Undefined when a problem makes the scenario unusable. */
  readonly scenario?: Scenario;
  readonly problems: readonly ScenarioProblem[];
}

const KEYWORDS = ['scenario', 'profile', 'source', 'vma', 'entry', 'folio', 'mm', 'steps', 'cpu', 'check'] as const;
type Keyword = (typeof KEYWORDS)[number];

interface Section {
  readonly kind: 'steps' | 'cpu';
  readonly ops: ScenarioOp[];
  /** Operation lines written under it, good or bad. */
  written: number;
}

function stripComment(line: string): string {
  const hash = line.search(/#|\/\//);
  return (hash < 0 ? line : line.slice(0, hash)).replace(/\s+$/, '');
}

function argValue(text: string): ArgValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+$/.test(text)) return Number(text);
  return text;
}

/** Splits an operation line into its words and `key=value` arguments. */
function splitOperation(text: string, line: number): { words: string[]; args: Record<string, ArgValue> } | ScenarioProblem {
  // `call f(a=1, b=false)` reads as `call f a=1 b=false`
  const tokens = text.replace(/[(),]/g, ' ').split(/\s+/).filter(Boolean);
  const words: string[] = [];
  const args: Record<string, ArgValue> = {};
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq < 0) {
      words.push(token);
      continue;
    }
    const key = token.slice(0, eq);
    const value = token.slice(eq + 1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || value === '') return { line, message: `"${token}" is not an argument (expected name=value)` };
    if (key in args) return { line, message: `argument ${key} is given twice` };
    args[key] = argValue(value);
  }
  return { words, args };
}

function isProblem(value: object): value is ScenarioProblem {
  return 'message' in value;
}

const STEP_NAMES = () => [...OPERATIONS.filter((d) => !d.internal).map((d) => d.name), 'call FUNCTION'];

function stepOperation(text: string, line: number): ScenarioOp | ScenarioProblem {
  const split = splitOperation(text, line);
  if (isProblem(split)) return split;
  const { words, args } = split;
  if (words[0] === 'call') {
    if (words.length < 2 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(words[1]!)) return { line, message: 'call names a C function: call FUNCTION [param=value …]' };
    if (words.length > 2) return { line, message: `call takes arguments as param=value, not "${words.slice(2).join(' ')}"` };
    return { op: 'call', words: [words[1]!], args, line, text };
  }
  const match = matchOperation(words);
  if (!match) return { line, message: `unknown operation "${words.join(' ')}" (operations: ${STEP_NAMES().join(', ')})` };
  if (!match.def.takesProtection && match.rest.length > 0) return { line, message: `${match.def.name} takes no words after its name (got "${match.rest.join(' ')}")` };
  if (match.def.takesProtection) {
    const bad = match.rest.find((w) => !['read', 'write', 'exec', 'none'].includes(w));
    if (bad !== undefined || match.rest.length === 0) return { line, message: `${match.def.name} takes protections: read, write, exec or none (${match.def.usage})` };
  }
  if (Object.keys(args).length > 0) return { line, message: `${match.def.name} takes no name=value arguments` };
  return { op: match.def.name, words: match.rest, args, line, text };
}

function cpuOperation(text: string, line: number, known: readonly string[] | undefined): ScenarioOp | ScenarioProblem {
  const split = splitOperation(text, line);
  if (isProblem(split)) return split;
  const { words, args } = split;
  if (words.length === 0) return { line, message: 'an operation line needs an operation' };
  if (known) {
    for (let n = Math.min(words.length, 4); n > 0; n--) {
      const name = words.slice(0, n).join(' ');
      if (known.includes(name)) return { op: name, words: words.slice(n), args, line, text };
    }
    return { line, message: `unknown CPU operation "${words.join(' ')}" (operations: ${known.join(', ')})` };
  }
  return { op: words[0]!, words: words.slice(1), args, line, text };
}

function entryLine(words: readonly string[], line: number): InitialEntry | ScenarioProblem {
  const [form, ...bits] = words;
  if (form === undefined || !(FORMS as readonly string[]).includes(form)) {
    return { line, message: `entry starts with a form: ${FORMS.join(', ')} (got "${form ?? ''}")` };
  }
  const values: Record<string, boolean> = {};
  for (const bit of bits) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=([01])$/.exec(bit);
    if (!match) return { line, message: `"${bit}" is not a bit (expected NAME=0 or NAME=1, e.g. W=1)` };
    values[match[1]!] = match[2] === '1';
  }
  return { form, bits: values, line };
}

function factsLine(keyword: string, words: readonly string[], known: ReadonlySet<string>, line: number): FactsLine | ScenarioProblem {
  const bad = words.find((w) => !known.has(w));
  if (bad !== undefined) return { line, message: `"${bad}" is not a ${keyword} fact (${[...known].join(', ')})` };
  return { facts: [...words], line };
}

/** Parses a scenario; every problem is reported with its line, and none throws. */
export function parseScenario(text: string, options: ParseOptions = {}): ParseResult {
  const problems: ScenarioProblem[] = [];
  const seen = new Map<Keyword, number>();
  let name: string | undefined;
  let profile: Scenario['profile'];
  let source: Scenario['source'];
  let vma: FactsLine | undefined;
  let folio: FactsLine | undefined;
  let mm: FactsLine | undefined;
  let entry: InitialEntry | undefined;
  let check: Scenario['check'];
  const steps: ScenarioOp[] = [];
  const cpus: { name: string; line: number; section: Section }[] = [];
  let lastLine = 1;
  let operationLines = 0;
  let section: Section | undefined;

  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = stripComment(raw);
    if (content.trim() === '') return;
    lastLine = line;
    if (/^\s/.test(content)) {
      if (!section) {
        problems.push({ line, message: 'an indented operation must follow "steps" or "cpu NAME"' });
        return;
      }
      section.written++;
      operationLines++;
      const op = section.kind === 'steps' ? stepOperation(content.trim(), line) : cpuOperation(content.trim(), line, options.cpuOperations);
      if (isProblem(op)) problems.push(op);
      else section.ops.push(op);
      return;
    }
    section = undefined;
    const [keyword, ...words] = content.trim().split(/\s+/) as [string, ...string[]];
    if (!(KEYWORDS as readonly string[]).includes(keyword)) {
      problems.push({ line, message: `unknown keyword "${keyword}" (a line starts with ${KEYWORDS.join(', ')}; operations are indented under steps or cpu)` });
      return;
    }
    const key = keyword as Keyword;
    if (key !== 'cpu' && seen.has(key)) {
      problems.push({ line, message: `"${key}" is given twice (first on line ${seen.get(key)})` });
      return;
    }
    seen.set(key, line);
    const rest = content.trim().slice(keyword.length).trim();
    switch (key) {
      case 'scenario':
        name = rest;
        break;
      case 'profile':
        if (rest === '') problems.push({ line, message: 'profile names a profile, e.g. profile x86_64@6.1' });
        else profile = { spec: rest, line };
        break;
      case 'source':
        if (rest === '') problems.push({ line, message: 'source names a C file, e.g. source uffd-wp-range.c' });
        else source = { path: rest, line };
        break;
      case 'vma': {
        const facts = vmaFacts(words);
        if ('error' in facts) problems.push({ line, message: facts.error });
        else vma = { facts: facts.facts, line };
        break;
      }
      case 'folio':
      case 'mm': {
        const facts = factsLine(key, words, key === 'folio' ? KNOWN_FOLIO_FACTS : KNOWN_MM_FACTS, line);
        if (isProblem(facts)) problems.push(facts);
        else if (key === 'folio') folio = facts;
        else mm = facts;
        break;
      }
      case 'entry': {
        const parsed = entryLine(words, line);
        if (isProblem(parsed)) problems.push(parsed);
        else entry = parsed;
        break;
      }
      case 'check': {
        const ids = rest.split(/[\s,]+/).filter(Boolean);
        const bad = options.properties ? ids.find((id) => !options.properties!.includes(id)) : undefined;
        if (ids.length === 0) problems.push({ line, message: 'check names properties, e.g. check softdirty-bypass' });
        else if (bad !== undefined) problems.push({ line, message: `"${bad}" is not a property (${options.properties!.join(', ')})` });
        else check = { ids, line };
        break;
      }
      case 'steps':
        if (rest !== '') problems.push({ line, message: 'steps stands alone; its operations follow on indented lines' });
        section = { kind: 'steps', ops: steps, written: 0 };
        break;
      case 'cpu': {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(rest)) {
          problems.push({ line, message: 'cpu takes one name, e.g. cpu CPU0' });
          break;
        }
        if (cpus.some((c) => c.name === rest)) {
          problems.push({ line, message: `cpu ${rest} is given twice` });
          break;
        }
        section = { kind: 'cpu', ops: [], written: 0 };
        cpus.push({ name: rest, line, section });
        break;
      }
    }
  });

  if (!vma && !problems.some((p) => /VMA/.test(p.message))) problems.push({ line: 1, message: 'a scenario needs a vma line, e.g. vma shmem read write' });
  if (operationLines === 0) problems.push({ line: lastLine, message: 'a scenario needs steps or cpu sections with operations' });
  for (const cpu of cpus) if (cpu.section.written === 0) problems.push({ line: cpu.line, message: `cpu ${cpu.name} has no operations (indent them under it)` });
  if (cpus.length === 1) problems.push({ line: cpus[0]!.line, message: 'interleavings need two CPUs or more; one CPU\'s operations are steps' });
  if (problems.length > 0 || !vma) return { problems: problems.sort((a, b) => a.line - b.line) };
  const scenario: Scenario = {
    ...(name ? { name } : {}),
    ...(profile ? { profile } : {}),
    ...(source ? { source } : {}),
    vma,
    ...(folio ? { folio } : {}),
    ...(mm ? { mm } : {}),
    ...(entry ? { entry } : {}),
    steps,
    cpus: cpus.map((c): CpuSection => ({ name: c.name, line: c.line, ops: c.section.ops })),
    ...(check ? { check } : {}),
  };
  return { scenario, problems };
}
