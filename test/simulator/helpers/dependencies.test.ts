// A helper row that calls a helper the profile lacks is not in the profile's
// set (decided when the set is built) and says why; every helper that is in a
// set runs there, on every version of every architecture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARCH_NAMES, CONFIG_SYMBOLS, Simulator, formatVersion, isEnabled, parseProfile, type ArgValue, type CompiledHelper } from '../../../simulator/src';
import { modelVersions } from '../../../simulator/src/boundaries';
import { rowCallees } from '../../../simulator/src/helpers/dependencies';

test('a row lists the helpers its effect calls, per level', () => {
  const sim = new Simulator('x86_64@6.19');
  assert.deepEqual([...rowCallees(sim.set.row('pmd_mkwrite')!, 'pmd')].sort(), ['pmd_clear_saveddirty', 'pmd_mkwrite_novma', 'pmd_mkwrite_shstk']);
  assert.deepEqual(rowCallees(sim.set.row('ptep_clear_flush')!, 'pte'), ['pte_accessible'], 'event guards count');
  assert.deepEqual(rowCallees(sim.set.row('pte_same')!, 'pte'), [], 'same() is built in');
});

test('a row whose callee the version lacks is left out of the set, with the reason', () => {
  const old = new Simulator('x86_64@4.3');
  assert.equal(old.has('numa_fault_restores_write'), false);
  assert.equal(old.set.whyMissing('numa_fault_restores_write'), 'needs pte_savedwrite (defined from 4.11 until 6.2, not in 4.3)');
  assert.ok(!old.set.names().includes('numa_fault_restores_write'));
  assert.equal(new Simulator('x86_64@5.10').has('numa_fault_restores_write'), true);
});

test('a chain of missing callees is followed to its reason', () => {
  const sim = new Simulator('x86_64@4.3');
  assert.equal(sim.set.needs('numa_fault_restores_write'), 'needs numa_fault_restores_write → pte_savedwrite (defined from 4.11 until 6.2, not in 4.3)');
});

test('arm64 has no pud_wrprotect, so no pudp_set_wrprotect either: an unknown call, not an error', () => {
  const sim = new Simulator('arm64@6.19');
  assert.equal(sim.has('pud_wrprotect'), false);
  assert.equal(sim.has('pudp_set_wrprotect'), false);
  assert.match(sim.set.whyMissing('pudp_set_wrprotect') ?? '', /^not on arm64/);
  assert.equal(new Simulator('x86_64@6.19').has('pudp_set_wrprotect'), true);
});

/** Arguments of the right kinds, over fresh unknowns. */
function argumentsFor(sim: Simulator, helper: CompiledHelper): { args: ArgValue[]; extra: Record<string, ArgValue> } {
  const value = (name: string, kind: 'entry' | 'swp' | 'prot'): ArgValue =>
    kind === 'prot' ? sim.entry(name, helper.level, { kind, forms: ['present', 'protnone'] }) : sim.entry(name, helper.level, { kind });
  const one = (name: string, kind: string): ArgValue => {
    if (kind === 'entry' || kind === 'swp' || kind === 'prot') return value(name, kind);
    if (kind === 'bool') return sim.alg.variable(`arg.${name}`, 'context');
    if (kind === 'slot' || kind === 'opaque') return undefined;
    return sim.facts(name);
  };
  const args = helper.params.filter((p) => !p.implicit).map((p) => one(p.name, p.kind));
  const extra = Object.fromEntries(helper.params.filter((p) => p.implicit).map((p) => [p.name, one(p.name, p.kind)]));
  return { args, extra };
}

function runEveryHelper(profile: string): void {
  const sim = new Simulator(profile);
  for (const name of sim.set.names()) {
    const helper = sim.helper(name);
    const { args, extra } = argumentsFor(sim, helper);
    const bound = sim.bind(helper, args, extra);
    const run = () => {
      if (helper.def.kind === 'predicate') helper.test(sim.alg, bound);
      else if (helper.def.kind === 'inplace') helper.applyInPlace(sim.alg, sim.entry('slot', helper.level), bound);
      else helper.apply(sim.alg, bound);
    };
    assert.doesNotThrow(run, `${name} on ${sim.profile.name}`);
  }
}

for (const arch of ARCH_NAMES) {
  test(`every helper in the set runs on every version of ${arch}`, () => {
    for (const version of modelVersions(arch)) runEveryHelper(`${arch}@${formatVersion(version)}`);
  });

  test(`every helper in the set runs on ${arch} with any one config symbol turned off`, () => {
    const symbols = Object.keys(CONFIG_SYMBOLS).filter((symbol) => isEnabled(parseProfile(arch), symbol));
    assert.ok(symbols.length >= 8);
    for (const symbol of symbols) runEveryHelper(`${arch} -${symbol}`);
  });
}
