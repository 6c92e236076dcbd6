// Laws every profile's helpers should obey, in the spirit of
// mm/debug_vm_pgtable.c, proved symbolically over every entry (not sampled).
// A law that fails comes back with a counterexample. Some fail on purpose on
// some profiles: that is the kernel's history (x86 pmd_modify 6.6–7.2,
// pte_mkuffd_wp before 6.3).

import type { Assignment, Bool } from './sym';
import type { Level } from './model/forms';
import { isEnabled } from './model/profile';
import type { EntryValue } from './model/value';
import { UnknownHelperError, type Simulator } from './simulator';

export interface Law {
  readonly id: string;
  readonly text: string;
  readonly semantics: string;
  /** Helpers the law needs at a level (`{l}` expanded); missing ones make it not applicable. */
  readonly uses: readonly string[];
  readonly applies?: (sim: Simulator) => boolean;
  /** The statement about a present entry x (and a symbolic VMA and prot). */
  readonly holds: (sim: Simulator, x: EntryValue, l: Level) => Bool;
}

export type LawResult =
  | { readonly law: Law; readonly level: Level; readonly status: 'holds' }
  | { readonly law: Law; readonly level: Level; readonly status: 'fails'; readonly counterexample: Assignment }
  | { readonly law: Law; readonly level: Level; readonly status: 'n/a'; readonly reason: string };

/** The law's text at a level (`{l}` expanded). */
export function lawText(law: Law, level: Level): string {
  return law.text.replace(/\{l\}/g, level);
}

/** The helpers the law needs at a level. */
export function lawUses(law: Law, level: Level): string[] {
  return law.uses.map((u) => u.replace(/\{l\}/g, level));
}

const eq = (sim: Simulator, a: Bool, b: Bool) => sim.alg.iff(a, b);
const nonShstk = (sim: Simulator) => sim.constantFacts(['VM_WRITE', 'VM_READ']);

/** `h(x)` for a modifier that takes a VMA on some versions and not on others. */
function mk(sim: Simulator, name: string, x: EntryValue): EntryValue {
  const helper = sim.helper(name);
  return helper.params.some((p) => p.name === 'vma') ? sim.apply(name, x, nonShstk(sim)) : sim.apply(name, x);
}

function t(sim: Simulator, name: string, x: EntryValue): Bool {
  return sim.test(name, x);
}

