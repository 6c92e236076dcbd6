// The rule a broken law is reported under, when a header's own definitions break it
// (`mmlens check` on a header or a header patch, diagnostics on a definition). A law whose
// SEMANTICS id is also a hazard rule's is that rule: a `pte_mkuffd_wp()` that stops
// write-protecting breaks `uffd-wp-read-only` and makes `uffd-wp-writable` entries. The laws
// from debug_vm_pgtable (`wrprotect-protects`, `mkclean-cleans` …) name no hazard of their own:
// they are `helper-law` (docs/rules/helper-law.md).

import { RULES, ruleIds, type Severity } from '../../../simulator/src';

/** The rule of a law no hazard rule stands for. */
export const HELPER_LAW_RULE = 'helper-law';

/** Law id → hazard rule id; each pair shares a SEMANTICS id (test/headers/lawRules.test.ts). */
export const LAW_RULES: Readonly<Record<string, string>> = {
  'uffd-wp-read-only': 'uffd-wp-writable',
  'modify-keeps-dirty': 'dirty-lost',
  'wrprotect-keeps-dirty': 'dirty-lost',
  'mkdirty-grants-no-write': 'mkdirty-grants-write',
  'no-shstk-lookalike': 'shstk-lookalike',
  'swap-carries-soft-dirty': 'bit-lost-on-conversion',
  'swap-carries-uffd-wp': 'bit-lost-on-conversion',
};

export function lawRule(lawId: string): string {
  return LAW_RULES[lawId] ?? HELPER_LAW_RULE;
}

/** The rule's default severity; a broken law of its own is an error (the kernel's boot-time test would fail). */
export function lawSeverity(lawId: string): Severity {
  const rule = LAW_RULES[lawId];
  return (rule && RULES.find((r) => r.id === rule)?.severity) || 'error';
}

/** Every rule id a finding may carry: the hazard rules and helper-law. */
export function allRuleIds(): string[] {
  return [...ruleIds(), HELPER_LAW_RULE];
}
