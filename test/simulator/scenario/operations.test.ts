// The operation library, one operation at a time: a few lines of scenario, the entry after each
// step, which kernel path ran, and what the properties say. Each operation follows the helper
// semantics of the profile it runs on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPERATIONS, parseScenario, runScenario, type ScenarioRun, type StepResult } from '../../../simulator/src/scenario';

function run(text: string, profile = 'x86_64@6.19'): ScenarioRun {
  const { scenario, problems } = parseScenario(text);
  assert.deepEqual(problems, []);
  return runScenario(scenario!, { profile });
}

/** The entry after a step: its form and the bits asked for, e.g. `present W=1 SFD=0`. */
function entry(step: StepResult, bits: string[]): string {
  return [step.after.form, ...bits.map((b) => `${b}=${step.after.bits[b]}`)].join(' ');
}

function lastStep(r: ScenarioRun): StepResult {
  return r.steps[r.steps.length - 1]!;
}

test('write: the MMU sets Accessed and Dirty through a writable entry, and no soft-dirty', () => {
  const r = run('vma anon read write\nentry present W=1 SFD=1\nfolio anon exclusive\nsteps\n  write\n');
  assert.equal(entry(lastStep(r), ['W', 'D', 'A', 'SFD']), 'present W=1 D=1 A=1 SFD=1');
  assert.equal(lastStep(r).access, 'write');
  assert.match(lastStep(r).sources[0]!, /page walker/);
});

test('write faults: a new anonymous page, a shared page made writable and dirty, copy-on-write of a shared anonymous page', () => {
  assert.equal(entry(lastStep(run('vma anon read write\nsteps\n  write\n')), ['W', 'D', 'SFD']), 'present W=1 D=1 SFD=1');
  assert.deepEqual(lastStep(run('vma anon read write\nsteps\n  write\n')).after.folio, ['anon', 'exclusive']);
  const shared = run('vma shmem read write !VM_SOFTDIRTY\nentry present SFD=0\nsteps\n  write\n');
  assert.match(lastStep(shared).path[0]!, /wp_page_shared/);
  assert.equal(entry(lastStep(shared), ['W', 'D', 'SFD']), 'present W=1 D=1 SFD=1', 'the fault path sets soft-dirty (pte_mkdirty)');
  assert.deepEqual(lastStep(shared).after.folio, ['dirty']);
  const cow = run('vma anon read write\nentry present SD=1\nfolio anon\nsteps\n  write\n');
  assert.match(lastStep(cow).path[0]!, /wp_page_copy/);
  assert.deepEqual(lastStep(cow).after.folio, ['anon', 'exclusive'], 'the copy is a new exclusive page');
});

test('write traps: SIGSEGV without VM_WRITE, userfaultfd on a uffd-wp entry; the entry is untouched', () => {
  const segv = lastStep(run('vma anon read\nentry present\nfolio anon exclusive\nsteps\n  write\n'));
  assert.equal(segv.trap, 'SIGSEGV');
  assert.deepEqual(segv.changed, []);
  const uffd = run('vma anon read write VM_UFFD_WP\nentry present UW=1 SD=1\nfolio anon exclusive\nsteps\n  write\n');
  assert.equal(lastStep(uffd).trap, 'userfaultfd');
  assert.equal(uffd.holds, true);
});

test('read: Accessed through a present entry; the zero page for untouched anonymous memory', () => {
  assert.equal(entry(lastStep(run('vma anon read write\nentry present\nfolio anon exclusive\nsteps\n  read\n')), ['A', 'D']), 'present A=1 D=0');
  const zero = lastStep(run('vma anon read write\nsteps\n  read\n'));
  assert.equal(entry(zero, ['W', 'SP']), 'present W=0 SP=1');
  assert.deepEqual(zero.after.folio, ['zero']);
});

test('clear_refs soft-dirty: VM_SOFTDIRTY cleared, the entry write-protected without soft-dirty; writenotify for shared memory', () => {
  const r = run('vma shmem read write\nentry present W=1 D=1 SFD=1\nfolio dirty\nsteps\n  clear_refs soft-dirty\n');
  assert.equal(entry(lastStep(r), ['W', 'SFD']), 'present W=0 SFD=0');
  assert.ok(!lastStep(r).after.vma.includes('VM_SOFTDIRTY'));
  assert.ok(lastStep(r).after.vma.includes('writenotify'));
  assert.equal(entry(lastStep(r), ['D', 'SD']), 'present D=0 SD=1', 'on 6.19 x86 pte_wrprotect moves Dirty into SavedDirty');
  assert.equal(entry(lastStep(run('vma shmem read write\nentry present W=1 D=1 SFD=1\nfolio dirty\nsteps\n  clear_refs soft-dirty\n', 'x86_64@6.1')), ['D']), 'present D=1', 'before 6.6 there is no SavedDirty');
});