export const LAWS: readonly Law[] = [
  {
    id: 'mkwrite-writes', text: '{l}_write({l}_mkwrite(x)) (a VMA without VM_SHADOW_STACK)', semantics: '§7 debug_vm_pgtable',
    uses: ['{l}_write', '{l}_mkwrite'], holds: (s, x, l) => t(s, `${l}_write`, mk(s, `${l}_mkwrite`, x)),
  },
  {
    id: 'wrprotect-protects', text: '!{l}_write({l}_wrprotect(x))', semantics: '§7 debug_vm_pgtable',
    uses: ['{l}_write', '{l}_wrprotect'], holds: (s, x, l) => s.alg.not(t(s, `${l}_write`, mk(s, `${l}_wrprotect`, x))),
  },
  {
    id: 'wrprotect-keeps-dirty', text: '{l}_dirty({l}_wrprotect(x)) == {l}_dirty(x)', semantics: 'H-WRPROTECT-KEEPS-DIRTY',
    uses: ['{l}_dirty', '{l}_wrprotect'], holds: (s, x, l) => eq(s, t(s, `${l}_dirty`, mk(s, `${l}_wrprotect`, x)), t(s, `${l}_dirty`, x)),
  },
  {
    id: 'mkdirty-grants-no-write', text: '{l}_write({l}_mkdirty(x)) → {l}_write(x)', semantics: 'H-MKDIRTY-NO-WRITE',
    uses: ['{l}_write', '{l}_mkdirty'], holds: (s, x, l) => s.alg.implies(t(s, `${l}_write`, mk(s, `${l}_mkdirty`, x)), t(s, `${l}_write`, x)),
  },
  {
    id: 'mkwrite-novma-no-dirt', text: '!{l}_dirty({l}_mkwrite_novma({l}_mkclean(x)))', semantics: 'H-MKWRITE-NO-DIRTY',
    uses: ['{l}_dirty', '{l}_mkwrite_novma', '{l}_mkclean'], holds: (s, x, l) => s.alg.not(t(s, `${l}_dirty`, mk(s, `${l}_mkwrite_novma`, mk(s, `${l}_mkclean`, x)))),
  },
  {
    id: 'mkwrite-novma-keeps-dirty', text: '{l}_dirty({l}_mkwrite_novma({l}_mkdirty(x)))', semantics: '§7 debug_vm_pgtable',
    uses: ['{l}_dirty', '{l}_mkwrite_novma', '{l}_mkdirty'], holds: (s, x, l) => t(s, `${l}_dirty`, mk(s, `${l}_mkwrite_novma`, mk(s, `${l}_mkdirty`, x))),
  },
  {
    id: 'mkclean-cleans', text: '!{l}_dirty({l}_mkclean({l}_mkdirty(x)))', semantics: '§7 debug_vm_pgtable',
    uses: ['{l}_dirty', '{l}_mkclean', '{l}_mkdirty'], holds: (s, x, l) => s.alg.not(t(s, `${l}_dirty`, mk(s, `${l}_mkclean`, mk(s, `${l}_mkdirty`, x)))),
  },
  {
    id: 'mkyoung-young', text: '{l}_young({l}_mkyoung({l}_mkold(x)))', semantics: '§7 debug_vm_pgtable',
    uses: ['{l}_young', '{l}_mkyoung', '{l}_mkold'], holds: (s, x, l) => t(s, `${l}_young`, mk(s, `${l}_mkyoung`, mk(s, `${l}_mkold`, x))),
  },
  {
    id: 'uffd-wp-read-only', text: '{l}_uffd_wp(y) → !{l}_write(y) for y = {l}_mkuffd_wp(x)', semantics: 'H-UFFDWP-IMPLIES-RO',
    uses: ['{l}_uffd_wp', '{l}_write', '{l}_mkuffd_wp'], applies: (s) => isEnabled(s.profile, 'HAVE_ARCH_USERFAULTFD_WP'),
    holds: (s, x, l) => {
      const y = mk(s, `${l}_mkuffd_wp`, x);
      return s.alg.implies(t(s, `${l}_uffd_wp`, y), s.alg.not(t(s, `${l}_write`, y)));
    },
  },
  {
    id: 'modify-keeps-dirty', text: '{l}_dirty(x) → {l}_dirty({l}_modify(x, prot)) for any prot', semantics: 'H-MODIFY-KEEPS-DIRTY',
    uses: ['{l}_dirty', '{l}_modify'], holds: (s, x, l) => s.alg.implies(t(s, `${l}_dirty`, x), t(s, `${l}_dirty`, s.apply(`${l}_modify`, x, s.entry('prot', l, { kind: 'prot', forms: ['present', 'protnone'] })))),
  },
  {
    id: 'modify-keeps-tracking-bits', text: 'soft-dirty and uffd-wp survive {l}_modify(x, prot)', semantics: 'H-MODIFY-KEEPS-DIRTY, §2.1 pte_modify',
    uses: ['{l}_soft_dirty', '{l}_uffd_wp', '{l}_modify'], holds: (s, x, l) => {
      const y = s.apply(`${l}_modify`, x, s.entry('prot', l, { kind: 'prot', forms: ['present', 'protnone'] }));
      return s.alg.and(eq(s, t(s, `${l}_soft_dirty`, y), t(s, `${l}_soft_dirty`, x)), eq(s, t(s, `${l}_uffd_wp`, y), t(s, `${l}_uffd_wp`, x)));
    },
  },
  {
    id: 'no-shstk-lookalike', text: 'no helper turns an entry without W=0/D=1 into one (VMA without VM_SHADOW_STACK)', semantics: 'H-SHSTK-ONLY-IN-SHSTK-VMA',
    uses: ['{l}_wrprotect'], applies: (s) => isEnabled(s.profile, 'X86_USER_SHADOW_STACK'),
    holds: (s, x, l) => {
      const lookalike = (v: EntryValue) => s.alg.andAll([v.bits[s.set.layout.formIndex('present')]!, s.alg.not(field(s, v, 'W')), field(s, v, 'D')]);
      const prot = s.entry('prot', l, { kind: 'prot', forms: ['present', 'protnone'] });
      let all: Bool = s.alg.TRUE;
      for (const name of s.helperNames()) {
        const helper = s.helper(name);
        if (helper.level !== l || helper.def.kind !== 'modifier' || name.includes('shstk') || helper.params[0]?.kind !== 'entry') continue;
        const y = helper.params.some((p) => p.kind === 'prot') ? s.apply(name, x, prot) : mk(s, name, x);
        all = s.alg.and(all, s.alg.implies(s.alg.not(lookalike(x)), s.alg.not(lookalike(y))));
      }
      return all;
    },
  },
  {
    id: 'swap-carries-soft-dirty', text: 'pte_swp_soft_dirty(pte_swp_mksoft_dirty(swp_entry_to_pte(e)))', semantics: 'H-SOFTDIRTY-CARRY',
    uses: ['pte_swp_soft_dirty'], applies: (s) => isEnabled(s.profile, 'MEM_SOFT_DIRTY') && s.profile.arch !== 'arm64',
    holds: (s) => s.test('pte_swp_soft_dirty', s.apply('pte_swp_mksoft_dirty', s.apply('swp_entry_to_pte', s.entry('e', 'pte', { kind: 'swp', forms: ['swap', 'mig_r', 'mig_w'] })))),
  },
  {
    id: 'swap-carries-uffd-wp', text: 'pte_swp_uffd_wp(pte_swp_mkuffd_wp(swp_entry_to_pte(e)))', semantics: 'H-UFFDWP-SURVIVES-NONPRESENT',
    uses: ['pte_swp_uffd_wp'], applies: (s) => isEnabled(s.profile, 'HAVE_ARCH_USERFAULTFD_WP'),
    holds: (s) => s.test('pte_swp_uffd_wp', s.apply('pte_swp_mkuffd_wp', s.apply('swp_entry_to_pte', s.entry('e', 'pte', { kind: 'swp', forms: ['swap', 'mig_r', 'mig_w'] })))),
  },
  {
    id: 'decode-drops-carry-bits', text: 'swp_entry_to_pte(pte_to_swp_entry(x)) has no soft-dirty or uffd-wp: callers must re-add them', semantics: '§2.4 swp_entry_to_pte',
    uses: [], holds: (s) => {
      const y = s.apply('swp_entry_to_pte', s.apply('pte_to_swp_entry', s.entry('n', 'pte', { forms: ['swap', 'mig_r', 'mig_w'] })));
      return s.alg.and(s.alg.not(field(s, y, 'swp_sd')), s.alg.not(field(s, y, 'swp_uw')));
    },
  },
];

