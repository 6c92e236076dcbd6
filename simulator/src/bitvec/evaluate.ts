// Runs a header helper (program.ts) over symbolic bits: each integer is a 64-bit Word of BDD
// nodes, a single-member struct (pte_t, pgprot_t) is the word it wraps, `if` on a symbolic
// condition runs both branches and merges the locals, an early `return` is folded into the
// result under the condition that reached it; `break`/`continue` likewise leave a loop or switch
// under their condition. Calls go to other helpers of the environment; calls it has no
// definition for, a loop whose count it cannot bound and the like are an UnsupportedConstruct
// that names the construct and where it was written, never a guess.

import type { Bool, BoolAlgebra } from '../sym';
import type { BvBinaryOp, BvExpr, BvFunction, BvStatement, BvType, Origin, SwitchArm } from './program';
import {
  WIDTH, addWords, boolWord, concreteValue, constantWord, equalWords, lessThan, mapBits, nonZero, notWord,
  selectWord, shiftLeft, shiftRight, subtractWords, truncate, type Word,
} from './word';

export class UnsupportedConstruct extends Error {
  constructor(readonly what: string, readonly at: Origin, readonly via: readonly string[] = []) {
    super(`${what} (${at.file}:${at.line})${via.length > 0 ? ` in ${via.join(' → ')}` : ''}`);
  }
}

/** What a helper may read besides its arguments: other helpers, and what the host decides. */
export interface BvEnvironment {
  readonly functions: { get(name: string): BvFunction | undefined };
  /** Why a name has no definition (only declared, or unreadable), for the message. */
  why?(name: string): string | undefined;
  /** Globals the host fixes (e.g. `__supported_pte_mask` all ones), with the reason shown in docs. */
  readonly globals: ReadonlyMap<string, bigint>;
  /** Calls the host answers (cpu_feature_enabled(X86_FEATURE_SHSTK) from the profile); undefined: not an intrinsic. */
  intrinsic?(name: string, args: readonly BvExpr[], alg: BoolAlgebra): Bool | undefined;
  /** `vma->vm_flags` and the like, for a pointer argument the host describes. */
  member?(pointer: Value, member: string, alg: BoolAlgebra): Word | Value | undefined;
}

/** A value: its word and its C type (a pointer carries the host's handle instead of bits). */
export interface Value {
  readonly word: Word;
  readonly type: BvType;
  readonly handle?: unknown;
}

/**
 * A word in memory that a pointer names: an entry slot the host hands a helper (`pte_t *ptep`),
 * or a local whose address was taken (`&old_pte` for try_cmpxchg). Helpers run alone: no other
 * CPU writes the word while one runs, so a retry loop runs once.
 */
export interface Cell {
  read(): Word;
  /** Stores `word` where `live` holds (a store under an `if` on a symbolic condition keeps the old word elsewhere). */
  write(alg: BoolAlgebra, word: Word, live: Bool): void;
  /** The slot `delta` entries further (`ptep + 1`), for a slot of a page table; none for a local. */
  neighbour?(alg: BoolAlgebra, delta: number): Cell;
}

/**
 * An entry slot: the word a `pte_t *` argument names, as the helper leaves it. Its neighbours
 * (`ptep++` in a loop over `nr` entries) are the other entries of the batch: each holds fresh
 * unknowns named after the slot (`set_ptes.ptep[1].bit3`), and what the helper stores there is
 * kept for it to read back but is no part of the slot.
 */
export class SlotCell implements Cell {
  private readonly row: Map<number, SlotCell>;

  constructor(public word: Word, private readonly name = 'slot', private readonly offset = 0, row?: Map<number, SlotCell>) {
    this.row = row ?? new Map([[0, this]]);
  }
  read(): Word {
    return this.word;
  }
  write(alg: BoolAlgebra, word: Word, live: Bool): void {
    this.word = selectWord(alg, live, word, this.word);
  }
  neighbour(alg: BoolAlgebra, delta: number): SlotCell {
    const offset = this.offset + delta;
    let cell = this.row.get(offset);
    if (!cell) {
      cell = new SlotCell(Array.from({ length: WIDTH }, (_, i) => alg.variable(`${this.name}[${offset}].bit${i}`)), this.name, offset, this.row);
      this.row.set(offset, cell);
    }
    return cell;
  }
}

