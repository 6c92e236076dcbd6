// The laws a header's own definitions break, as findings: for a header of a tree (as the editor
// or the disk holds it), each failing law at the definition of the helper it is about; for a
// patch to the headers, each law it introduces or fixes (patchLaws.ts) at the hunk that changes
// the definitions. `mmlens check` and the editor's diagnostics both read them from here.

import { lawText, lawUses, type Assignment, type LawResult, type Level, type Severity } from '../../../simulator/src';
import { DerivedSimulator } from '../../../simulator/src/bitvec/derivedSimulator';
import { formatCounterexample } from './counterexample';
import { lawRule, lawSeverity } from './lawRules';
import { definitionsOf, lawsAcrossPatch, provedOn, type HunkRef, type LawChange } from './patchLaws';
import type { TreeModel } from './deriveFromTree';

export { provedOn };

export interface DefinitionRef {
  readonly name: string;
  /** Relative to the tree's root. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
}

export interface HeaderLawFinding {
  readonly lawId: string;
  /** The first level it fails at (its text, counterexample and definitions are this level's). */
  readonly level: Level;
  /** Every level it fails at with the same definition to blame (pmd helpers are often pte ones on the same word). */
  readonly levels: readonly Level[];
  /** The law as text, at its level. */
  readonly lawText: string;
  readonly semantics: string;
  readonly rule: string;
  readonly severity: Severity;
  /** Absent for a header as it is; a patch introduces or fixes. */
  readonly change?: 'introduced' | 'fixed';
  /** The helper the law is about (`pte_mkuffd_wp` for uffd-wp-read-only), where it is defined. */
  readonly subject: DefinitionRef;
  /** Every definition the law reads, on the side where it fails. */
  readonly definitions: readonly DefinitionRef[];
  /** An entry on which the law fails (on the side where it fails). */
  readonly counterexample: Assignment;
  /** For a patch: the hunk this finding is reported at. */
  readonly hunk?: HunkRef;
  readonly message: string;
}

/**
 * The helper a law is about: the first it uses that changes an entry (`{l}_mkuffd_wp` in
 * `{l}_uffd_wp(y) → !{l}_write(y) for y = {l}_mkuffd_wp(x)`), else the first it uses.
 */
function subjectOf(uses: readonly string[], sim: DerivedSimulator): string | undefined {
  const defined = uses.filter((name) => typeof sim.derived.get(name) !== 'string');
  return defined.find((name) => sim.set.row(name)?.kind === 'modifier') ?? defined[0];
}

/** Each law that fails on `model`'s helpers, at the definition of the helper it is about, when that definition is in `file`. */
export function fileLawFindings(model: TreeModel, file: string): HeaderLawFinding[] {
  const { sim, results } = provedOn(model);
  const findings: HeaderLawFinding[] = [];
  for (const result of results) {
    if (result.status !== 'fails') continue;
    const uses = lawUses(result.law, result.level);
    const subjectName = subjectOf(uses, sim);
    const [subject] = subjectName ? definitionsOf(model, [subjectName]) : [];
    if (!subject || subject.file !== file) continue;
    findings.push(finding(result, subject, definitionsOf(model, uses), undefined, undefined));
  }
  return mergeLevels(findings);
}

/** One finding per law, change and blamed place: the levels it fails at are listed in the first one's message. */
function mergeLevels(findings: readonly HeaderLawFinding[]): HeaderLawFinding[] {
  const merged = new Map<string, HeaderLawFinding>();
  for (const f of findings) {
    const key = `${f.lawId}|${f.change ?? ''}|${f.subject.file}:${f.subject.line}:${f.subject.name}|${f.hunk ? `${f.hunk.file}#${f.hunk.number}` : ''}`;
    const first = merged.get(key);
    if (!first) merged.set(key, f);
    else {
      const levels = [...first.levels, f.level];
      merged.set(key, { ...first, levels, message: first.message.replace(`${first.lawId}@${first.levels.join(',')}:`, `${first.lawId}@${levels.join(',')}:`) });
    }
  }
  return [...merged.values()];
}

function finding(result: LawResult & { status: 'fails' } | LawChange, subject: DefinitionRef, definitions: readonly DefinitionRef[], change: HeaderLawFinding['change'], hunk: HunkRef | undefined): HeaderLawFinding {
  const text = lawText(result.law, result.level);
  const rule = lawRule(result.law.id);
  const what = change === 'fixed' ? 'no longer breaks' : 'breaks';
  const others = definitions.filter((d) => d.name !== subject.name).map((d) => d.name);
  const message = `${subject.name} (${subject.file}:${subject.line}) ${what} the law ${result.law.id}@${result.level}: ${text}${others.length > 0 ? `, reading ${others.join(', ')} as defined` : ''}; ${change === 'fixed' ? 'it failed before the patch' : 'it fails'} on ${formatCounterexample(result.counterexample)}`;
  return {
    lawId: result.law.id,
    level: result.level,
    levels: [result.level],
    lawText: text,
    semantics: result.law.semantics,
    rule,
    severity: lawSeverity(result.law.id),
    ...(change ? { change } : {}),
    subject,
    definitions,
    counterexample: result.counterexample,
    ...(hunk ? { hunk } : {}),
    message,
  };
}

export interface PatchLawFindings {
  readonly findings: readonly HeaderLawFinding[];
  /** Files not in the tree, hunks that did not apply. */
  readonly notes: readonly string[];
}

/**
 * The laws a patch to `tree`'s headers introduces and fixes, one finding per hunk that changes
 * the definitions a law reads (or one at the patch's first hunk when the change comes through
 * a mask or a config, not a definition).
 */
export function patchLawFindings(...args: Parameters<typeof lawsAcrossPatch>): PatchLawFindings {
  const result = lawsAcrossPatch(...args);
  const findings: HeaderLawFinding[] = [];
  for (const change of result.changes) {
    // the definition the hunk changes that the law reads itself, else the first it changes (a helper they call)
    const subjectOf = (hunk?: HunkRef): DefinitionRef | undefined =>
      hunk ? (hunk.definitions.find((h) => change.definitions.some((d) => d.name === h.name)) ?? hunk.definitions[0]) : change.definitions[change.definitions.length - 1];
    if (change.hunks.length === 0) {
      const subject = subjectOf();
      if (subject) findings.push(finding(change, subject, change.definitions, change.change, undefined));
      continue;
    }
    for (const hunk of change.hunks) findings.push(finding(change, subjectOf(hunk)!, change.definitions, change.change, hunk));
  }
  return { findings: mergeLevels(findings), notes: result.notes };
}
