// The BDD answers exactly what a truth table answers, on random formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BddLimitError, BddManager, createAlgebra } from '../../../simulator/src/sym';
import type { Bool, BoolAlgebra } from '../../../simulator/src/sym';

type Formula =
  | { kind: 'var'; name: string }
  | { kind: 'const'; value: boolean }
  | { kind: 'not'; arg: Formula }
  | { kind: 'and' | 'or' | 'xor' | 'implies'; left: Formula; right: Formula };

const NAMES = ['a', 'b', 'c', 'd', 'e'];

const formula: fc.Arbitrary<Formula> = fc.letrec<{ f: Formula }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NAMES).map((name): Formula => ({ kind: 'var', name })),
    fc.boolean().map((value): Formula => ({ kind: 'const', value })),
    tie('f').map((arg): Formula => ({ kind: 'not', arg })),
    fc
      .tuple(fc.constantFrom('and', 'or', 'xor', 'implies' as const), tie('f'), tie('f'))
      .map(([kind, left, right]): Formula => ({ kind, left, right })),
  ),
})).f;

function truth(f: Formula, env: ReadonlyMap<string, boolean>): boolean {
  switch (f.kind) {
    case 'var':
      return env.get(f.name) ?? false;
    case 'const':
      return f.value;
    case 'not':
      return !truth(f.arg, env);
    case 'and':
      return truth(f.left, env) && truth(f.right, env);
    case 'or':
      return truth(f.left, env) || truth(f.right, env);
    case 'xor':
      return truth(f.left, env) !== truth(f.right, env);
    case 'implies':
      return !truth(f.left, env) || truth(f.right, env);
  }
}

function build(alg: BoolAlgebra, f: Formula): Bool {
  switch (f.kind) {
    case 'var':
      return alg.variable(f.name);
    case 'const':
      return alg.constant(f.value);
    case 'not':
      return alg.not(build(alg, f.arg));
    case 'and':
      return alg.and(build(alg, f.left), build(alg, f.right));
    case 'or':
      return alg.or(build(alg, f.left), build(alg, f.right));
    case 'xor':
      return alg.xor(build(alg, f.left), build(alg, f.right));
    case 'implies':
      return alg.implies(build(alg, f.left), build(alg, f.right));
  }
}

function* allAssignments(): Generator<Map<string, boolean>> {
  for (let bits = 0; bits < 1 << NAMES.length; bits++) {
    yield new Map(NAMES.map((name, i) => [name, ((bits >> i) & 1) === 1]));
  }
}

function models(f: Formula): number {
  let count = 0;
  for (const env of allAssignments()) if (truth(f, env)) count++;
  return count;
}

test('evaluation agrees with the truth table on every assignment', () => {
  fc.assert(
    fc.property(formula, (f) => {
      const alg = createAlgebra();
      const node = build(alg, f);
      for (const env of allAssignments()) assert.equal(alg.evaluate(node, env), truth(f, env));
    }),
    { numRuns: 400, seed: 20261122 },
  );
});

test('satisfiable exactly when some row is true, and the witness satisfies it', () => {
  fc.assert(
    fc.property(formula, (f) => {
      const alg = createAlgebra();
      const node = build(alg, f);
      assert.equal(alg.isSatisfiable(node), models(f) > 0);
      assert.equal(alg.isValid(node), models(f) === 1 << NAMES.length);
      const witness = alg.witness(node);
      if (witness) assert.ok(truth(f, witness), 'the witness makes the formula true');
      else assert.equal(models(f), 0);
    }),
    { numRuns: 400, seed: 7 },
  );
});

test('equivalence is identity and entailment matches the truth table', () => {
  fc.assert(
    fc.property(formula, formula, (f, g) => {
      const alg = createAlgebra();
      const a = build(alg, f);
      const b = build(alg, g);
      let same = true;
      let entails = true;
      for (const env of allAssignments()) {
        if (truth(f, env) !== truth(g, env)) same = false;
        if (truth(f, env) && !truth(g, env)) entails = false;
      }
      assert.equal(alg.equivalent(a, b), same);
      assert.equal(alg.entails(a, b), entails);
    }),
    { numRuns: 400, seed: 11 },
  );
});

test('restrict and exists agree with substitution', () => {
  fc.assert(
    fc.property(formula, fc.constantFrom(...NAMES), fc.boolean(), (f, name, value) => {
      const alg = createAlgebra();
      const node = build(alg, f);
      const restricted = alg.restrict(node, new Map([[name, value]]));
      const quantified = alg.exists(node, [name]);
      for (const env of allAssignments()) {
        const fixed = new Map(env).set(name, value);
        assert.equal(alg.evaluate(restricted, env), truth(f, fixed));
        const either = truth(f, new Map(env).set(name, false)) || truth(f, new Map(env).set(name, true));
        assert.equal(alg.evaluate(quantified, env), either);
      }
      assert.ok(!alg.support(restricted).includes(name));
    }),
    { numRuns: 300, seed: 3 },
  );
});