const isCell = (handle: unknown): handle is Cell => typeof handle === 'object' && handle !== null && 'read' in handle && 'write' in handle;

/** The atomic bit operations on one word (`clear_bit(_PAGE_BIT_RW, (unsigned long *)&ptep->pte)`): the bit's new value, and whether the old one is returned. */
const BIT_OPERATIONS: Readonly<Record<string, { readonly set: boolean; readonly returnsOld: boolean }>> = {
  set_bit: { set: true, returnsOld: false },
  clear_bit: { set: false, returnsOld: false },
  test_and_set_bit: { set: true, returnsOld: true },
  test_and_clear_bit: { set: false, returnsOld: true },
};

/** Accesses of one word in memory the evaluator answers itself (the kernel's are macros over compiler builtins and assembly). */
export const MEMORY_ACCESSES: readonly string[] = ['READ_ONCE', 'WRITE_ONCE', 'xchg', 'xchg_relaxed', 'cmpxchg', 'cmpxchg_relaxed', 'try_cmpxchg', 'try_cmpxchg_relaxed', ...Object.keys(BIT_OPERATIONS)];

/**
 * Memory barriers (arm64's `dsb(ishst)`, `isb()`; `smp_wmb()` …): they order one CPU's accesses
 * as others see them, and a helper runs alone, so they change nothing here; their argument (a
 * barrier domain such as `ishst`) is not a value.
 */
const BARRIERS: ReadonlySet<string> = new Set(['dsb', 'dmb', 'isb', 'barrier', 'mb', 'rmb', 'wmb', 'smp_mb', 'smp_rmb', 'smp_wmb', 'dma_rmb', 'dma_wmb']);

/** The type a pointer names: a one-word struct by its name (`pte_t *`), else a 64-bit word (`long *`). */
function pointee(type: BvType): BvType {
  const name = type.kind === 'pointer' ? /\b((?:pte|pmd|pud|p4d|pgd)_t|pgprot_t|swp_entry_t)\b/.exec(type.to)?.[1] : undefined;
  return name ? { kind: 'struct', name } : U64;
}

export interface EvaluationBounds {
  readonly maxCallDepth: number;
  readonly maxSteps: number;
}

const DEFAULT_BOUNDS: EvaluationBounds = { maxCallDepth: 48, maxSteps: 200_000 };
/** Iterations of a loop that walks no slots before its count must be known. */
const MAX_ITERATIONS = 64;
const U64: BvType = { kind: 'int', width: 64, signed: false };
const INT: BvType = { kind: 'int', width: 32, signed: true };

function widthOf(type: BvType): number {
  return type.kind === 'int' ? type.width : WIDTH;
}

interface Frame {
  vars: Map<string, Value>;
  live: Bool;
  /** Where `break` and `continue` go: the innermost loop or switch (none in a function's body). */
  jumps?: Jumps;
}

/** A way out of a statement: the locals and where it is taken. */
interface Exit {
  readonly vars: Map<string, Value>;
  readonly live: Bool;
}

interface Jumps {
  readonly breaks: Exit[];
  /** None in a switch outside any loop. */
  readonly continues: Exit[] | undefined;
}

export class BitVectorEvaluator {
  private steps = 0;
  /** How often a pointer has moved to another slot: a loop that moved one walks consecutive entries. */
  private moves = 0;
  private readonly stack: string[] = [];

  constructor(readonly alg: BoolAlgebra, readonly env: BvEnvironment, private readonly bounds: EvaluationBounds = DEFAULT_BOUNDS) {}

  /** Converts a value to a type, as C does at an assignment, argument or return. */
  convert(value: Value, type: BvType): Value {
    if (type.kind === 'int') {
      if (type.width === 1) return { word: boolWord(this.alg, nonZero(this.alg, value.word)), type };
      return { word: truncate(this.alg, value.word, type.width, type.signed), type };
    }
    return { ...value, type };
  }

