// The same programs on each architecture's MMU (hardware.ts): the walk sets that architecture's
// Accessed/Dirty bits, and the COW fault path keeps every write on x86, arm64 and generic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exploreInterleavings, type InterleavingProgram } from '../../../simulator/src/explore';

const VMA = { flags: ['VM_READ', 'VM_WRITE', 'VM_MAYREAD', 'VM_MAYWRITE', 'anonymous'] };

/** Two CPUs write a page shared after fork (read-only, not exclusive): both fault, one copies. */
function sharedAnonWriters(profile: string, entry: Record<string, boolean>): InterleavingProgram {
  return {
    profile,
    initial: { entry, vma: VMA, folio: ['anon'] },
    cpus: [
      { name: 'a', ops: [{ op: 'read' }, { op: 'write' }] },
      { name: 'b', ops: [{ op: 'write' }] },
    ],
  };
}

for (const [profile, entry] of [
  ['x86_64@6.19', { A: true, U: true }],
  ['arm64@6.19', { RO: true, AF: true, U: true }],
  // the generic table's pte_mkdirty sets no soft-dirty (x86's does), so the copy would break
  // softdirty-bypass in a VMA tracking it: this run leaves soft-dirty out
  ['generic -MEM_SOFT_DIRTY', { A: true, U: true }],
] as const) {
  test(`${profile}: concurrent COW faults on a shared page lose no write`, () => {
    const result = exploreInterleavings(sharedAnonWriters(profile, entry));
    assert.equal(result.error, undefined, result.error?.message);
    assert.equal(result.holds, true, result.violation?.message);
    assert.equal(result.complete, true);
    assert.ok(result.explored.states > 20, `${result.explored.states} states`);
  });
}

test('a shared page installed writable breaks cow-writable in the initial state, and the report says so', () => {
  const result = exploreInterleavings(sharedAnonWriters('x86_64@6.19', { W: true, D: true, SFD: true, A: true, U: true }));
  assert.equal(result.violation?.property, 'cow-writable');
  assert.equal(result.violation?.schedule.length, 0);
  assert.match(result.violation!.message, /^the initial state breaks it: installs a writable entry for an anonymous page that may be shared/);
});
