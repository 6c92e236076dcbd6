// clear_refs (soft-dirty) write-protects under the mmap write lock and flushes at the end:
// faults wait for the lock, so deferring the flush is safe, and the next write after it is
// recorded as soft-dirty again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exploreInterleavings, type InterleavingProgram } from '../../../simulator/src/explore';

const TRACKING = { flags: ['VM_READ', 'VM_WRITE', 'VM_MAYREAD', 'VM_MAYWRITE', 'anonymous'] };

function clearWhileWriting(profile: string, folio: string[]): InterleavingProgram {
  return {
    profile,
    initial: { entry: { W: true, D: true, SFD: true, A: true, U: true }, vma: TRACKING, folio: ['anon', 'exclusive', ...folio] },
    cpus: [
      { name: 'cpu0', ops: [{ op: 'clear_refs', line: 1 }] },
      { name: 'cpu1', ops: [{ op: 'write', line: 2 }] },
      { name: 'cpu2', ops: [{ op: 'write', line: 3 }, { op: 'write', line: 4 }] },
    ],
  };
}

for (const profile of ['x86_64@5.12', 'x86_64@6.19']) {
  test(`${profile}: writers racing clear_refs lose no write and leave no writable entry without soft-dirty`, () => {
    const result = exploreInterleavings(clearWhileWriting(profile, []));
    assert.equal(result.error, undefined, result.error?.message);
    assert.equal(result.holds, true, result.violation?.message);
    assert.equal(result.complete, true);
    assert.ok(result.properties.includes('softdirty-bypass'));
    assert.match(result.variants.clear_refs!, /mmap_write_lock.*\[5\.12\+\]/);
  });
}

test('x86_64@5.12 with a pinned page: clear_refs skips it, so nothing is copied or lost either', () => {
  const result = exploreInterleavings(clearWhileWriting('x86_64@5.12', ['pinned']));
  assert.equal(result.holds, true, result.violation?.message);
});

test('clear_refs refuses a VMA whose first clear would change it, and kernels before 5.12', () => {
  const program = clearWhileWriting('x86_64@6.19', []);
  const first = exploreInterleavings({ ...program, initial: { ...program.initial, vma: { flags: [...TRACKING.flags, 'VM_SOFTDIRTY'] } } });
  assert.match(first.error!.message, /^clear_refs needs a VMA that already tracks soft-dirty .*\(VM_SOFTDIRTY not in the VMA flags\)$/);
  assert.equal(exploreInterleavings(clearWhileWriting('x86_64@5.11', [])).error?.message, 'clear_refs is not modelled on kernel 5.11 (variants: 5.12+)');
});
