// Every helper row on the profiles it applies to, against the bits SEMANTICS.md §2 gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulator } from '../../../simulator/src';
import { entry, formOf, pick } from '../bits';

const vma = (sim: Simulator, ...flags: string[]) => sim.constantFacts(flags);

interface Row {
  profile: string;
  call: (sim: Simulator) => ReturnType<Simulator['apply']>;
  show: string;
  expect: string;
}

const x86 = 'x86_64@6.19';
const rows: Row[] = [
  // x86 SavedDirty (§2.1)
  { profile: x86, call: (s) => s.apply('pte_wrprotect', entry(s, 'present', 'W D')), show: 'W D SD', expect: 'W=0 D=0 SD=1' },
  { profile: x86, call: (s) => s.apply('pte_wrprotect', entry(s, 'present', 'W')), show: 'W D SD', expect: 'W=0 D=0 SD=0' },
  { profile: x86, call: (s) => s.apply('pte_mkdirty', entry(s, 'present', '')), show: 'W D SD SFD', expect: 'W=0 D=0 SD=1 SFD=1' },
  { profile: x86, call: (s) => s.apply('pte_mkdirty', entry(s, 'present', 'W')), show: 'W D SD SFD', expect: 'W=1 D=1 SD=0 SFD=1' },
  { profile: x86, call: (s) => s.apply('pte_mkclean', entry(s, 'present', 'D SD')), show: 'D SD', expect: 'D=0 SD=0' },
  { profile: x86, call: (s) => s.apply('pte_mkwrite', entry(s, 'present', 'SD'), vma(s, 'VM_WRITE')), show: 'W D SD', expect: 'W=1 D=1 SD=0' },
  { profile: x86, call: (s) => s.apply('pte_mkwrite', entry(s, 'present', 'SD'), vma(s, 'VM_WRITE', 'VM_SHADOW_STACK')), show: 'W D SD', expect: 'W=0 D=1 SD=1' },
  { profile: x86, call: (s) => s.apply('pte_mkwrite_novma', entry(s, 'present', 'SD')), show: 'W D SD', expect: 'W=1 D=0 SD=1' },
  { profile: x86, call: (s) => s.apply('maybe_mkwrite', entry(s, 'present', 'D'), vma(s, 'VM_READ')), show: 'W D', expect: 'W=0 D=1' },
  { profile: x86, call: (s) => s.apply('pte_mkuffd_wp', entry(s, 'present', 'W D')), show: 'W D SD UW', expect: 'W=0 D=0 SD=1 UW=1' },
  { profile: x86, call: (s) => s.apply('pte_clear_uffd_wp', entry(s, 'present', 'UW')), show: 'W UW', expect: 'W=0 UW=0' },
  { profile: x86, call: (s) => s.apply('pte_modify', entry(s, 'present', 'W D A SFD UW'), s.apply('PAGE_NONE')), show: 'W D SD A SFD UW', expect: 'W=0 D=0 SD=1 A=1 SFD=1 UW=1' },
  { profile: x86, call: (s) => s.apply('pte_modify', entry(s, 'protnone', 'SD'), s.apply('PAGE_SHARED')), show: 'W D SD', expect: 'W=1 D=1 SD=0' },
  { profile: x86, call: (s) => s.apply('pmd_modify', entry(s, 'present', 'W D PSE', 'pmd'), s.apply('PAGE_READONLY')), show: 'W D SD PSE', expect: 'W=0 D=0 SD=0 PSE=1' },
  { profile: 'x86_64@7.3', call: (s) => s.apply('pmd_modify', entry(s, 'present', 'W D PSE', 'pmd'), s.apply('PAGE_READONLY')), show: 'W D SD', expect: 'W=0 D=0 SD=1' },
  { profile: x86, call: (s) => s.apply('pud_modify', entry(s, 'present', 'W D PSE', 'pud'), s.apply('PAGE_READONLY')), show: 'W D SD', expect: 'W=0 D=0 SD=1' },
  { profile: x86, call: (s) => s.apply('pud_mkwrite', entry(s, 'present', 'SD PSE', 'pud')), show: 'W D SD', expect: 'W=1 D=1 SD=0' },
  { profile: x86, call: (s) => s.apply('pmd_mkwrite', entry(s, 'present', 'PSE', 'pmd'), vma(s, 'VM_WRITE', 'VM_SHADOW_STACK')), show: 'W D', expect: 'W=0 D=1' },
  // x86 before 6.6 and before 6.3 (§2.6)
  { profile: 'x86_64@6.1', call: (s) => s.apply('pte_wrprotect', entry(s, 'present', 'W D')), show: 'W D SD', expect: 'W=0 D=1 SD=-' },
  { profile: 'x86_64@6.1', call: (s) => s.apply('pte_mkwrite', entry(s, 'present', '')), show: 'W', expect: 'W=1' },
  { profile: 'x86_64@6.1', call: (s) => s.apply('pte_mkuffd_wp', entry(s, 'present', 'W')), show: 'W UW', expect: 'W=1 UW=1' },
  { profile: 'x86_64@6.4', call: (s) => s.apply('pte_mkuffd_wp', entry(s, 'present', 'W')), show: 'W UW', expect: 'W=0 UW=1' },
  // arm64 (§1.3.2, §2.1)
  { profile: 'arm64', call: (s) => s.apply('pte_wrprotect', entry(s, 'present', 'WR')), show: 'WR RO DT', expect: 'WR=0 RO=1 DT=1' },
  { profile: 'arm64', call: (s) => s.apply('pte_wrprotect', entry(s, 'present', 'WR RO')), show: 'WR RO DT', expect: 'WR=0 RO=1 DT=0' },
  { profile: 'arm64', call: (s) => s.apply('pte_mkdirty', entry(s, 'present', 'RO')), show: 'WR RO DT', expect: 'WR=0 RO=1 DT=1' },
  { profile: 'arm64', call: (s) => s.apply('pte_mkdirty', entry(s, 'present', 'WR RO')), show: 'WR RO DT', expect: 'WR=1 RO=0 DT=1' },
  { profile: 'arm64', call: (s) => s.apply('pte_mkclean', entry(s, 'present', 'WR DT')), show: 'WR RO DT', expect: 'WR=1 RO=1 DT=0' },
  { profile: 'arm64', call: (s) => s.apply('pte_mkwrite_novma', entry(s, 'present', 'RO')), show: 'WR RO', expect: 'WR=1 RO=1' },
  { profile: 'arm64', call: (s) => s.apply('pte_mkwrite_novma', entry(s, 'present', 'RO DT')), show: 'WR RO', expect: 'WR=1 RO=0' },
  { profile: 'arm64@6.13', call: (s) => s.apply('pte_mkwrite_novma', entry(s, 'present', 'RO')), show: 'WR RO', expect: 'WR=1 RO=0' },
  { profile: 'x86_64@6.1', call: (s) => s.apply('pte_mk_savedwrite', s.apply('pte_modify', entry(s, 'present', 'W A'), s.apply('PAGE_NONE'))), show: 'W A', expect: 'W=1 A=1' },
  { profile: 'arm64', call: (s) => s.apply('pte_mkuffd_wp', entry(s, 'present', 'WR')), show: 'WR RO DT UW', expect: 'WR=0 RO=1 DT=1 UW=1' },
  { profile: 'arm64', call: (s) => s.apply('pte_modify', entry(s, 'present', 'WR'), s.apply('PAGE_NONE')), show: 'WR RO DT', expect: 'WR=0 RO=1 DT=1' },
  { profile: 'arm64', call: (s) => s.apply('pte_mksoft_dirty', entry(s, 'present', '')), show: 'WR', expect: 'WR=0' },
  // generic (§1.4)
  { profile: 'generic', call: (s) => s.apply('pte_mkuffd_wp', entry(s, 'present', 'W D')), show: 'W D UW', expect: 'W=0 D=1 UW=1' },
  { profile: 'generic', call: (s) => s.apply('pte_mkdirty', entry(s, 'present', '')), show: 'W D SFD', expect: 'W=0 D=1 SFD=1' },
  { profile: 'generic -MEM_SOFT_DIRTY', call: (s) => s.apply('pte_mkdirty', entry(s, 'present', '')), show: 'W D SFD', expect: 'W=0 D=1 SFD=-' },
  // swap / migration (§2.4)
  { profile: x86, call: (s) => s.apply('pte_swp_mksoft_dirty', s.apply('swp_entry_to_pte', s.apply('make_writable_migration_entry', undefined))), show: 'swp_sd swp_uw mig_w', expect: 'swp_sd=1 swp_uw=0 mig_w=1' },
  { profile: x86, call: (s) => s.apply('pte_to_swp_entry', entry(s, 'mig_w', 'swp_sd swp_uw')), show: 'swp_sd swp_uw mig_w', expect: 'swp_sd=0 swp_uw=0 mig_w=1' },
  { profile: x86, call: (s) => s.apply('make_migration_entry_dirty', s.apply('make_readable_migration_entry', undefined)), show: 'mig_d mig_r', expect: 'mig_d=1 mig_r=1' },
  { profile: 'x86_64 -MIGRATION_ENTRY_AD', call: (s) => s.apply('make_migration_entry_dirty', s.apply('make_readable_migration_entry', undefined)), show: 'mig_d mig_r', expect: 'mig_d=- mig_r=1' },
  { profile: 'arm64', call: (s) => s.apply('pte_swp_mksoft_dirty', s.apply('swp_entry_to_pte', entry(s, 'swap', '', 'pte', 'swp'))), show: 'swp_sd swap', expect: 'swp_sd=- swap=1' },
];

