// Every rule fires on a state that breaks it and stays quiet on a near-identical one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES, Simulator, explainHit, ruleIds, type EntryValue, type InstallKind, type Level } from '../../../simulator/src';
import { entry } from '../bits';

const fired = (hits: { rule: { id: string }; condition: number }[], sim: Simulator) =>
  hits.filter((h) => h.condition === sim.alg.TRUE).map((h) => h.rule.id);

function state(profile: string, value: (s: Simulator) => EntryValue, vmaFlags: string[], folioFacts: string[] = [], level: Level = 'pte'): string[] {
  const sim = new Simulator(profile);
  return fired(sim.hazards.checkState(sim.alg, level, value(sim), { vma: sim.constantFacts(vmaFlags), folio: sim.constantFacts(folioFacts) }), sim);
}

function transition(profile: string, old: (s: Simulator) => EntryValue, next: (s: Simulator) => EntryValue, install: InstallKind, vmaFlags: string[], folioFacts: string[] = [], level: Level = 'pte'): string[] {
  const sim = new Simulator(profile);
  return fired(sim.hazards.checkTransition(sim.alg, level, old(sim), next(sim), install, { vma: sim.constantFacts(vmaFlags), folio: sim.constantFacts(folioFacts) }), sim);
}

const RW = ['VM_READ', 'VM_WRITE', 'VM_MAYWRITE', 'VM_SOFTDIRTY'];

test('shstk-lookalike: W=0 D=1 outside a shadow-stack VMA, not inside one, not on arm64', () => {
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'D SFD'), RW), ['shstk-lookalike']);
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'D SFD'), [...RW, 'VM_SHADOW_STACK']), []);
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'SD SFD'), RW), []);
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'D PSE SFD', 'pmd'), RW, [], 'pmd'), ['shstk-lookalike']);
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'D SFD', 'pmd'), RW, [], 'pmd'), [], 'a PMD needs PSE to be a shadow-stack leaf');
  assert.deepEqual(state('x86_64@6.1', (s) => entry(s, 'present', 'D SFD'), RW), []);
});

test('uffd-wp-writable: a writable uffd-wp entry, not a read-only one', () => {
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'W D UW SFD'), [...RW, 'VM_UFFD_WP'], ['anon', 'exclusive']), ['uffd-wp-writable']);
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'SD UW SFD'), [...RW, 'VM_UFFD_WP'], ['anon', 'exclusive']), []);
  assert.deepEqual(state('arm64', (s) => entry(s, 'present', 'WR UW'), RW, ['anon', 'exclusive']), ['uffd-wp-writable']);
});

test('softdirty-bypass: writable without soft-dirty while tracking, not when VM_SOFTDIRTY is set', () => {
  const tracking = ['VM_READ', 'VM_WRITE', 'VM_MAYWRITE'];
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'W D'), tracking, ['anon', 'exclusive']), ['softdirty-bypass']);
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'W D'), RW, ['anon', 'exclusive']), []);
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'W D SFD'), tracking, ['anon', 'exclusive']), []);
  assert.deepEqual(state('arm64', (s) => entry(s, 'present', 'WR'), tracking, ['anon', 'exclusive']), [], 'no soft-dirty on arm64');
});

test('writenotify-bypass: clean and writable in a writenotify VMA, not when dirty', () => {
  const shared = [...RW, 'VM_SHARED', 'VM_MAYSHARE', 'writenotify'];
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'W SFD'), shared), ['writenotify-bypass']);
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'W D SFD'), shared), []);
});

test('write-without-vm-write: writable in a read-only VMA, not in a writable one', () => {
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'W D SFD'), ['VM_READ', 'VM_SOFTDIRTY'], ['anon', 'exclusive']), ['write-without-vm-write']);
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'W D SFD'), RW, ['anon', 'exclusive']), []);
});

test('cow-writable: writable mapping of a shared anon page, not of an exclusive one', () => {
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'W D SFD'), RW, ['anon']), ['cow-writable']);
  assert.deepEqual(state('x86_64', (s) => entry(s, 'present', 'W D SFD'), RW, ['anon', 'exclusive']), []);
});