  /**
   * Calls a helper with argument values. `live`: where the call happens (the caller's path
   * condition), so that a store the callee makes through a pointer happens only there.
   */
  call(name: string, args: readonly Value[], at?: Origin, live: Bool = this.alg.TRUE): Value {
    const fn = this.env.functions.get(name);
    if (!fn) throw new UnsupportedConstruct(`calls ${name}: ${this.env.why?.(name) ?? 'no definition in the headers read'}`, at ?? { file: '?', line: 0 }, this.stack);
    if (this.stack.length >= this.bounds.maxCallDepth) throw new UnsupportedConstruct(`calls nested deeper than ${this.bounds.maxCallDepth}`, fn.at, this.stack);
    if (this.stack.includes(name)) throw new UnsupportedConstruct(`${name} calls itself`, fn.at, this.stack);
    if (args.length !== fn.params.length) throw new UnsupportedConstruct(`${name} takes ${fn.params.length} arguments, given ${args.length}`, at ?? fn.at, this.stack);
    const vars = new Map<string, Value>();
    fn.params.forEach((p, i) => vars.set(p.name, fn.form === 'macro' ? args[i]! : this.convert(args[i]!, p.type)));
    this.stack.push(name);
    try {
      const frame: Frame = { vars, live };
      const result = { value: undefined as Value | undefined };
      this.block(fn.body, frame, result, fn.form === 'macro' ? undefined : fn.returnType);
      const type = fn.returnType;
      if (type.kind === 'void' && fn.form === 'function') return { word: constantWord(this.alg, 0n), type };
      return result.value ?? { word: constantWord(this.alg, 0n), type };
    } finally {
      this.stack.pop();
    }
  }

  /** Evaluates an expression with the given locals (constants: no locals). */
  expression(expr: BvExpr, vars: ReadonlyMap<string, Value> = new Map()): Value {
    return this.expr(expr, { vars: new Map(vars), live: this.alg.TRUE });
  }

  private tick(at: Origin): void {
    if (++this.steps > this.bounds.maxSteps) throw new UnsupportedConstruct(`evaluation took more than ${this.bounds.maxSteps} steps`, at, this.stack);
  }

  /** `returnType` undefined: a macro's value passes as it is. */
  private block(statements: readonly BvStatement[], frame: Frame, result: { value: Value | undefined }, returnType: BvType | undefined): void {
    for (const s of statements) {
      if (frame.live === this.alg.FALSE) return;
      this.tick(s.at);
      switch (s.kind) {
        case 'declare': {
          const init = s.init ? this.convert(this.expr(s.init, frame), s.type) : { word: constantWord(this.alg, 0n), type: s.type };
          frame.vars.set(s.name, init);
          break;
        }
        case 'expr':
          if (s.expr.kind === 'call' && this.isOutOfLineCall(s.expr, frame)) break;
          this.expr(s.expr, frame);
          break;
        case 'return': {
          const value = s.value ? this.expr(s.value, frame) : { word: constantWord(this.alg, 0n), type: returnType ?? U64 };
          const converted = returnType === undefined || returnType.kind === 'void' ? value : this.convert(value, returnType);
          result.value = result.value === undefined || frame.live === this.alg.TRUE
            ? converted
            : { word: selectWord(this.alg, frame.live, converted.word, result.value.word), type: converted.type, ...(converted.handle !== undefined ? { handle: converted.handle } : {}) };
          frame.live = this.alg.FALSE;
          break;
        }
        case 'if': {
          const condition = this.truth(this.expr(s.condition, frame));
          const c = this.alg.and(frame.live, condition);
          const nc = this.alg.and(frame.live, this.alg.not(condition));
          if (nc === this.alg.FALSE) {
            this.block(s.then, frame, result, returnType);
            break;
          }
          if (c === this.alg.FALSE) {
            this.block(s.otherwise, frame, result, returnType);
            break;
          }
          const a: Frame = { vars: new Map(frame.vars), live: c, ...(frame.jumps ? { jumps: frame.jumps } : {}) };
          const b: Frame = { vars: new Map(frame.vars), live: nc, ...(frame.jumps ? { jumps: frame.jumps } : {}) };
          this.block(s.then, a, result, returnType);
          this.block(s.otherwise, b, result, returnType);
          for (const [name, before] of frame.vars) {
            const x = a.vars.get(name) ?? before;
            const y = b.vars.get(name) ?? before;
            frame.vars.set(name, x === y ? x : { word: selectWord(this.alg, condition, x.word, y.word), type: before.type });
          }
          frame.live = this.alg.or(a.live, b.live);
          break;
        }
        case 'loop': {
          this.block(s.body, frame, result, returnType);
          const again = this.alg.and(frame.live, this.truth(this.expr(s.condition, frame)));
          if (again !== this.alg.FALSE) throw new UnsupportedConstruct('a loop that runs more than once', s.at, this.stack);
          break;
        }
        case 'for':
          this.forLoop(s, frame, result, returnType);
          break;
        case 'switch':
          this.switchStatement(s.value, s.arms, frame, result, returnType);
          break;
        case 'break': case 'continue': {
          const exits = s.kind === 'break' ? frame.jumps?.breaks : frame.jumps?.continues;
          if (!exits) throw new UnsupportedConstruct(`${s.kind} outside a ${s.kind === 'break' ? 'loop or switch' : 'loop'}`, s.at, this.stack);
          exits.push({ vars: new Map(frame.vars), live: frame.live });
          frame.live = this.alg.FALSE;
          break;
        }
        case 'unsupported':
          throw new UnsupportedConstruct(s.what, s.at, this.stack);
      }
    }
  }