for (const row of rows) {
  test(`${row.profile}: ${row.call.toString().replace(/^\(s\) => /, '')} → ${row.expect}`, () => {
    const sim = new Simulator(row.profile);
    assert.equal(pick(sim, row.call(sim), row.show), row.expect);
  });
}

test('x86 predicates read SavedDirty and the shadow-stack encoding', () => {
  const sim = new Simulator(x86);
  const { TRUE, FALSE } = sim.alg;
  assert.equal(sim.test('pte_dirty', entry(sim, 'present', 'SD')), TRUE);
  assert.equal(sim.test('pte_write', entry(sim, 'present', 'D')), TRUE, 'W=0 D=1 counts as writable (shadow stack)');
  assert.equal(sim.test('pud_write', entry(sim, 'present', 'D PSE', 'pud')), FALSE, 'pud_write ignores shadow stack');
  assert.equal(new Simulator('x86_64 -X86_FEATURE_SHSTK').test('pte_write', entry(sim, 'present', 'D')), FALSE);
  assert.equal(sim.test('pmd_present', entry(sim, 'invalid', 'PSE', 'pmd')), TRUE, 'an invalidated huge PMD is still present');
  assert.equal(sim.test('pud_present', entry(sim, 'invalid', 'PSE', 'pud')), FALSE);
  assert.equal(sim.test('pte_accessible', sim.constantFacts(['tlb_flush_pending']), entry(sim, 'protnone', '')), TRUE);
  assert.equal(sim.test('pte_accessible', sim.constantFacts([]), entry(sim, 'protnone', '')), FALSE);
});

