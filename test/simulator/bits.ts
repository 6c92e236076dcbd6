// Small helpers for tests: concrete entries from bit lists, and bits back out.
import assert from 'node:assert/strict';
import type { EntryValue, Form, Level, Simulator, ValueKind } from '../../simulator/src';

/** A constant value of `form` with the named bits set to 1 (all others 0). */
export function entry(sim: Simulator, form: Form, bits: string, level: Level = 'pte', kind: ValueKind = 'entry'): EntryValue {
  const value = sim.ofForm(form, level, kind);
  for (const name of bits.split(/\s+/).filter(Boolean)) {
    const index = sim.set.layout.indexOf(name);
    assert.notEqual(index, undefined, `${name} exists on ${sim.profile.name}`);
    value.bits[index!] = sim.alg.TRUE;
  }
  return value;
}

/** `W=0 D=1` for the named fields of a constant value (absent fields print as -). */
export function pick(sim: Simulator, value: EntryValue, names: string): string {
  return names
    .split(/\s+/)
    .map((name) => {
      const index = sim.set.layout.indexOf(name);
      if (index === undefined) return `${name}=-`;
      const bit = value.bits[index]!;
      assert.ok(bit === sim.alg.TRUE || bit === sim.alg.FALSE, `${name} is constant`);
      return `${name}=${bit === sim.alg.TRUE ? 1 : 0}`;
    })
    .join(' ');
}

/** The single form a constant value has. */
export function formOf(sim: Simulator, value: EntryValue): string {
  return sim.set.layout.fields.slice(0, sim.set.layout.formCount).find((_, i) => value.bits[i] === sim.alg.TRUE) ?? '?';
}