test('mkdirty-grants-write and dirty-lost (helper laws) fire on an offending helper result only', () => {
  const sim = new Simulator('x86_64');
  const mkdirty = sim.helper('pte_mkdirty');
  const ro = entry(sim, 'present', '');
  const ids = (out: EntryValue, helper = mkdirty, input = ro) => fired(sim.hazards.checkHelper(sim.alg, helper, input, out), sim);
  assert.deepEqual(ids(entry(sim, 'present', 'W D SFD')), ['mkdirty-grants-write'], 'a table where mkdirty sets W');
  assert.deepEqual(ids(sim.apply('pte_mkdirty', ro)), []);
  const pmd = entry(sim, 'present', 'W D PSE', 'pmd');
  const modify = sim.helper('pmd_modify');
  assert.deepEqual(ids(sim.apply('pmd_modify', pmd, sim.apply('PAGE_READONLY')), modify, pmd), ['dirty-lost']);
  const fixed = new Simulator('x86_64@7.3');
  assert.deepEqual(fired(fixed.hazards.checkHelper(fixed.alg, fixed.helper('pmd_modify'), pmd, fixed.apply('pmd_modify', pmd, fixed.apply('PAGE_READONLY'))), fixed), []);
});

test('dirty-lost (transition): a dirty entry replaced by a clean one unless the folio was marked dirty', () => {
  const clean = (s: Simulator) => entry(s, 'present', 'W SFD');
  const dirty = (s: Simulator) => entry(s, 'present', 'W D SFD');
  assert.deepEqual(transition('x86_64', dirty, clean, 'store', RW, ['anon', 'exclusive']), ['dirty-lost']);
  assert.deepEqual(transition('x86_64', dirty, clean, 'store', RW, ['anon', 'exclusive', 'dirty']), []);
  assert.deepEqual(transition('x86_64', dirty, clean, 'clean', RW, ['anon', 'exclusive']), [], 'MADV_FREE cleans on purpose');
  assert.deepEqual(transition('x86_64', dirty, (s) => entry(s, 'mig_w', 'mig_d swp_sd'), 'store', RW, ['anon', 'exclusive']), []);
  assert.deepEqual(transition('x86_64', dirty, (s) => entry(s, 'mig_w', 'swp_sd'), 'store', RW, ['anon', 'exclusive']), ['dirty-lost']);
});

test('bit-lost-on-conversion: uffd-wp dropped going to a migration entry in a uffd-wp VMA', () => {
  const uffd = [...RW, 'VM_UFFD_WP'];
  const old = (s: Simulator) => entry(s, 'present', 'SD UW SFD');
  assert.deepEqual(transition('x86_64', old, (s) => entry(s, 'mig_r', 'swp_sd mig_d'), 'store', uffd, ['anon', 'exclusive']), ['bit-lost-on-conversion']);
  assert.deepEqual(transition('x86_64', old, (s) => entry(s, 'mig_r', 'swp_sd swp_uw mig_d'), 'store', uffd, ['anon', 'exclusive']), []);
  assert.deepEqual(transition('x86_64', (s) => entry(s, 'mig_r', 'swp_sd'), (s) => entry(s, 'present', ''), 'store', ['VM_READ', 'VM_WRITE'], ['anon', 'exclusive']), ['bit-lost-on-conversion'], 'soft-dirty lost on restore while tracking');
});

test('bit-lost-on-conversion: a writable migration entry re-encoded as a readable one keeps soft-dirty and uffd-wp; kept in its form, a bit may be cleared on purpose', () => {
  const uffd = [...RW, 'VM_UFFD_WP'];
  const writable = (s: Simulator) => entry(s, 'mig_w', 'swp_sd swp_uw');
  assert.deepEqual(transition('x86_64', writable, (s) => entry(s, 'mig_r', ''), 'store', uffd, ['anon']), ['bit-lost-on-conversion']);
  assert.deepEqual(transition('x86_64', writable, (s) => entry(s, 'mig_r', 'swp_sd swp_uw'), 'store', uffd, ['anon']), []);
  // UFFDIO_WRITEPROTECT resolving a swapped-out page clears its uffd-wp bit in place
  assert.deepEqual(transition('x86_64', writable, (s) => entry(s, 'mig_w', 'swp_sd'), 'store', uffd, ['anon', 'exclusive']), []);
  // a marker's swap bits carry nothing (mremap may set its soft-dirty bit): a page installed over it loses none
  const tracking = ['VM_READ', 'VM_WRITE', 'VM_MAYWRITE'];
  assert.deepEqual(transition('x86_64', (s) => entry(s, 'marker', 'swp_sd'), (s) => entry(s, 'present', 'A'), 'store', tracking, ['anon', 'exclusive']), []);
  assert.deepEqual(transition('x86_64', (s) => entry(s, 'swap', 'swp_sd'), (s) => entry(s, 'present', 'A'), 'store', tracking, ['anon', 'exclusive']), ['bit-lost-on-conversion']);
});

