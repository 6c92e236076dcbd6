// Reading definitions out of preprocessed headers: static inline functions, function-like
// macros read as helpers, aliases, enum constants and typedefs, and names that cannot be read
// — each with the reason the evaluator will show.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { definitionsOf, runConcrete } from '../helpers/headerCode';

const CODE = `
typedef unsigned long long u64;
typedef struct { u64 word; } box_t;
enum { BOX_LOW = 2, BOX_NEXT, BOX_SHIFTED = BOX_NEXT << 2 };
#define BOX_BIT(name, n) BOX_##name##_BIT = n
enum box_bits { BOX_BIT(READ, 0), BOX_BIT(WRITE, 5) };
#define BOX_FLAG	(1ULL << BOX_NEXT)

static inline u64 box_val(box_t b) { return b.word; }
static inline box_t box_make(u64 v) { box_t b = { .word = v }; return b; }
static __always_inline u64 box_flags(u64 v)
{
	u64 a = v & 0xff, b = v >> 8, unused;

	do {
		a |= BOX_FLAG;
	} while (0);
	return a | (b & 1);
}
#define box_twice(b)		box_make(box_val(b) << 1)
#define box_flags_alias		box_flags
#define box_declared		box_declared
box_t box_declared(box_t b);
#define BOX_NOT_A_HELPER	42
#if IS_ENABLED(CONFIG_BOX_EXTRA)
static inline u64 box_extra(void) { return 1; }
#endif
static inline u64 box_broken(u64 v) { return v + ; }
`;

test('a static inline function with several declarators and a do { } while (0) body', () => {
  const defs = definitionsOf(CODE);
  assert.equal(runConcrete(defs, 'box_flags', 0x1ffn), 0xffn | 8n | 1n);
  assert.equal(defs.lookup('box_flags')?.at.line, 11);
});

test('enum constants and typedefs are known to the reader', () => {
  const defs = definitionsOf(CODE);
  assert.equal(defs.declarations.enumConstants.get('BOX_SHIFTED'), 12n);
  assert.equal(defs.declarations.enumConstants.get('BOX_WRITE_BIT'), 5n, 'items written by a macro');
  assert.equal(defs.constant('BOX_FLAG'), 8n);
  assert.deepEqual(defs.lookup('box_val')?.params.map((p) => p.type), [{ kind: 'struct', name: 'box_t' }]);
});

test('a function-like macro is a helper; an object-like alias is the helper it names', () => {
  const defs = definitionsOf(CODE);
  assert.equal(defs.lookup('box_twice')?.form, 'macro');
  assert.equal(runConcrete(defs, 'box_twice', 5n), 10n);
  assert.equal(runConcrete(defs, 'box_flags_alias', 0x100n), 9n);
});

test('names without a readable definition say why', () => {
  const defs = definitionsOf(CODE);
  assert.match(defs.why('box_declared')!, /only declared in the headers \(include\/linux\/toy\.h:\d+\); its definition is out of line/);
  assert.match(defs.why('BOX_NOT_A_HELPER')!, /is the macro at include\/linux\/toy\.h:\d+, not a function/);
  assert.match(defs.why('box_missing')!, /no definition in the headers read/);
  assert.match(defs.why('box_broken')!, /could not be read: unexpected ";" in an expression \(include\/linux\/toy\.h:\d+\)/);
  assert.equal(defs.why('box_flags'), undefined);
});

test('a definition under #if exists only where the config has it', () => {
  assert.equal(definitionsOf(CODE).lookup('box_extra'), undefined);
  assert.ok(definitionsOf(CODE, { CONFIG_BOX_EXTRA: '1' }).lookup('box_extra'));
});

test('a long literal is 64 bits wide: 1UL << 50 is not computed in an int, and swp_entry_t is a one-word struct', () => {
  const defs = definitionsOf(`
typedef unsigned long u64;
static inline u64 wide_mask(u64 v) { return v & ((1UL << 50) - 1); }
static inline u64 narrow_mask(u64 v) { return v & ((1U << 31) << 1); }
#define swp_val(x)	(((swp_entry_t) { (x) }).val)
`);
  assert.equal(runConcrete(defs, 'wide_mask', (1n << 52n) - 1n), (1n << 50n) - 1n);
  assert.equal(runConcrete(defs, 'narrow_mask', (1n << 40n) - 1n), 0n);
  assert.equal(runConcrete(defs, 'swp_val', 0x1234n), 0x1234n);
});
