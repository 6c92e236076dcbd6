// A rule that needs what a profile lacks (another architecture, a config symbol,
// a helper of other versions) is inapplicable there, decided when the profile's
// rules are built and said with its reason; where the profile has it, it applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARCH_NAMES, CONFIG_SYMBOLS, HazardChecker, Simulator, formatVersion, isEnabled, parseProfile, type Level, type RuleDef } from '../../../simulator/src';
import { modelVersions } from '../../../simulator/src/boundaries';
import { entry } from '../bits';

const RW = ['VM_READ', 'VM_WRITE', 'VM_MAYWRITE', 'VM_SOFTDIRTY'];

/** A rule of our own whose condition reads can_change_pte_writable (6.0 on). */
const NEEDS_CAN_CHANGE: RuleDef = {
  id: 'test-restored-read-only', severity: 'information', kind: 'transition', levels: ['pte'], semantics: ['test'],
  message: 'restored read-only although it may be writable',
  condition: 'new.present & !pte_write(new) & can_change_pte_writable(vma, addr, new)',
};

function checker(profile: string, rules: readonly RuleDef[] = [NEEDS_CAN_CHANGE]): { sim: Simulator; rules: HazardChecker } {
  const sim = new Simulator(profile);
  return { sim, rules: new HazardChecker(sim.set, rules) };
}

test('a rule whose condition calls a helper the version lacks is inapplicable, with the reason', () => {
  const { rules } = checker('x86_64@5.10');
  assert.deepEqual(rules.rules(), []);
  assert.equal(rules.whyInapplicable('test-restored-read-only'), 'needs can_change_pte_writable (defined from 6.0, not in 5.10)');
  assert.deepEqual(rules.applicability.map((a) => [a.rule.id, a.level, a.reason !== undefined]), [['test-restored-read-only', 'pte', true]]);
});

test('on a version that has the helper the same rule applies and fires', () => {
  const { sim, rules } = checker('x86_64@6.19');
  assert.deepEqual(rules.rules().map((r) => r.id), ['test-restored-read-only']);
  assert.equal(rules.whyInapplicable('test-restored-read-only'), undefined);
  const hits = rules.checkTransition(sim.alg, 'pte', entry(sim, 'protnone', 'SFD'), entry(sim, 'present', 'SFD'), 'commit', {
    vma: sim.constantFacts(RW),
    folio: sim.constantFacts(['anon', 'exclusive']),
  });
  assert.deepEqual(hits.map((h) => [h.rule.id, h.condition === sim.alg.TRUE]), [['test-restored-read-only', true]]);
});

test('checking an inapplicable rule is quiet, never an error', () => {
  const { sim, rules } = checker('x86_64@5.10');
  const hits = rules.checkTransition(sim.alg, 'pte', entry(sim, 'protnone', 'SFD'), entry(sim, 'present', 'SFD'), 'commit', { vma: sim.constantFacts(RW) });
  assert.deepEqual(hits, []);
});

test('architecture and config reasons', () => {
  const arm = new Simulator('arm64@6.6').hazards;
  assert.equal(arm.whyInapplicable('shstk-lookalike'), 'x86_64 only');
  assert.equal(arm.whyInapplicable('uffd-wp-writable'), 'needs CONFIG_HAVE_ARCH_USERFAULTFD_WP (defined from 6.10 on arm64, not in 6.6)');
  assert.equal(arm.whyInapplicable('softdirty-bypass'), 'needs CONFIG_MEM_SOFT_DIRTY (not on arm64)');
  assert.equal(new Simulator('arm64@6.10').hazards.whyInapplicable('uffd-wp-writable'), undefined);
  assert.equal(new Simulator('x86_64 -MEM_SOFT_DIRTY').hazards.whyInapplicable('softdirty-bypass'), 'needs CONFIG_MEM_SOFT_DIRTY (turned off by the profile (-MEM_SOFT_DIRTY))');
});