test('clear_refs soft-dirty needs CONFIG_MEM_SOFT_DIRTY: on arm64 the scenario cannot run', () => {
  const { scenario } = parseScenario('vma anon read write\nsteps\n  clear_refs soft-dirty\n');
  assert.throws(() => runScenario(scenario!, { profile: 'arm64' }), (e: Error & { problems?: { line: number }[] }) => e.problems?.[0]?.line === 3 && /needs CONFIG_MEM_SOFT_DIRTY/.test(e.message));
});

test('mprotect: write removed, then given back where can_change_pte_writable() allows (6.19: an exclusive anonymous page); EACCES beyond VM_MAY*', () => {
  const r = run('vma anon read write\nentry present W=1 D=1 SFD=1\nfolio anon exclusive\nsteps\n  mprotect read\n  mprotect read write\n');
  assert.equal(entry(r.steps[0]!, ['W']), 'present W=0');
  assert.ok(!r.steps[0]!.after.vma.includes('VM_WRITE'));
  assert.equal(entry(r.steps[1]!, ['W']), 'present W=1');
  const noWrite = parseScenario('vma anon read !VM_MAYWRITE\nsteps\n  mprotect read write\n').scenario!;
  assert.throws(() => runScenario(noWrite), /lacks VM_MAYWRITE, the kernel refuses with EACCES/);
});

test('mprotect before 6.0: only a dirty entry in a VMA that wants write notification gets write back (dirty_accountable)', () => {
  const r = run('vma anon read write\nentry present W=1 D=1 SFD=1\nfolio anon exclusive\nsteps\n  mprotect read\n  mprotect read write\n', 'x86_64@5.15');
  assert.equal(entry(r.steps[1]!, ['W']), 'present W=0', 'a private mapping stays read-only until the next write fault');
});

test('uffd register wp: VM_UFFD_WP, and from 6.2 write notification for a shared writable VMA; EINVAL for a private file mapping', () => {
  const text = 'vma shmem read write\nsteps\n  uffd register wp\n';
  assert.ok(lastStep(run(text, 'x86_64@6.2')).after.vma.includes('writenotify'));
  assert.ok(!lastStep(run(text, 'x86_64@6.1')).after.vma.includes('writenotify'));
  assert.equal(lastStep(run('vma file read write\nsteps\n  uffd register wp\n')).trap, 'EINVAL');
});

test('uffd wp on / off: write-protected with uffd-wp, then released: 6.1 gives write back from the flags, 6.19 asks can_change_pte_writable()', () => {
  const text = 'vma shmem read write VM_UFFD_WP !VM_SOFTDIRTY\nentry present W=1 D=1 SFD=1\nfolio dirty\nsteps\n  uffd wp on\n  write\n  uffd wp off\n';
  for (const profile of ['x86_64@6.1', 'x86_64@6.19']) {
    const r = run(text, profile);
    assert.equal(entry(r.steps[0]!, ['W', 'UW']), 'present W=0 UW=1', profile);
    assert.equal(r.steps[1]!.trap, 'userfaultfd', profile);
    assert.equal(entry(r.steps[2]!, ['W', 'UW']), 'present W=1 UW=0', `${profile}: a dirty shared entry may be writable`);
  }
  assert.equal(lastStep(run('vma anon read write\nentry present\nfolio anon exclusive\nsteps\n  uffd wp on\n')).trap, 'ENOENT');
});

test('uffd unregister: before 6.0 the entry keeps its uffd-wp bit; from 6.0 it is reset', () => {
  const text = 'vma anon read write VM_UFFD_WP\nentry present UW=1 SD=1 SFD=1\nfolio anon exclusive\nsteps\n  uffd unregister\n';
  assert.equal(entry(lastStep(run(text.replace('SD=1', 'D=1'), 'x86_64@5.15')), ['UW']), 'present UW=1');
  assert.equal(entry(lastStep(run(text, 'x86_64@6.19')), ['UW', 'W']), 'present UW=0 W=1', 'an exclusive anonymous page gets write back');
  assert.ok(!lastStep(run(text, 'x86_64@6.19')).after.vma.includes('VM_UFFD_WP'));
});

