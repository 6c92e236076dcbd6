import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProfileError, isEnabled, parseProfile } from '../../../simulator/src';

test('a bare architecture means the newest modelled semantics, with its default config', () => {
  const p = parseProfile('x86_64');
  assert.equal(p.name, 'x86_64@6.19');
  assert.ok(isEnabled(p, 'X86_USER_SHADOW_STACK'));
  assert.ok(isEnabled(p, 'CONFIG_MEM_SOFT_DIRTY'));
});

test('a version selects what existed then', () => {
  const old = parseProfile('x86_64@6.1');
  assert.ok(!isEnabled(old, 'X86_USER_SHADOW_STACK'));
  assert.ok(isEnabled(old, 'HAVE_ARCH_USERFAULTFD_WP'));
  assert.ok(!isEnabled(parseProfile('x86_64@5.4'), 'HAVE_ARCH_USERFAULTFD_WP'));
  assert.equal(parseProfile('x86_64@6.1.20').name, 'x86_64@6.1');
  assert.equal(parseProfile('x86_64@3.10').version.minor, 10);
  assert.ok(!isEnabled(parseProfile('arm64@6.6'), 'HAVE_ARCH_USERFAULTFD_WP'), 'arm64 uffd-wp arrived in 6.10');
  assert.ok(isEnabled(parseProfile('arm64@6.10'), 'HAVE_ARCH_USERFAULTFD_WP'));
});

test('config overrides add and remove symbols', () => {
  const p = parseProfile('x86_64 -X86_USER_SHADOW_STACK +NUMA_BALANCING');
  assert.ok(!isEnabled(p, 'X86_USER_SHADOW_STACK'));
  assert.equal(p.name, 'x86_64@6.19 +NUMA_BALANCING -X86_USER_SHADOW_STACK');
  assert.ok(isEnabled(parseProfile('generic+MEM_SOFT_DIRTY'), 'MEM_SOFT_DIRTY'));
  assert.equal(parseProfile('aarch64').arch, 'arm64');
});

test('bad profiles are refused with a message that says why', () => {
  const cases: Array<[string, RegExp]> = [
    ['sparc64', /unknown architecture "sparc64"/],
    ['x86_64@2.6', /outside the modelled range/],
    ['x86_64@8.0', /outside the modelled range/],
    ['x86_64@six', /not a profile|not a kernel version/],
    ['arm64 +MEM_SOFT_DIRTY', /MEM_SOFT_DIRTY does not exist on arm64/],
    ['x86_64@6.1 +X86_USER_SHADOW_STACK', /exists from kernel 6\.6 on x86_64/],
    ['x86_64 +NO_SUCH_THING', /unknown config symbol NO_SUCH_THING/],
    ['x86_64 MEM_SOFT_DIRTY', /\+SYMBOL or -SYMBOL/],
    ['', /not a profile/],
  ];
  for (const [spec, message] of cases) assert.throws(() => parseProfile(spec), (e: Error) => e instanceof ProfileError && message.test(e.message), spec);
});