  /**
   * A loop, unrolled. One that walks consecutive slots (`for (;;) { set_pte(ptep, pte); if (--nr
   * == 0) break; ptep++; … }`) does to each entry what it does to the first: it runs until a
   * whole iteration has run on a further slot — that iteration stands for every further entry,
   * whatever the count — and leaves there. Any other loop runs while its condition may hold, at
   * most MAX_ITERATIONS times: a count that is not a constant is refused.
   */
  private forLoop(s: Extract<BvStatement, { kind: 'for' }>, frame: Frame, result: { value: Value | undefined }, returnType: BvType | undefined): void {
    const alg = this.alg;
    this.block(s.init, frame, result, returnType);
    const names = [...frame.vars.keys()];
    const exits: Exit[] = [];
    const movesBefore = this.moves;
    for (let iteration = 0; frame.live !== alg.FALSE; iteration++) {
      if (s.condition) {
        const holds = this.truth(this.expr(s.condition, frame));
        exits.push({ vars: new Map(frame.vars), live: alg.and(frame.live, alg.not(holds)) });
        frame.live = alg.and(frame.live, holds);
        if (frame.live === alg.FALSE) break;
      }
      if (iteration >= MAX_ITERATIONS) throw new UnsupportedConstruct(`a loop that may run more than ${MAX_ITERATIONS} times and walks no entries`, s.at, this.stack);
      const walked = this.moves > movesBefore;
      const jumps: Jumps = { breaks: [], continues: [] };
      const body: Frame = { vars: frame.vars, live: frame.live, jumps };
      this.block(s.body, body, result, returnType);
      exits.push(...jumps.breaks);
      const next = this.join([{ vars: body.vars, live: body.live }, ...jumps.continues!], names, frame.vars);
      frame.vars = next.vars;
      frame.live = next.live;
      if (s.step && frame.live !== alg.FALSE) this.expr(s.step, frame);
      if (walked) {
        exits.push({ vars: frame.vars, live: frame.live });
        frame.live = alg.FALSE;
      }
    }
    const out = this.join(exits, names, frame.vars);
    frame.vars = out.vars;
    frame.live = out.live;
  }

  /** A switch: each arm entered where a label matches (or none does, for `default`) or by falling through from the arm before. */
  private switchStatement(valueExpr: BvExpr, arms: readonly SwitchArm[], frame: Frame, result: { value: Value | undefined }, returnType: BvType | undefined): void {
    const alg = this.alg;
    const value = this.expr(valueExpr, frame).word;
    const start = new Map(frame.vars);
    const names = [...start.keys()];
    const matches = arms.map((arm) => arm.labels.map((label) => (label === 'default' ? undefined : equalWords(alg, value, this.expr(label, frame).word))));
    const anyCase = alg.orAll(matches.flat().filter((m): m is Bool => m !== undefined));
    const hasDefault = arms.some((arm) => arm.labels.includes('default'));
    const jumps: Jumps = { breaks: [], continues: frame.jumps?.continues };
    let current: Frame = { vars: new Map(start), live: alg.FALSE, jumps };
    arms.forEach((arm, i) => {
      const entered = alg.and(frame.live, alg.orAll(matches[i]!.map((m) => m ?? alg.not(anyCase))));
      if (entered !== alg.FALSE) {
        const joined = this.join([{ vars: current.vars, live: current.live }, { vars: new Map(start), live: entered }], names, start);
        current = { ...joined, jumps };
      }
      this.block(arm.body, current, result, returnType);
    });
    const exits = [...jumps.breaks, { vars: current.vars, live: current.live }];
    if (!hasDefault) exits.push({ vars: start, live: alg.and(frame.live, alg.not(anyCase)) });
    const out = this.join(exits, names, start);
    frame.vars = out.vars;
    frame.live = out.live;
  }

