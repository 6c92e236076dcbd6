// Entry forms by version: an entry nothing is known about takes only the forms its kernel has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulator } from '../../../simulator/src/simulator';
import { formGuard } from '../../../simulator/src/model/value';

function canBe(profile: string, level: 'pte' | 'pmd', form: Parameters<typeof formGuard>[2]): boolean {
  const sim = new Simulator(profile);
  return formGuard(sim.entry('x', level), sim.set.layout, form) !== sim.alg.FALSE;
}

test('device-exclusive entries exist from 5.14, PTE markers and exclusive read migration entries from 5.19', () => {
  assert.deepEqual([canBe('x86_64@5.12', 'pte', 'dev_x'), canBe('x86_64@5.14', 'pte', 'dev_x')], [false, true]);
  assert.deepEqual([canBe('x86_64@5.17', 'pte', 'marker'), canBe('x86_64@5.19', 'pte', 'marker')], [false, true]);
  assert.deepEqual([canBe('arm64@5.17', 'pmd', 'mig_re'), canBe('arm64@5.19', 'pmd', 'mig_re')], [false, true]);
});

test('THP migration entries and device-private PTEs exist from 4.14, device-private PMDs from 6.19; present and swap entries always', () => {
  assert.deepEqual([canBe('x86_64@4.11', 'pmd', 'mig_w'), canBe('x86_64@4.14', 'pmd', 'mig_w')], [false, true]);
  assert.deepEqual([canBe('x86_64@4.11', 'pte', 'dev_w'), canBe('x86_64@4.14', 'pte', 'dev_w')], [false, true]);
  assert.deepEqual([canBe('x86_64@6.18', 'pmd', 'dev_w'), canBe('x86_64@6.19', 'pmd', 'dev_w'), canBe('x86_64@6.18', 'pte', 'dev_w')], [false, true, true]);
  assert.deepEqual([canBe('x86_64@3.10', 'pte', 'present'), canBe('x86_64@3.10', 'pte', 'swap'), canBe('x86_64@3.10', 'pte', 'mig_w')], [true, true, true]);
});