test('hash-consing: the same formula built twice is the same node', () => {
  const alg = createAlgebra();
  const a = alg.variable('a');
  const b = alg.variable('b');
  const left = alg.or(alg.and(a, b), alg.and(alg.not(a), b));
  assert.equal(left, b);
  assert.equal(alg.not(alg.not(a)), a);
  assert.equal(alg.format(alg.and(a, alg.not(b))), 'a & !b');
  assert.equal(alg.format(alg.or(a, b)), '(a & !b) | b');
});

test('witnesses name as few set bits as possible', () => {
  const alg = createAlgebra();
  const [w, d, x] = ['W', 'D', 'X'].map((name) => alg.variable(name)) as [number, number, number];
  const writableDirtyOrX = alg.or(alg.and(w, d), x);
  const witness = alg.witness(writableDirtyOrX)!;
  assert.deepEqual([...witness].filter(([, value]) => value).map(([name]) => name), ['X']);
  assert.ok(alg.evaluate(writableDirtyOrX, witness));
});

test('past its node limit the manager throws once, then grants as many again for summarising and reporting', () => {
  const alg = new BddManager(200);
  const chain = (names: string[]) => names.reduce((acc, name) => alg.xor(acc, alg.variable(name)), alg.FALSE);
  assert.throws(() => chain(Array.from({ length: 300 }, (_, i) => `x${i}`)), BddLimitError);
  const afterFirst = alg.nodeCount;
  assert.ok(afterFirst >= 200 && afterFirst < 300);
  alg.and(alg.variable('y0'), alg.variable('y1'));
  assert.throws(() => chain(Array.from({ length: 500 }, (_, i) => `z${i}`)), BddLimitError);
  assert.ok(alg.nodeCount <= 400);
});

test('a formula carried to another manager keeps its variable order', () => {
  // The bits of entries read one after the other are ordered entry by entry; an import that
  // spread the bits of one entry among the others' could make a summary exponentially larger.
  const callee = new BddManager();
  const [a, b, c] = ['a', 'b', 'c'].map((name) => callee.variable(name));
  // walked low edge first, `b` is met before `a`, though `a` sits below it
  const formula = callee.ite(c!, a!, b!);
  const caller = new BddManager();
  caller.variable('older');
  const [imported] = caller.importFormulas(callee.exportFormulas([formula]), (name) => caller.variable(`${name}'`));
  assert.deepEqual(callee.support(formula), ['c', 'b', 'a']);
  assert.deepEqual(caller.support(imported!), [`c'`, `b'`, `a'`]);
});

test('work given a budget of nodes stops past it, and the manager keeps its own limit', () => {
  const alg = new BddManager(10_000);
  const chain = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => alg.variable(`${prefix}${i}`)).reduce((acc, v) => alg.xor(acc, v), alg.FALSE);
  assert.throws(() => alg.withinBudget(50, () => chain('a', 200)), BddLimitError);
  // within the manager's limit, as much as before
  const before = alg.nodeCount;
  chain('b', 2_000);
  assert.ok(alg.nodeCount > before + 1_000);
  assert.equal(alg.withinBudget(100, () => alg.and(alg.variable('c0'), alg.variable('c1'))) !== alg.FALSE, true);
});

test('ite(c, t, e) is (c and t) or (not c and e), also where c is a variable above both branches (made as one node)', () => {
  fc.assert(
    fc.property(fc.constantFrom(...NAMES), formula, formula, (name, then, otherwise) => {
      const alg = new BddManager();
      // the condition's variable is created last: newest-first, it sits above the branches
      const [t, e] = [build(alg, then), build(alg, otherwise)];
      const c = alg.variable(`${name}'`);
      assert.equal(alg.ite(c, t, e), alg.or(alg.and(c, t), alg.and(alg.not(c), e)));
      const old = alg.variable(name);
      assert.equal(alg.ite(old, t, e), alg.or(alg.and(old, t), alg.and(alg.not(old), e)));
    }),
  );
});

test('what the manager computed stays right as it grows: formulas built before and after its tables double agree', () => {
  const alg = new BddManager();
  // OR of x_i & y_i with every x above every y: about 2^14 nodes, past the first table sizes
  const xs = Array.from({ length: 14 }, (_, i) => alg.variable(`x${i}`, 'context'));
  const ys = Array.from({ length: 14 }, (_, i) => alg.variable(`y${i}`, 'context'));
  const pairs = (n: number) => alg.orAll(xs.slice(0, n).map((x, i) => alg.and(x, ys[i]!)));
  const small = pairs(4);
  const nodesBefore = alg.nodeCount;
  const large = pairs(14);
  assert.ok(alg.nodeCount > 4 * nodesBefore + 8192, `grew to ${alg.nodeCount} nodes`);
  assert.equal(pairs(4), small);
  assert.equal(alg.and(large, alg.not(large)), alg.FALSE);
  assert.equal(alg.or(large, small), large);
  assert.equal(pairs(14), large);
  // walks that mark what they visited, one after another and after growth
  assert.deepEqual(alg.support(small), ['x0', 'x1', 'x2', 'x3', 'y0', 'y1', 'y2', 'y3']);
  assert.equal(alg.support(large).length, 28);
  assert.equal(alg.support([small, large]).length, 28);
  assert.equal(alg.size(small), alg.size(small));
  assert.ok(alg.size(large) > 8192);
});
