// Loops, switch statements and calls that change nothing, in the bit-vector evaluator, on small
// helpers written here in kernel style: a batch loop over `nr` consecutive slots is its effect on
// the first slot (whatever the count), a loop with a constant bound is unrolled, a switch falls
// through to the next arm unless it breaks, and what the evaluator cannot bound is refused.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAlgebra, type BoolAlgebra } from '../../../simulator/src';
import { BitVectorEvaluator, SlotCell, UnsupportedConstruct, type Value } from '../../../simulator/src/bitvec/evaluate';
import { constantWord, type Word } from '../../../simulator/src/bitvec/word';
import { definitionsOf, environmentOf, runConcrete, symbolicWord, u64 } from '../../helpers/headerCode';

const BATCHES = `
typedef unsigned long long u64;
typedef struct { u64 val; } toy_t;
#define TOY_DIRTY	(1ULL << 6)
#define TOY_WRITE	(1ULL << 1)
#define TOY_PFN_ONE	(1ULL << 12)

static inline void toy_set(toy_t *slot, toy_t t) { WRITE_ONCE(slot->val, t.val); }

/* stores nr entries of consecutive frames */
static inline void toy_set_batch(toy_t *slot, toy_t t, unsigned int nr)
{
	for (;;) {
		toy_set(slot, t);
		if (--nr == 0)
			break;
		slot++;
		t.val += TOY_PFN_ONE;
	}
}

/* write-protects nr entries; a count of 0 touches none */
static inline void toy_wrprotect_batch(toy_t *slot, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++, slot++)
		slot->val &= ~TOY_WRITE;
}

/* clears nr entries and returns the first, dirty if any of them was */
static inline toy_t toy_take_batch(toy_t *slot, unsigned int nr)
{
	toy_t first = { xchg(&slot->val, 0) };

	while (--nr) {
		slot++;
		if (xchg(&slot->val, 0) & TOY_DIRTY)
			first.val |= TOY_DIRTY;
	}
	return first;
}

static inline u64 toy_low_bits(void)
{
	u64 v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		if (i & 1)
			continue;
		v |= 1ULL << i;
		if (i == 4)
			break;
	}
	return v;
}

static inline int toy_spin(int n) { int s = 0; while (n) s++; return s; }

static inline u64 toy_stride(u64 size)
{
	u64 out = 0;

	switch (size) {
	case 4096:
		out |= 1;
	case 8192:
		out |= 2;
		break;
	case 1 << 21:
	case 1 << 30:
		return 100;
	default:
		out = 7;
	}
	return out;
}

static inline void toy_set_synced(toy_t *slot, toy_t t)
{
	toy_sync_caches(t);
	dsb(ishst);
	toy_set(slot, t);
}

static inline void toy_set_reported(toy_t *slot, toy_t t)
{
	toy_report_slot(slot);
	toy_set(slot, t);
}
`;

const pointer = (alg: BoolAlgebra, cell: SlotCell): Value => ({ word: constantWord(alg, 0n), type: { kind: 'pointer', to: 'toy_t' }, handle: cell });
const struct = (word: Word): Value => ({ word, type: { kind: 'struct', name: 'toy_t' } });
/** A count of any value but 0, as a 32-bit word. */
function nonZeroCount(alg: BoolAlgebra, name: string): Value {
  const word = symbolicWord(alg, name).map((bit, i) => (i >= 32 ? alg.FALSE : bit));
  word[0] = alg.or(word[0]!, alg.not(alg.orAll(word.slice(1, 32))));
  return { word, type: { kind: 'int', width: 32, signed: false } };
}

test('a batch loop over nr slots stores into the first slot what one entry gets, whatever the count', () => {
  const alg = createAlgebra();
  const evaluator = new BitVectorEvaluator(alg, environmentOf(definitionsOf(BATCHES)));
  const t = symbolicWord(alg, 't');
  const cell = new SlotCell(symbolicWord(alg, 'slot'), 'batch');
  evaluator.call('toy_set_batch', [pointer(alg, cell), struct(t), nonZeroCount(alg, 'nr')]);
  assert.deepEqual(cell.word, t);
  // with two entries the next one gets the next frame: stored there, not in the slot
  const two = new SlotCell(symbolicWord(alg, 'slot'), 'two');
  evaluator.call('toy_set_batch', [pointer(alg, two), struct(t), u64(constantWord(alg, 2n))]);
  assert.deepEqual(two.word, t);
  assert.equal(two.neighbour(alg, 1).word[12], alg.not(t[12]!));
});