test('arm64 has no pud_dirty: the rules reading it apply at pte and pmd only, and a PUD is checked without error', () => {
  const sim = new Simulator('arm64@6.19');
  assert.match(sim.hazards.whyInapplicable('writenotify-bypass') ?? '', /^applies at pte\/pmd; at pud: needs pud_dirty \(not on arm64: /);
  assert.match(sim.hazards.whyInapplicable('dirty-lost') ?? '', /at pud: needs pud_dirty/);
  const shared = sim.constantFacts([...RW, 'VM_SHARED', 'VM_MAYSHARE', 'writenotify']);
  const pud = sim.entry('pud', 'pud', { forms: ['present'] });
  const ids = sim.hazards.checkState(sim.alg, 'pud', pud, { vma: shared }).map((h) => h.rule.id);
  assert.ok(!ids.includes('writenotify-bypass'), ids.join(', '));
  assert.ok(sim.hazards.checkState(sim.alg, 'pte', entry(sim, 'present', 'WR RO'), { vma: shared }).some((h) => h.rule.id === 'writenotify-bypass'));
});

test('write-lost-numa reads the restore rule of each version: savedwrite 4.11–6.1, can_change_pte_writable from 6.2, none before', () => {
  assert.equal(new Simulator('x86_64@4.3').hazards.whyInapplicable('write-lost-numa'), 'needs numa_fault_restores_write → pte_savedwrite (defined from 4.11 until 6.2, not in 4.3)');
  const fires = (profile: string, hinting: string, folio: string[]) => {
    const sim = new Simulator(profile);
    const hits = sim.hazards.checkTransition(sim.alg, 'pte', entry(sim, 'protnone', hinting), entry(sim, 'present', 'SFD'), 'commit', { vma: sim.constantFacts(RW), folio: sim.constantFacts(folio) });
    return hits.some((h) => h.rule.id === 'write-lost-numa' && h.condition === sim.alg.TRUE);
  };
  assert.equal(fires('x86_64@5.10', 'W SFD', ['anon']), true, 'savedwrite: the hinting entry kept W, the restore drops it');
  assert.equal(fires('x86_64@5.10', 'SFD', ['anon', 'exclusive']), false, 'nothing saved, nothing lost');
  assert.equal(fires('x86_64@6.19', 'SFD', ['anon', 'exclusive']), true, 'can_change_pte_writable allows an exclusive anon page');
  assert.equal(fires('x86_64@6.19', 'SFD', ['anon']), false);
});

/** Every applicable rule, at every level, on fresh unknowns: nothing throws. */
function evaluateEveryRule(profile: string): void {
  const sim = new Simulator(profile);
  const vma = sim.facts('vma');
  const folio = sim.facts('folio');
  for (const level of ['pte', 'pmd', 'pud'] as const satisfies readonly Level[]) {
    const old = sim.entry('old', level);
    const next = sim.entry('new', level);
    sim.hazards.checkState(sim.alg, level, next, { vma, folio });
    sim.hazards.checkTransition(sim.alg, level, old, next, 'store', { vma, folio });
    sim.hazards.checkTlb(sim.alg, level, sim.facts('tlb'));
    sim.hazards.readInvariant(sim.alg, level, old, { vma, folio });
    const modifier = sim.set.names().map((n) => sim.helper(n)).find((h) => h.level === level && h.def.kind === 'modifier' && h.params[0]?.kind === 'entry');
    if (modifier) sim.hazards.checkHelper(sim.alg, modifier, old, next);
  }
  assert.ok(sim.hazards.rules().length > 0, sim.profile.name);
}

test('on every version of every architecture, and with any one config symbol off, each applicable rule evaluates without error', () => {
  for (const arch of ARCH_NAMES) {
    for (const version of modelVersions(arch)) evaluateEveryRule(`${arch}@${formatVersion(version)}`);
    for (const symbol of Object.keys(CONFIG_SYMBOLS).filter((s) => isEnabled(parseProfile(arch), s))) evaluateEveryRule(`${arch} -${symbol}`);
  }
});