  /**
   * The locals after one of several exits (taken under disjoint conditions): each of `names` is
   * the value of the exit taken. A pointer that names different words on different exits names
   * none afterwards.
   */
  private join(exits: readonly Exit[], names: readonly string[], fallback: Map<string, Value>): { vars: Map<string, Value>; live: Bool } {
    const taken = exits.filter((e) => e.live !== this.alg.FALSE);
    if (taken.length === 0) return { vars: fallback, live: this.alg.FALSE };
    const last = taken[taken.length - 1]!;
    const vars = new Map(last.vars);
    for (const name of names) {
      let value = last.vars.get(name);
      for (let i = taken.length - 2; i >= 0 && value; i--) {
        const other = taken[i]!.vars.get(name);
        if (!other || other === value) continue;
        const word = selectWord(this.alg, taken[i]!.live, other.word, value.word);
        value = other.handle === value.handle ? { ...value, word } : { word, type: value.type };
      }
      if (value) vars.set(name, value);
    }
    return { vars, live: this.alg.orAll(taken.map((e) => e.live)) };
  }

  /** The word an lvalue (`*p`, `p->pte`, `(*p).pte`, a local) is, as a cell to read or write. */
  private cellOf(e: BvExpr, frame: Frame): { cell: Cell; type: BvType } {
    if (e.kind === 'var' && frame.vars.has(e.name) && frame.vars.get(e.name)!.type.kind !== 'pointer') {
      const name = e.name;
      const cell: Cell = {
        read: () => frame.vars.get(name)!.word,
        write: (a, word, live) => {
          const current = frame.vars.get(name)!;
          frame.vars.set(name, { word: selectWord(a, live, word, current.word), type: current.type });
        },
      };
      return { cell, type: frame.vars.get(name)!.type };
    }
    if (e.kind === 'member' && !e.arrow && e.base.kind === 'var') return this.cellOf(e.base, frame);
    const pointer = e.kind === 'deref' ? e.pointer : e.kind === 'member' ? (e.arrow ? e.base : e.base.kind === 'deref' ? e.base.pointer : undefined) : undefined;
    if (pointer) {
      const value = this.expr(pointer, frame);
      if (isCell(value.handle)) return { cell: value.handle, type: e.kind === 'member' ? U64 : pointee(value.type) };
      throw new UnsupportedConstruct('a pointer that names no entry slot or local', e.at, this.stack);
    }
    throw new UnsupportedConstruct('taking the address of an expression that is not a local or what a pointer names', e.at, this.stack);
  }

  private store(target: BvExpr, op: '=' | BvBinaryOp, valueExpr: BvExpr, frame: Frame, at: Origin): Value {
    const { cell, type } = this.cellOf(target, frame);
    const value = op === '=' ? this.expr(valueExpr, frame) : this.binary({ kind: 'binary', op, left: target, right: valueExpr, at }, frame);
    const converted = type.kind === 'int' ? this.convert(value, type) : { word: value.word, type };
    cell.write(this.alg, converted.word, frame.live);
    return converted;
  }