test('a counted loop (for i < nr) touches the slot where nr is not 0', () => {
  const alg = createAlgebra();
  const evaluator = new BitVectorEvaluator(alg, environmentOf(definitionsOf(BATCHES)));
  const word = symbolicWord(alg, 'slot');
  const any = new SlotCell(word, 'a');
  evaluator.call('toy_wrprotect_batch', [pointer(alg, any), u64(symbolicWord(alg, 'n'))]);
  assert.notEqual(any.word[1], alg.FALSE);
  const some = new SlotCell(word, 'b');
  evaluator.call('toy_wrprotect_batch', [pointer(alg, some), nonZeroCount(alg, 'nr')]);
  assert.equal(some.word[1], alg.FALSE);
  assert.equal(some.word[6], word[6]);
});

test('a batch loop that gathers from the further entries returns the first entry with what they add', () => {
  const alg = createAlgebra();
  const evaluator = new BitVectorEvaluator(alg, environmentOf(definitionsOf(BATCHES)));
  const word = symbolicWord(alg, 'slot');
  const one = new SlotCell(word, 'one');
  const alone = evaluator.call('toy_take_batch', [pointer(alg, one), u64(constantWord(alg, 1n))]).word;
  assert.equal(alone[6], word[6]);
  assert.deepEqual(one.word, constantWord(alg, 0n));
  const many = new SlotCell(word, 'many');
  const gathered = evaluator.call('toy_take_batch', [pointer(alg, many), u64(constantWord(alg, 2n))]).word;
  assert.equal(gathered[6], alg.or(word[6]!, alg.variable('many[1].bit6')));
});

test('a loop with a constant bound is unrolled, with continue and break', () => {
  assert.equal(runConcrete(definitionsOf(BATCHES), 'toy_low_bits'), 0b10101n);
});

test('a switch: labels in a row share an arm, an arm without break falls through, default takes the rest', () => {
  const defs = definitionsOf(BATCHES);
  assert.equal(runConcrete(defs, 'toy_stride', 4096n), 3n);
  assert.equal(runConcrete(defs, 'toy_stride', 8192n), 2n);
  assert.equal(runConcrete(defs, 'toy_stride', 1n << 30n), 100n);
  assert.equal(runConcrete(defs, 'toy_stride', 5n), 7n);
  const alg = createAlgebra();
  const size = symbolicWord(alg, 'size');
  const out = new BitVectorEvaluator(alg, environmentOf(defs)).call('toy_stride', [u64(size)]).word;
  assert.equal(out[0], alg.or(equal(alg, size, 4096n), alg.not(alg.orAll([4096n, 8192n, 1n << 21n, 1n << 30n].map((v) => equal(alg, size, v))))));
});

test('a call defined out of line that is handed no pointer, and a barrier, change nothing; one handed the slot is refused', () => {
  const alg = createAlgebra();
  const evaluator = new BitVectorEvaluator(alg, environmentOf(definitionsOf(BATCHES)));
  const t = symbolicWord(alg, 't');
  const cell = new SlotCell(symbolicWord(alg, 'slot'));
  evaluator.call('toy_set_synced', [pointer(alg, cell), struct(t)]);
  assert.deepEqual(cell.word, t);
  assert.throws(() => evaluator.call('toy_set_reported', [pointer(alg, cell), struct(t)]), (e: unknown) => e instanceof UnsupportedConstruct && /^calls toy_report_slot with a pointer to the entry/.test(e.message));
});

test('a loop whose count is not known and that walks no entries is refused by name', () => {
  const alg = createAlgebra();
  const evaluator = new BitVectorEvaluator(alg, environmentOf(definitionsOf(BATCHES)));
  assert.throws(() => evaluator.call('toy_spin', [u64(symbolicWord(alg, 'n'))]), (e: unknown) => e instanceof UnsupportedConstruct && /^a loop that may run more than 64 times and walks no entries \(include\/linux\/toy\.h:\d+\) in toy_spin$/.test(e.message));
});

function equal(alg: BoolAlgebra, word: Word, value: bigint): number {
  return alg.andAll(word.map((bit, i) => ((value >> BigInt(i)) & 1n ? bit : alg.not(bit))));
}