function field(sim: Simulator, value: EntryValue, name: string): Bool {
  const index = sim.set.layout.indexOf(name);
  return index === undefined ? sim.alg.FALSE : value.bits[index]!;
}

const LEVELS: readonly Level[] = ['pte', 'pmd', 'pud'];

/** Checks one law at every level it names; levels where a helper is missing are n/a. */
export function checkLaw(sim: Simulator, law: Law): LawResult[] {
  if (law.applies && !law.applies(sim)) return [{ law, level: 'pte', status: 'n/a', reason: `not applicable on ${sim.profile.name}` }];
  const templated = law.uses.some((u) => u.includes('{l}'));
  const levels = templated ? LEVELS : (['pte'] as const);
  return levels.map((level): LawResult => {
    const missing = lawUses(law, level).find((name) => !sim.has(name));
    if (missing) return { law, level, status: 'n/a', reason: sim.whyMissing(missing) ?? `${missing} is not defined` };
    const x = sim.presentEntry(`x_${level}`, level);
    let statement: Bool;
    try {
      statement = law.holds(sim, x, level);
    } catch (error) {
      // a helper the law needs beyond `uses` is missing (a model read from a tree may lack it)
      if (error instanceof UnknownHelperError) return { law, level, status: 'n/a', reason: error.message };
      throw error;
    }
    if (sim.alg.isValid(statement)) return { law, level, status: 'holds' };
    return { law, level, status: 'fails', counterexample: sim.alg.witness(sim.alg.not(statement))! };
  });
}

export function checkAllLaws(sim: Simulator): LawResult[] {
  return LAWS.flatMap((law) => checkLaw(sim, law));
}