  /** READ_ONCE, WRITE_ONCE, xchg, cmpxchg, try_cmpxchg on one word, as one CPU sees them alone. */
  private memoryAccess(e: Extract<BvExpr, { kind: 'call' }>, frame: Frame): Value {
    const alg = this.alg;
    const arg = (i: number) => {
      const a = e.args[i];
      if (!a) throw new UnsupportedConstruct(`${e.callee} with ${e.args.length} arguments`, e.at, this.stack);
      return a;
    };
    const slot = (i: number) => {
      const pointer = this.expr(arg(i), frame);
      if (!isCell(pointer.handle)) throw new UnsupportedConstruct(`${e.callee} on a pointer that names no entry slot or local`, e.at, this.stack);
      return { cell: pointer.handle, type: pointee(pointer.type) };
    };
    const bitOperation = BIT_OPERATIONS[e.callee];
    if (bitOperation) {
      const nr = this.shiftAmount(this.expr(arg(0), frame), e.at);
      const { cell } = slot(1);
      const old = cell.read();
      if (nr >= WIDTH) throw new UnsupportedConstruct(`${e.callee} of bit ${nr}, beyond the word`, e.at, this.stack);
      cell.write(alg, old.map((bit, i) => (i === nr ? alg.constant(bitOperation.set) : bit)), frame.live);
      return { word: boolWord(alg, bitOperation.returnsOld ? old[nr]! : alg.FALSE), type: INT };
    }
    switch (e.callee) {
      case 'READ_ONCE':
        return this.expr(arg(0), frame);
      case 'WRITE_ONCE':
        this.store(arg(0), '=', arg(1), frame, e.at);
        return { word: constantWord(alg, 0n), type: { kind: 'void' } };
      case 'xchg': case 'xchg_relaxed': {
        const { cell, type } = slot(0);
        const old = cell.read();
        cell.write(alg, this.expr(arg(1), frame).word, frame.live);
        return { word: old, type };
      }
      case 'cmpxchg': case 'cmpxchg_relaxed': {
        const { cell, type } = slot(0);
        const old = cell.read();
        const expected = this.expr(arg(1), frame).word;
        const replacement = this.expr(arg(2), frame).word;
        cell.write(alg, selectWord(alg, equalWords(alg, old, expected), replacement, old), frame.live);
        return { word: old, type };
      }
      default: {
        // try_cmpxchg(ptr, &old, new): stores new where *ptr == old, else reads *ptr into old
        const target = slot(0);
        const expected = slot(1);
        const replacement = this.expr(arg(2), frame).word;
        const current = target.cell.read();
        const same = equalWords(alg, current, expected.cell.read());
        target.cell.write(alg, selectWord(alg, same, replacement, current), frame.live);
        expected.cell.write(alg, current, alg.and(frame.live, alg.not(same)));
        return { word: boolWord(alg, same), type: { kind: 'int', width: 1, signed: false } };
      }
    }
  }

  /**
   * A call whose result is not used, of a function with no definition in the headers (defined
   * out of line: `__sync_icache_dcache(pte)`), none of whose arguments names a slot or a local:
   * it cannot change the slot, the locals or the result, so it is passed over (its arguments
   * still evaluated). One handed a pointer is refused as any undefined call.
   */
  private isOutOfLineCall(e: Extract<BvExpr, { kind: 'call' }>, frame: Frame): boolean {
    if (this.env.functions.get(e.callee) || MEMORY_ACCESSES.includes(e.callee) || BARRIERS.has(e.callee) || !this.env.why?.(e.callee)) return false;
    const args = e.args.map((a) => this.expr(a, frame));
    if (args.some((a) => a.type.kind === 'pointer' && isCell(a.handle))) throw new UnsupportedConstruct(`calls ${e.callee} with a pointer to the entry: ${this.env.why(e.callee)}`, e.at, this.stack);
    return true;
  }

  /** `ptep + n`: the slot `n` entries on (n a constant); a pointer to a local cannot move. */
  private pointerStep(pointer: Value, by: Value, sign: 1 | -1, at: Origin): Value {
    const n = concreteValue(this.alg, by.word);
    if (n === undefined) throw new UnsupportedConstruct('a pointer moved by an amount that is not a constant', at, this.stack);
    if (n === 0n) return pointer;
    const cell = pointer.handle as Cell;
    if (!cell.neighbour) throw new UnsupportedConstruct('a pointer to a local moved', at, this.stack);
    this.moves++;
    return { ...pointer, handle: cell.neighbour(this.alg, sign * Number(BigInt.asIntN(32, n))) };
  }

  /** `++x`, `x--`: a local or what a pointer names, stepped by one; a slot pointer moves to the next slot. */
  private increment(e: Extract<BvExpr, { kind: 'increment' }>, frame: Frame): Value {
    const one: BvExpr = { kind: 'number', value: 1n, at: e.at };
    const op = e.delta > 0 ? '+' : '-';
    const before = this.expr(e.target, frame);
    const after = e.target.kind === 'var'
      ? this.expr({ kind: 'assign', target: e.target.name, op, value: one, at: e.at }, frame)
      : this.store(e.target, op, one, frame, e.at);
    return e.prefix ? after : before;
  }

  private truth(value: Value): Bool {
    return nonZero(this.alg, value.word);
  }