test('arm64 dirty is software dirty or writable-and-not-read-only', () => {
  const sim = new Simulator('arm64');
  assert.equal(sim.test('pte_dirty', entry(sim, 'present', 'WR')), sim.alg.TRUE);
  assert.equal(sim.test('pte_dirty', entry(sim, 'present', 'WR RO')), sim.alg.FALSE);
  assert.equal(sim.test('pte_soft_dirty', entry(sim, 'present', '')), sim.alg.FALSE);
});

test('arm64 pmd_mkinvalid keeps a PROT_NONE entry protnone; x86 makes it invalid', () => {
  const arm = new Simulator('arm64');
  assert.equal(formOf(arm, arm.apply('pmd_mkinvalid', entry(arm, 'protnone', '', 'pmd'))), 'protnone');
  assert.equal(formOf(arm, arm.apply('pmd_mkinvalid', entry(arm, 'present', '', 'pmd'))), 'invalid');
  const x86sim = new Simulator(x86);
  assert.equal(formOf(x86sim, x86sim.apply('pmd_mkinvalid', entry(x86sim, 'protnone', 'PSE', 'pmd'))), 'invalid');
});

test('in-place primitives change the slot and emit their events', () => {
  const sim = new Simulator(x86);
  const live = entry(sim, 'present', 'W D A');
  const wp = sim.applyInPlace('ptep_set_wrprotect', live, undefined, undefined, undefined);
  assert.equal(pick(sim, wp.slot, 'W D SD'), 'W=0 D=0 SD=1');
  assert.equal(wp.install, 'atomic-update');
  const cleared = sim.applyInPlace('ptep_clear_flush', live, sim.constantFacts([]), undefined, undefined);
  assert.equal(formOf(sim, cleared.slot), 'none');
  assert.equal(cleared.returned, live);
  assert.deepEqual(cleared.events.map((e) => [e.event, e.scope, e.guard]), [['tlb-flush', 'page', sim.alg.TRUE]]);
  const arm = new Simulator('arm64');
  const merged = arm.applyInPlace('ptep_set_access_flags', entry(arm, 'present', 'WR AF'), undefined, undefined, undefined, entry(arm, 'present', 'RO'), arm.alg.TRUE);
  assert.equal(pick(arm, merged.slot, 'WR RO AF'), 'WR=1 RO=0 AF=1', 'arm64 merges: never less permissive');
  const x86merge = sim.applyInPlace('ptep_set_access_flags', live, undefined, undefined, undefined, entry(sim, 'present', 'W D A'), sim.alg.FALSE);
  assert.equal(x86merge.returned, sim.alg.FALSE, 'same entry: nothing changed');
});

