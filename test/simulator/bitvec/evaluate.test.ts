// The bit-vector evaluator on small helpers written here in kernel style: masks and shifts,
// locals and compound assignment, early returns under symbolic conditions, ternaries, calls to
// other static inline helpers through struct wrappers, C's conversions (bool, int), CPU
// features from the host — and constructs it must refuse by name.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAlgebra } from '../../../simulator/src';
import { BitVectorEvaluator, SlotCell, UnsupportedConstruct, type Value } from '../../../simulator/src/bitvec/evaluate';
import { constantWord } from '../../../simulator/src/bitvec/word';
import { definitionsOf, environmentOf, runConcrete, symbolicWord, u64 } from '../../helpers/headerCode';

const TOY = `
typedef unsigned long long u64;
typedef u64 toyval_t;
typedef struct { toyval_t val; } toy_t;
#define TOY_BIT(n)	((toyval_t)1 << (n))
#define TOY_VALID	TOY_BIT(0)
#define TOY_WRITE	TOY_BIT(3)
#define TOY_SEEN	TOY_BIT(9)
#define TOY_KEPT	TOY_BIT(40)

static inline toyval_t toy_val(toy_t t) { return t.val; }
static inline toy_t __toy(toyval_t v) { return (toy_t) { .val = v }; }
static inline toy_t toy_set(toy_t t, toyval_t bits) { return __toy(toy_val(t) | bits); }

/* marks a valid entry seen; an invalid one is returned untouched */
static inline toy_t toy_mkseen(toy_t t)
{
	toyval_t v = toy_val(t);

	if (!(v & TOY_VALID))
		return t;
	v |= TOY_SEEN;
	return __toy(v);
}

/* moves WRITE into SEEN, without a branch */
static inline toyval_t toy_move(toyval_t v)
{
	toyval_t w = (v >> 3) & 1;
	v &= ~TOY_WRITE;
	v |= w << 9;
	return v;
}

static inline bool toy_kept(toy_t t) { return toy_val(t) & TOY_KEPT; }
static inline int toy_kept_int(toy_t t) { return toy_val(t) & TOY_KEPT; }
static inline toyval_t toy_pick(toyval_t v) { return (v & TOY_WRITE) == TOY_WRITE ? 7 : 0x10; }
static inline int toy_fancy(void) { return cpu_feature_enabled(X86_FEATURE_TOY) ? 1 : 2; }
static inline int toy_loop(int n) { int s = 0; while (n) s++; return s; }
static inline int toy_deref(int *p) { return *p; }
static inline int toy_calls_unknown(int n) { return toy_somewhere_else(n); }
`;

test('masks, shifts and casts give constants', () => {
  const defs = definitionsOf(TOY);
  assert.equal(defs.constant('TOY_KEPT'), 1n << 40n);
  assert.equal(runConcrete(defs, 'toy_move', 0b1000n), 1n << 9n);
  assert.equal(runConcrete(defs, 'toy_pick', 0b1000n), 7n);
  assert.equal(runConcrete(defs, 'toy_pick', 0n), 16n);
});

test('an early return under a symbolic condition: SEEN is set exactly on valid entries', () => {
  const alg = createAlgebra();
  const v = symbolicWord(alg, 'v');
  const out = new BitVectorEvaluator(alg, environmentOf(definitionsOf(TOY))).call('toy_mkseen', [u64(v)]).word;
  assert.equal(out[9], alg.or(v[9]!, v[0]!));
  assert.equal(out[3], v[3]); // untouched bits pass through either way
});

test('calls through struct wrappers (toy_set → __toy(toy_val(t) | bits)) are exact', () => {
  const alg = createAlgebra();
  const t = symbolicWord(alg, 't');
  const out = new BitVectorEvaluator(alg, environmentOf(definitionsOf(TOY))).call('toy_set', [u64(t), u64(symbolicWord(alg, 'b'))]).word;
  assert.equal(out[5], alg.or(t[5]!, alg.variable('b.b5')));
});

test('C conversions: a bool result is "any bit set", an int result drops bit 40', () => {
  const alg = createAlgebra();
  const t = symbolicWord(alg, 't');
  const evaluator = new BitVectorEvaluator(alg, environmentOf(definitionsOf(TOY)));
  assert.equal(evaluator.call('toy_kept', [u64(t)]).word[0], t[40]);
  assert.ok(evaluator.call('toy_kept_int', [u64(t)]).word.every((bit) => bit === alg.FALSE));
});

test('CPU features are the host\'s to decide', () => {
  const alg = createAlgebra();
  const env = environmentOf(definitionsOf(TOY), { intrinsic: (name, args, a) => (name === 'cpu_feature_enabled' && args[0]?.kind === 'var' && args[0].name === 'X86_FEATURE_TOY' ? a.TRUE : undefined) });
  assert.equal(new BitVectorEvaluator(alg, env).call('toy_fancy', []).word[0], alg.TRUE);
});