test('fork: the parent\'s private entry is write-protected and its page shared, so its next write copies; the child starts clean and old', () => {
  const r = run('vma anon read write\nentry present W=1 D=1 SFD=1 A=1\nfolio anon exclusive\nsteps\n  fork\n  write\n');
  assert.equal(entry(r.steps[0]!, ['W']), 'present W=0');
  assert.deepEqual(r.steps[0]!.after.folio, ['anon']);
  assert.match(r.steps[1]!.path[0]!, /wp_page_copy/);
  const shared = lastStep(run('vma shmem read write\nentry present W=1 D=1 SFD=1 A=1\nfolio dirty\nsteps\n  fork\n'));
  assert.deepEqual(shared.changed, [], 'a shared mapping keeps the parent\'s entry');
  const child = lastStep(run('vma shmem read write VM_UFFD_WP\nentry present W=0 SD=1 SFD=1 A=1 UW=1\nfolio dirty\nsteps\n  fork child\n'));
  assert.equal(entry(child, ['D', 'SD', 'A', 'UW']), 'present D=0 SD=0 A=0 UW=0');
});

test('migrate: soft-dirty and uffd-wp survive; dirt is recorded in the entry from 6.1 and in the folio always', () => {
  const text = 'vma anon read write VM_UFFD_WP !VM_SOFTDIRTY\nentry present UW=1 D=1 SFD=1 A=1\nfolio anon exclusive\nsteps\n  migrate\n';
  assert.equal(entry(lastStep(run(text, 'x86_64@6.1')), ['W', 'D', 'SFD', 'UW']), 'present W=0 D=1 SFD=1 UW=1');
  assert.equal(entry(lastStep(run(text.replace('D=1', 'SD=1'))), ['W', 'SD', 'SFD', 'UW']), 'present W=0 SD=1 SFD=1 UW=1', '6.19: the dirt comes back as SavedDirty on the read-only entry');
  const old = lastStep(run(text, 'x86_64@5.15'));
  assert.equal(entry(old, ['D']), 'present D=0');
  assert.deepEqual(old.after.folio, ['anon', 'dirty', 'exclusive']);
});

test('numa hint, then an access: PROT_NONE, and the hinting fault restores the entry (write back on 6.19 for an exclusive dirty page)', () => {
  const r = run('vma anon read write\nentry present W=1 D=1 SFD=1 A=1\nfolio anon exclusive\nsteps\n  numa hint\n  read\n');
  assert.equal(r.steps[0]!.after.form, 'protnone');
  assert.deepEqual(r.steps[1]!.path.length, 3, 'the read faults, do_numa_page() restores the entry, the read goes through');
  assert.equal(entry(r.steps[1]!, ['W', 'A']), 'present W=1 A=1');
});

test('madvise dontneed: anonymous data is discarded; a uffd-wp shmem entry leaves a uffd-wp marker and a write to it traps', () => {
  const anon = lastStep(run('vma anon read write\nentry present W=1 D=1 SFD=1\nfolio anon exclusive\nsteps\n  write\n  madvise dontneed\n'));
  assert.equal(anon.after.form, 'none');
  const marker = run('vma shmem read write VM_UFFD_WP\nentry present UW=1 SD=1 SFD=1\nfolio dirty\nsteps\n  madvise dontneed\n  write\n');
  assert.equal(marker.steps[0]!.after.form, 'marker');
  assert.equal(marker.steps[1]!.trap, 'userfaultfd');
});

test('madvise free: old, clean and lazy-free — no write lost, the user gave the data up; EINVAL outside private anonymous memory', () => {
  const r = run('vma anon read write\nentry present W=1 D=1 SFD=1 A=1\nfolio anon exclusive\nsteps\n  write\n  madvise free\n');
  assert.equal(entry(lastStep(r), ['D', 'A']), 'present D=0 A=0');
  assert.ok(lastStep(r).after.folio.includes('lazyfree'));
  assert.equal(r.holds, true);
  assert.equal(lastStep(run('vma shmem read write\nsteps\n  madvise free\n')).trap, 'EINVAL');
});

test('every operation of the library cites kernel code in each case, and its variants do not overlap', () => {
  for (const def of OPERATIONS) {
    for (const variant of def.variants) for (const c of variant.cases) assert.ok(c.source.length > 0, `${def.name}: ${c.path}`);
    const spans = def.variants.map((v) => [Number(v.since ?? 0), Number(v.until ?? 99)] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i]![0] >= spans[i - 1]![1], `${def.name}: variants overlap`);
  }
});