test('historical names exist exactly on the versions where the kernel had them', () => {
  assert.ok(new Simulator('x86_64@5.10').has('is_write_migration_entry'));
  assert.ok(!new Simulator('x86_64@6.1').has('is_write_migration_entry'));
  assert.ok(new Simulator('x86_64@6.1').has('is_writable_migration_entry'));
  assert.ok(new Simulator('x86_64@6.19').has('softleaf_is_migration_write'));
  assert.ok(!new Simulator('x86_64@6.13').has('softleaf_is_migration_write'));
  assert.ok(new Simulator('x86_64@5.4').has('pmd_mknotpresent'));
  assert.ok(new Simulator('x86_64@6.1').has('pte_savedwrite') && !new Simulator('x86_64@6.2').has('pte_savedwrite'));
  assert.ok(new Simulator('x86_64@6.13').has('pte_mkdevmap'));
  assert.ok(!new Simulator('x86_64@6.19').has('pte_mkdevmap'));
  assert.match(new Simulator('x86_64@6.1').set.whyMissing('pte_mkwrite_novma') ?? '', /6\.6/);
  assert.equal(new Simulator('x86_64@6.1').helper('pte_mkwrite').params.length, 1, 'pte_mkwrite(pte) before 6.6');
  assert.equal(new Simulator('x86_64@6.6').helper('pte_mkwrite').params.length, 2, 'pte_mkwrite(pte, vma) from 6.6');
});

test('hover text comes from the same rows', () => {
  const sim = new Simulator(x86);
  const text = sim.helper('pte_wrprotect');
  assert.equal(text.effectText, 'W := 0; call pte_mksaveddirty');
  assert.match(text.def.summary, /SavedDirty/);
});

test('clear_young_dirty_ptes clears what its flags say: young for MADV_COLD, young and dirty for MADV_FREE', () => {
  const sim = new Simulator(x86);
  const live = entry(sim, 'present', 'W D A');
  const cold = sim.applyInPlace('clear_young_dirty_ptes', live, undefined, undefined, undefined, undefined, sim.constantFacts(['CYDP_CLEAR_YOUNG']));
  assert.equal(pick(sim, cold.slot, 'W D A'), 'W=1 D=1 A=0');
  const free = sim.applyInPlace('clear_young_dirty_ptes', live, undefined, undefined, undefined, undefined, sim.constantFacts(['CYDP_CLEAR_YOUNG', 'CYDP_CLEAR_DIRTY']));
  assert.equal(pick(sim, free.slot, 'W D A'), 'W=1 D=0 A=0');
});