test('unbounded loops, pointers and calls without a definition are refused by name, with file and line', () => {
  const alg = createAlgebra();
  const evaluator = new BitVectorEvaluator(alg, environmentOf(definitionsOf(TOY)));
  const refusal = (name: string) => {
    try {
      evaluator.call(name, [u64(symbolicWord(alg, name))]);
    } catch (error) {
      assert.ok(error instanceof UnsupportedConstruct);
      return error.message;
    }
    return 'accepted';
  };
  assert.match(refusal('toy_loop'), /^a loop that may run more than 64 times and walks no entries \(include\/linux\/toy\.h:\d+\) in toy_loop$/);
  assert.match(refusal('toy_deref'), /^a pointer that names no entry slot or local \(include\/linux\/toy\.h:\d+\)/);
  assert.match(refusal('toy_calls_unknown'), /^calls toy_somewhere_else: toy_somewhere_else has no definition in the headers read/);
});

const SLOTS = `
typedef unsigned long long u64;
typedef struct { u64 val; } toy_t;
#define TOY_WRITE	(1ULL << 3)

/* clears the write bit of the slot, only where the entry has bit 0 */
static inline void toy_slot_wrprotect(toy_t *slot)
{
	if (slot->val & 1)
		slot->val &= ~TOY_WRITE;
}

/* swaps in a new word only when the slot still holds the expected one */
static inline int toy_slot_replace(toy_t *slot, u64 expected, u64 next)
{
	u64 seen = expected;

	return try_cmpxchg(&slot->val, &seen, next) ? 0 : (int)seen;
}

static inline u64 toy_slot_take(toy_t *slot)
{
	return xchg(&slot->val, 0);
}

static inline void toy_slot_spin(toy_t *slot)
{
	u64 v;

	do {
		v = READ_ONCE(slot->val);
	} while (v & 1);
}
`;

test('a store through a pointer under a symbolic condition changes the slot only where the condition holds', () => {
  const alg = createAlgebra();
  const evaluator = new BitVectorEvaluator(alg, environmentOf(definitionsOf(SLOTS)));
  const word = symbolicWord(alg, 'slot');
  const cell = new SlotCell(word);
  evaluator.call('toy_slot_wrprotect', [{ word: constantWord(alg, 0n), type: { kind: 'pointer', to: 'toy_t' }, handle: cell }]);
  assert.equal(cell.word[3], alg.and(word[3]!, alg.not(word[0]!)));
  assert.equal(cell.word[0], word[0]);
});

test('xchg returns the old word and leaves the new one; try_cmpxchg stores only on a match and reads back otherwise', () => {
  const alg = createAlgebra();
  const evaluator = new BitVectorEvaluator(alg, environmentOf(definitionsOf(SLOTS)));
  const pointer = (cell: SlotCell): Value => ({ word: constantWord(alg, 0n), type: { kind: 'pointer', to: 'toy_t' }, handle: cell });
  const taken = new SlotCell(constantWord(alg, 0x55n));
  assert.deepEqual(evaluator.call('toy_slot_take', [pointer(taken)]).word, constantWord(alg, 0x55n));
  assert.deepEqual(taken.word, constantWord(alg, 0n));
  const matching = new SlotCell(constantWord(alg, 7n));
  assert.deepEqual(evaluator.call('toy_slot_replace', [pointer(matching), u64(constantWord(alg, 7n)), u64(constantWord(alg, 9n))]).word, constantWord(alg, 0n));
  assert.deepEqual(matching.word, constantWord(alg, 9n));
  const other = new SlotCell(constantWord(alg, 5n));
  assert.deepEqual(evaluator.call('toy_slot_replace', [pointer(other), u64(constantWord(alg, 7n)), u64(constantWord(alg, 9n))]).word, constantWord(alg, 5n));
  assert.deepEqual(other.word, constantWord(alg, 5n));
});

test('a retry loop that may run again, and a pointer that names no slot, are refused by name', () => {
  const alg = createAlgebra();
  const evaluator = new BitVectorEvaluator(alg, environmentOf(definitionsOf(SLOTS)));
  const cell = new SlotCell(symbolicWord(alg, 'slot'));
  assert.throws(() => evaluator.call('toy_slot_spin', [{ word: constantWord(alg, 0n), type: { kind: 'pointer', to: 'toy_t' }, handle: cell }]), (e: unknown) => e instanceof UnsupportedConstruct && /a loop that runs more than once/.test(e.message));
  assert.throws(() => evaluator.call('toy_slot_take', [{ word: constantWord(alg, 0n), type: { kind: 'pointer', to: 'toy_t' } }]), (e: unknown) => e instanceof UnsupportedConstruct && /names no entry slot or local/.test(e.message));
});