  private shiftAmount(value: Value, at: Origin): number {
    const n = concreteValue(this.alg, value.word);
    if (n === undefined) throw new UnsupportedConstruct('a shift by an amount that is not a constant', at, this.stack);
    return Number(n);
  }

  private arithmeticType(a: Value, b: Value): BvType {
    const wa = widthOf(a.type);
    const wb = widthOf(b.type);
    if (wa >= 64 || wb >= 64) return U64;
    return INT;
  }

  private expr(e: BvExpr, frame: Frame): Value {
    const alg = this.alg;
    this.tick(e.at);
    switch (e.kind) {
      case 'number':
        return { word: constantWord(alg, e.value), type: e.value > 0x7fffffffn ? U64 : INT };
      case 'var': {
        const local = frame.vars.get(e.name);
        if (local) return local;
        const global = this.env.globals.get(e.name);
        if (global !== undefined) return { word: constantWord(alg, global), type: U64 };
        throw new UnsupportedConstruct(`reads ${e.name}, which is neither a parameter, a local, a constant nor a modelled global`, e.at, this.stack);
      }
      case 'unary': {
        const v = this.expr(e.operand, frame);
        switch (e.op) {
          case '!': return { word: boolWord(alg, alg.not(this.truth(v))), type: INT };
          case '~': return { word: truncate(alg, notWord(alg, v.word), widthOf(v.type)), type: v.type };
          case '-': return { word: truncate(alg, subtractWords(alg, constantWord(alg, 0n), v.word), widthOf(v.type)), type: v.type };
          case '+': return v;
        }
        break;
      }
      case 'binary':
        return this.binary(e, frame);
      case 'ternary': {
        const c = this.truth(this.expr(e.condition, frame));
        if (c === alg.TRUE) return this.expr(e.then, frame);
        if (c === alg.FALSE) return this.expr(e.otherwise, frame);
        const a = this.expr(e.then, frame);
        const b = this.expr(e.otherwise, frame);
        return { word: selectWord(alg, c, a.word, b.word), type: a.type };
      }
      case 'cast':
        if (e.type.kind === 'void') {
          this.expr(e.operand, frame);
          return { word: constantWord(alg, 0n), type: e.type };
        }
        return this.convert(this.expr(e.operand, frame), e.type);
      case 'wrap':
        return { word: this.expr(e.operand, frame).word, type: e.type };
      case 'deref': {
        const { cell, type } = this.cellOf(e, frame);
        return { word: cell.read(), type };
      }
      case 'address': {
        const { cell, type } = this.cellOf(e.operand, frame);
        return { word: constantWord(alg, 0n), type: { kind: 'pointer', to: type.kind === 'struct' ? type.name : 'long' }, handle: cell };
      }
      case 'store':
        return this.store(e.target, e.op, e.value, frame, e.at);
      case 'member': {
        const base = this.expr(e.base, frame);
        if (!e.arrow && base.type.kind === 'struct') return { word: base.word, type: U64 };
        if (e.arrow && isCell(base.handle)) return { word: base.handle.read(), type: U64 };
        const read = base.type.kind === 'pointer' ? this.env.member?.(base, e.member, alg) : undefined;
        if (read) return 'word' in read ? read : { word: read, type: U64 };
        throw new UnsupportedConstruct(`reads ${e.arrow ? '->' : '.'}${e.member} of a value that is not a one-word struct`, e.at, this.stack);
      }
      case 'call': {
        if (e.callee === '__builtin_expect' && e.args.length === 2) return this.expr(e.args[0]!, frame);
        if (e.callee === '__builtin_constant_p') return { word: constantWord(alg, 0n), type: INT };
        if (BARRIERS.has(e.callee) && !this.env.functions.get(e.callee)) return { word: constantWord(alg, 0n), type: { kind: 'void' } };
        if (MEMORY_ACCESSES.includes(e.callee)) return this.memoryAccess(e, frame);
        const intrinsic = this.env.intrinsic?.(e.callee, e.args, alg);
        if (intrinsic !== undefined) return { word: boolWord(alg, intrinsic), type: INT };
        const args = e.args.map((a) => this.expr(a, frame));
        return this.call(e.callee, args, e.at, frame.live);
      }
      case 'assign': {
        const current = frame.vars.get(e.target);
        if (!current) throw new UnsupportedConstruct(`assigns ${e.target}, which is not a local or a parameter`, e.at, this.stack);
        const value = e.op === '='
          ? this.expr(e.value, frame)
          : this.binary({ kind: 'binary', op: e.op, left: { kind: 'var', name: e.target, at: e.at }, right: e.value, at: e.at }, frame);
        const converted = this.convert(value, current.type);
        frame.vars.set(e.target, converted);
        return converted;
      }
      case 'increment':
        return this.increment(e, frame);
      case 'comma':
        this.expr(e.left, frame);
        return this.expr(e.right, frame);
      case 'unsupported':
        throw new UnsupportedConstruct(e.what, e.at, this.stack);
    }
    throw new UnsupportedConstruct('an expression this evaluator does not know', (e as BvExpr).at, this.stack);
  }