test('migration-entry-type: a write migration entry from a read-only entry, not from a writable one', () => {
  assert.deepEqual(transition('x86_64', (s) => entry(s, 'present', 'SFD'), (s) => entry(s, 'mig_w', 'swp_sd'), 'store', RW, ['anon', 'exclusive']), ['migration-entry-type']);
  assert.deepEqual(transition('x86_64', (s) => entry(s, 'present', 'W SFD'), (s) => entry(s, 'mig_w', 'swp_sd'), 'store', RW, ['anon', 'exclusive']), []);
  assert.deepEqual(transition('x86_64', (s) => entry(s, 'present', 'SFD'), (s) => entry(s, 'mig_re', 'swp_sd'), 'store', RW, ['anon']), ['migration-entry-type']);
});

test('nonatomic-wrprotect: a plain store drops W on a live entry; the atomic helper does not count', () => {
  const old = (s: Simulator) => entry(s, 'present', 'W SFD');
  const next = (s: Simulator) => entry(s, 'present', 'SFD');
  assert.deepEqual(transition('x86_64', old, next, 'store', RW, ['anon', 'exclusive']), ['nonatomic-wrprotect']);
  assert.deepEqual(transition('x86_64', old, next, 'atomic-update', RW, ['anon', 'exclusive']), []);
  assert.deepEqual(transition('generic', old, next, 'store', RW, ['anon', 'exclusive']), [], 'no hardware A/D on generic');
});

test('access-flags-downgrade: ptep_set_access_flags used to remove write', () => {
  const old = (s: Simulator) => entry(s, 'present', 'W D A SFD');
  assert.deepEqual(transition('x86_64', old, (s) => entry(s, 'present', 'SD A SFD'), 'access-flags', RW, ['anon', 'exclusive']), ['access-flags-downgrade']);
  assert.deepEqual(transition('x86_64', (s) => entry(s, 'present', 'A SFD'), old, 'access-flags', RW, ['anon', 'exclusive']), []);
});

test('write-lost-numa: a NUMA entry restored read-only although it could be writable', () => {
  const numa = (s: Simulator) => entry(s, 'protnone', 'SD A SFD');
  assert.deepEqual(transition('x86_64', numa, (s) => entry(s, 'present', 'SD A SFD'), 'commit', RW, ['anon', 'exclusive']), ['write-lost-numa']);
  assert.deepEqual(transition('x86_64', numa, (s) => entry(s, 'present', 'SD A SFD'), 'commit', RW, ['anon']), [], 'a shared anon page must not be made writable');
});

test('stale-tlb: an unflushed downgrade at unlock, unless a flush is pending or the mmap lock is held for write', () => {
  const sim = new Simulator('x86_64');
  const at = (facts: string[]) => fired(sim.hazards.checkTlb(sim.alg, 'pte', sim.constantFacts(facts)), sim);
  assert.deepEqual(at(['downgrade_unflushed']), ['stale-tlb']);
  assert.deepEqual(at(['downgrade_unflushed', 'flush_pending']), []);
  assert.deepEqual(at(['downgrade_unflushed', 'mmap_write_locked']), []);
  assert.deepEqual(at([]), []);
});

test('every rule in the catalogue is exercised above and has a documentation page', async () => {
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  for (const id of ruleIds()) assert.ok(existsSync(join(__dirname, '..', '..', '..', '..', 'docs', 'rules', `${id}.md`)), `docs/rules/${id}.md`);
  assert.equal(ruleIds().length, 14);
  assert.ok(RULES.every((r) => r.semantics.length > 0));
});

test('symbolic: the read invariant excludes look-alikes, and a hit comes with a witness', () => {
  const sim = new Simulator('x86_64');
  const vma = sim.facts('vma');
  const pte = sim.presentEntry('pte');
  const invariant = sim.hazards.readInvariant(sim.alg, 'pte', pte, { vma });
  const out = sim.apply('pte_mkwrite', pte, vma);
  const hit = sim.hazards.checkState(sim.alg, 'pte', out, { vma }).find((h) => h.rule.id === 'uffd-wp-writable')!;
  const explained = explainHit(sim.alg, sim.set, hit, sim.alg.and(invariant, sim.contextInvariants(vma)), out);
  assert.ok(explained, 'pte_mkwrite on a uffd-wp entry is a hazard');
  assert.equal(explained.witness.get('pte.UW'), true);
  assert.match(explained.message, /uffd-wp/);
  const shstk = sim.hazards.checkState(sim.alg, 'pte', sim.apply('pte_mkwrite', pte, vma), { vma }).find((h) => h.rule.id === 'shstk-lookalike');
  assert.ok(!shstk || !sim.alg.isSatisfiable(sim.alg.and(invariant, shstk.condition)), 'pte_mkwrite never makes a look-alike outside a shadow-stack VMA');
});
