// The scenario format: what a good file becomes, and a clear message at the right line for every
// kind of bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../../simulator/src/scenario';

const SEED_002 = `# seed 002
scenario write, clear soft-dirty, register, unregister, write
profile x86_64@6.1
source uffd-wp-range.c
vma shmem read write
entry none

steps
  write                     # 1
  clear_refs soft-dirty     # 2
  uffd register wp
  call uffd_wp_range_old(enable_wp=false)
  mprotect read write
`;

/** The first problem's line and message of a bad scenario. */
function problem(text: string, options = {}): { line: number; message: string } {
  const result = parseScenario(text, options);
  assert.equal(result.scenario, undefined, 'a bad scenario gives no scenario');
  assert.ok(result.problems.length > 0);
  return result.problems[0]!;
}

test('a sequential scenario: profile, source, the VMA kind with its flags, and one operation per step with its line', () => {
  const { scenario, problems } = parseScenario(SEED_002);
  assert.deepEqual(problems, []);
  assert.equal(scenario!.name, 'write, clear soft-dirty, register, unregister, write');
  assert.deepEqual(scenario!.profile, { spec: 'x86_64@6.1', line: 3 });
  assert.deepEqual(scenario!.source, { path: 'uffd-wp-range.c', line: 4 });
  assert.deepEqual([...scenario!.vma.facts].sort(), ['VM_MAYEXEC', 'VM_MAYREAD', 'VM_MAYSHARE', 'VM_MAYWRITE', 'VM_READ', 'VM_SHARED', 'VM_SOFTDIRTY', 'VM_WRITE']);
  assert.deepEqual(scenario!.entry, { form: 'none', bits: {}, line: 6 });
  assert.deepEqual(scenario!.steps.map((s) => [s.line, s.op, s.words, s.args]), [
    [9, 'write', [], {}],
    [10, 'clear_refs soft-dirty', [], {}],
    [11, 'uffd register wp', [], {}],
    [12, 'call', ['uffd_wp_range_old'], { enable_wp: false }],
    [13, 'mprotect', ['read', 'write'], {}],
  ]);
  assert.equal(scenario!.steps[1]!.text, 'clear_refs soft-dirty', 'the step keeps its text without the comment');
});

test('an alias names its operation, and a kind\'s flag can be taken away', () => {
  const { scenario } = parseScenario('vma anon read !VM_SOFTDIRTY\nentry present W=0 D=1\nsteps\n  clear_refs 4\n');
  assert.equal(scenario!.steps[0]!.op, 'clear_refs soft-dirty');
  assert.ok(!scenario!.vma.facts.includes('VM_SOFTDIRTY'));
  assert.ok(scenario!.vma.facts.includes('anonymous'));
  assert.deepEqual(scenario!.entry!.bits, { W: false, D: true });
});

test('CPU sections: each CPU\'s operations with words and arguments, checked against the explorer\'s names', () => {
  const text = 'vma anon read write\ncpu cpu0\n  uffd_wp\ncpu cpu1\n  write\n  read times=2\n';
  const { scenario, problems } = parseScenario(text, { cpuOperations: ['uffd_wp', 'write', 'read'] });
  assert.deepEqual(problems, []);
  assert.deepEqual(scenario!.cpus.map((c) => [c.name, c.line, c.ops.map((o) => [o.op, o.line, o.args])]), [
    ['cpu0', 2, [['uffd_wp', 3, {}]]],
    ['cpu1', 4, [['write', 5, {}], ['read', 6, { times: 2 }]]],
  ]);
  assert.deepEqual(problem(text, { cpuOperations: ['write', 'read'] }), { line: 3, message: 'unknown CPU operation "uffd_wp" (operations: write, read)' });
});

test('bad input: each problem names its line and what would be right', () => {
  const cases: [string, number, RegExp][] = [
    ['vma shmem\nsteps\n  wrtie\n', 3, /unknown operation "wrtie" \(operations: read, write, clear_refs soft-dirty/],
    ['vma shmem\nsteps\n  mprotect\n', 3, /mprotect takes protections: read, write, exec or none/],
    ['vma shmem\nsteps\n  mprotect read fast\n', 3, /mprotect takes protections/],
    ['vma shmem\nsteps\n  fork now\n', 3, /fork takes no words after its name \(got "now"\)/],
    ['vma shmem\nsteps\n  call\n', 3, /call names a C function/],
    ['vma shmem\nsteps\n  call f(enable_wp=)\n', 3, /"enable_wp=" is not an argument/],
    ['vma shmem\nsteps\n  call f a=1 a=2\n', 3, /argument a is given twice/],
    ['vma shmem writable\nsteps\n  write\n', 1, /"writable" is not a VMA kind \(anon, shmem, file, file-shared\)/],
    ['vma shmem\nentry present W=2\nsteps\n  write\n', 2, /"W=2" is not a bit/],
    ['vma shmem\nentry swapped\nsteps\n  write\n', 2, /entry starts with a form: present, none/],
    ['vma shmem\nfolio clean\nsteps\n  write\n', 2, /"clean" is not a folio fact/],
    ['vma shmem\nprofile x86_64\nprofile arm64\nsteps\n  write\n', 3, /"profile" is given twice \(first on line 2\)/],
    ['vma shmem\n  write\n', 2, /an indented operation must follow "steps" or "cpu NAME"/],
    ['vma shmem\nstep write\n', 2, /unknown keyword "step"/],
    ['vma shmem\n', 1, /needs steps or cpu sections/],
    ['steps\n  write\n', 1, /needs a vma line/],
    ['vma shmem\ncpu cpu0\n  write\n', 2, /interleavings need two CPUs or more/],
    ['vma shmem\ncpu cpu0\ncpu cpu1\n  write\n', 2, /cpu cpu0 has no operations/],
    ['vma shmem\ncpu a b\n  write\n', 2, /cpu takes one name/],
  ];
  for (const [text, line, message] of cases) {
    const p = problem(text);
    assert.equal(p.line, line, text);
    assert.match(p.message, message, text);
  }
});

test('check names properties, and only known ones when the host says which', () => {
  const text = 'vma shmem\ncheck softdirty-bypass, dirty-lost\nsteps\n  write\n';
  assert.deepEqual(parseScenario(text).scenario!.check, { ids: ['softdirty-bypass', 'dirty-lost'], line: 2 });
  assert.match(problem(text, { properties: ['softdirty-bypass'] }).message, /"dirty-lost" is not a property/);
});

test('garbage never throws: every line gets a problem', () => {
  const result = parseScenario('\u0000\u0001 binary\n\tnot indented right\n== ==\n');
  assert.equal(result.scenario, undefined);
  assert.ok(result.problems.every((p) => p.line >= 1 && p.message.length > 0));
});