  private binary(e: Extract<BvExpr, { kind: 'binary' }>, frame: Frame): Value {
    const alg = this.alg;
    if (e.op === '&&' || e.op === '||') {
      const a = this.truth(this.expr(e.left, frame));
      if (e.op === '&&' && a === alg.FALSE) return { word: boolWord(alg, alg.FALSE), type: INT };
      if (e.op === '||' && a === alg.TRUE) return { word: boolWord(alg, alg.TRUE), type: INT };
      const b = this.truth(this.expr(e.right, frame));
      return { word: boolWord(alg, e.op === '&&' ? alg.and(a, b) : alg.or(a, b)), type: INT };
    }
    const a = this.expr(e.left, frame);
    const b = this.expr(e.right, frame);
    if ((e.op === '+' || e.op === '-') && (isCell(a.handle) || isCell(b.handle))) return this.pointerStep(isCell(a.handle) ? a : b, isCell(a.handle) ? b : a, e.op === '-' ? -1 : 1, e.at);
    const type = this.arithmeticType(a, b);
    const width = widthOf(type);
    const fit = (w: Word): Value => ({ word: truncate(alg, w, width), type });
    const flag = (x: Bool): Value => ({ word: boolWord(alg, x), type: INT });
    switch (e.op) {
      case '&': return fit(mapBits(a.word, b.word, (x, y) => alg.and(x, y)));
      case '|': return fit(mapBits(a.word, b.word, (x, y) => alg.or(x, y)));
      case '^': return fit(mapBits(a.word, b.word, (x, y) => alg.xor(x, y)));
      case '<<': return { word: truncate(alg, shiftLeft(alg, a.word, this.shiftAmount(b, e.at)), widthOf(a.type)), type: a.type };
      case '>>': {
        const signed = a.type.kind === 'int' && a.type.signed && a.type.width < 64;
        const w = widthOf(a.type);
        return { word: truncate(alg, shiftRight(alg, truncate(alg, a.word, w, signed), this.shiftAmount(b, e.at), signed ? a.word[w - 1] : alg.FALSE), w), type: a.type };
      }
      case '+': return fit(addWords(alg, a.word, b.word));
      case '-': return fit(subtractWords(alg, a.word, b.word));
      case '*': case '/': case '%': {
        const x = concreteValue(alg, a.word);
        const y = concreteValue(alg, b.word);
        if (x !== undefined && y !== undefined) {
          if (e.op !== '*' && y === 0n) throw new UnsupportedConstruct('a division by zero', e.at, this.stack);
          return fit(constantWord(alg, e.op === '*' ? x * y : e.op === '/' ? x / y : x % y));
        }
        const constant = y ?? x;
        if (e.op === '*' && constant !== undefined && (constant & (constant - 1n)) === 0n && constant > 0n) {
          const other = y !== undefined ? a : b;
          return fit(shiftLeft(alg, other.word, constant.toString(2).length - 1));
        }
        throw new UnsupportedConstruct(`${e.op} of a symbolic value`, e.at, this.stack);
      }
      case '==': return flag(equalWords(alg, a.word, b.word));
      case '!=': return flag(alg.not(equalWords(alg, a.word, b.word)));
      case '<': return flag(lessThan(alg, a.word, b.word));
      case '>': return flag(lessThan(alg, b.word, a.word));
      case '<=': return flag(alg.not(lessThan(alg, b.word, a.word)));
      case '>=': return flag(alg.not(lessThan(alg, a.word, b.word)));
    }
    throw new UnsupportedConstruct(`operator ${e.op}`, e.at, this.stack);
  }
}
