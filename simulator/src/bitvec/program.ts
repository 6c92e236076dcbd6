// A small language for the bodies of header helpers (`static inline pte_t pte_mkdirty(pte_t pte)
// { ... }` and function-like macros), as the server's header reader produces it: integer
// expressions, locals, if/else and returns. The bit-vector evaluator (evaluate.ts) runs it over
// symbolic bits. Plain data; every node carries where it was written (file:line in the tree).

export interface Origin {
  /** Path inside the kernel tree, e.g. `arch/x86/include/asm/pgtable.h`. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
}

/**
 * What the evaluator needs of a C type: integers by width (`bool` is 1 bit, `int` 32,
 * `unsigned long`/`u64` 64), single-member structs (`pte_t`, `pgprot_t`) as the 64-bit word they
 * wrap, pointers only as opaque context (`struct vm_area_struct *`), and void.
 */
export type BvType =
  | { readonly kind: 'int'; readonly width: number; readonly signed: boolean }
  | { readonly kind: 'struct'; readonly name: string }
  | { readonly kind: 'pointer'; readonly to: string }
  | { readonly kind: 'void' };

export type BvBinaryOp =
  | '&' | '|' | '^' | '<<' | '>>' | '+' | '-' | '*' | '/' | '%'
  | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export type BvExpr =
  | { readonly kind: 'number'; readonly value: bigint; readonly at: Origin }
  | { readonly kind: 'var'; readonly name: string; readonly at: Origin }
  | { readonly kind: 'unary'; readonly op: '!' | '~' | '-' | '+'; readonly operand: BvExpr; readonly at: Origin }
  | { readonly kind: 'binary'; readonly op: BvBinaryOp; readonly left: BvExpr; readonly right: BvExpr; readonly at: Origin }
  | { readonly kind: 'ternary'; readonly condition: BvExpr; readonly then: BvExpr; readonly otherwise: BvExpr; readonly at: Origin }
  | { readonly kind: 'cast'; readonly type: BvType; readonly operand: BvExpr; readonly at: Origin }
  /** `(pte_t) { .pte = v }`, `(pte_t) { v }`: the struct wrapping one word. */
  | { readonly kind: 'wrap'; readonly type: BvType; readonly operand: BvExpr; readonly at: Origin }
  /** `pte.pte`, `vma->vm_flags`. */
  | { readonly kind: 'member'; readonly base: BvExpr; readonly member: string; readonly arrow: boolean; readonly at: Origin }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly BvExpr[]; readonly at: Origin }
  /** `x = e`, `x |= e` inside an expression or as a statement. */
  | { readonly kind: 'assign'; readonly target: string; readonly op: '=' | BvBinaryOp; readonly value: BvExpr; readonly at: Origin }
  /** `*p`: the word a pointer names (an entry slot, or a local whose address was taken). */
  | { readonly kind: 'deref'; readonly pointer: BvExpr; readonly at: Origin }
  /** `&x`, `&p->pte`: a pointer to a local or to what a pointer names. */
  | { readonly kind: 'address'; readonly operand: BvExpr; readonly at: Origin }
  /** `*p = e`, `p->pte &= e`: a store through a pointer. */
  | { readonly kind: 'store'; readonly target: BvExpr; readonly op: '=' | BvBinaryOp; readonly value: BvExpr; readonly at: Origin }
  /** `++x`, `x--`, `ptep++`: a local or what a pointer names, stepped by one (a slot pointer moves to the next slot). */
  | { readonly kind: 'increment'; readonly target: BvExpr; readonly delta: 1 | -1; readonly prefix: boolean; readonly at: Origin }
  /** `a, b`. */
  | { readonly kind: 'comma'; readonly left: BvExpr; readonly right: BvExpr; readonly at: Origin }
  /** Something the reader saw but the evaluator must not guess: evaluating it is an error naming `what`. */
  | { readonly kind: 'unsupported'; readonly what: string; readonly at: Origin };

export type BvStatement =
  | { readonly kind: 'declare'; readonly name: string; readonly type: BvType; readonly init?: BvExpr; readonly at: Origin }
  | { readonly kind: 'expr'; readonly expr: BvExpr; readonly at: Origin }
  | { readonly kind: 'if'; readonly condition: BvExpr; readonly then: readonly BvStatement[]; readonly otherwise: readonly BvStatement[]; readonly at: Origin }
  | { readonly kind: 'return'; readonly value?: BvExpr; readonly at: Origin }
  /** `do { … } while (c)`: a retry loop (try_cmpxchg); run once, `c` must then be false. */
  | { readonly kind: 'loop'; readonly body: readonly BvStatement[]; readonly condition: BvExpr; readonly at: Origin }
  /** `for (init; condition; step) body`, `while (condition) body` (no init, no step), `for (;;)` (no condition). */
  | { readonly kind: 'for'; readonly init: readonly BvStatement[]; readonly condition?: BvExpr; readonly step?: BvExpr; readonly body: readonly BvStatement[]; readonly at: Origin }
  /** `switch (value) { case …: … default: … }`: the arms in order, each entered by its labels or by falling through. */
  | { readonly kind: 'switch'; readonly value: BvExpr; readonly arms: readonly SwitchArm[]; readonly at: Origin }
  | { readonly kind: 'break'; readonly at: Origin }
  | { readonly kind: 'continue'; readonly at: Origin }
  | { readonly kind: 'unsupported'; readonly what: string; readonly at: Origin };

/** One arm of a switch: its `case` values (`default` for the default label) and the statements up to the next label. */
export interface SwitchArm {
  readonly labels: readonly (BvExpr | 'default')[];
  readonly body: readonly BvStatement[];
}

export interface BvParam {
  readonly name: string;
  readonly type: BvType;
}

export interface BvFunction {
  readonly name: string;
  readonly params: readonly BvParam[];
  /** A function-like macro has no declared types: its parameters and result are `unknown` words. */
  readonly returnType: BvType;
  readonly body: readonly BvStatement[];
  readonly at: Origin;
  /** `macro` for a function-like #define read as `return <its expansion>;`. */
  readonly form: 'function' | 'macro';
}

export const U64: BvType = { kind: 'int', width: 64, signed: false };
