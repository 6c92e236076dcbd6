// A reduced ordered binary decision diagram (ROBDD) manager.
//
// Every boolean is a node id (a plain number): 0 is false, 1 is true. Nodes are
// hash-consed, so two equivalent formulas are the same number, and
// equivalence is `===`. Nothing here is global: each analysis owns its manager.
//
// The variable order has two parts. Context variables (VMA and folio facts,
// which nearly every constraint mentions) come first, in creation order. All
// other variables follow newest first: a new one goes above every older one.
// Symbolic execution keeps conjoining facts about new unknowns (a fresh
// entry's invariant, an opaque branch condition) onto a large path condition;
// with the new variables just under the context, that costs the size of the
// new fact for each context case, where at the bottom it would rebuild the
// whole condition.

import type { Assignment, Bool, BoolAlgebra, PortableFormulas, VariablePlacement } from './algebra';

const FALSE = 0;
const TRUE = 1;
const TERMINAL_LEVEL = 0x7fffffff;
/** Context variable i sits at level i; other variable j at level NEWEST - j. */
const NEWEST = 0x3fffffff;
const CONTEXT_LIMIT = 1 << 20;
/** The computed table never grows past this many entries (it is a cache: losing an entry only costs time). */
const MAX_CACHE = 1 << 21;

/** Exported formula nodes: half the size of a list of numbers, and still a list in JSON. */
class FormulaNodes extends Int32Array {
  toJSON(): number[] {
    return Array.from(this);
  }
}

/** Thrown when a formula outgrows the node limit: the caller reports the function as too large. */
export class BddLimitError extends Error {}

const enum Op {
  And,
  Or,
  Xor,
  Not,
  /** intersects(): 1 when the two have no common satisfying assignment. */
  Disjoint,
}

/** A computed table of `entries` entries, all empty. */
function emptyCache(entries: number): Int32Array {
  const cache = new Int32Array(entries * 4);
  for (let i = 0; i < cache.length; i += 4) cache[i] = -1;
  return cache;
}

function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

export class BddManager implements BoolAlgebra {
  readonly TRUE: Bool = TRUE;
  readonly FALSE: Bool = FALSE;

  /**
   * Node i's level, low and high child at 4i, 4i+1 and 4i+2: one node is one cache line's
   * quarter, not three reads from three arrays (the unique table's probes and the walks read all three).
   */
  private nodes: Int32Array = new Int32Array(4 << 12);
  private count = 2;
  /** The unique table: open addressing over (level, low, high), holding node ids (0 = empty). */
  private unique: Int32Array = new Int32Array(1 << 12);
  /** The computed table: a direct-mapped cache of (op, a, b) → result, entry i at 4i (op -1: empty), for the same reason. */
  private cache: Int32Array = emptyCache(1 << 12);
  /** Names of context variables (by level) and of the others (by NEWEST - level). */
  private readonly contextNames: string[] = [];
  private readonly otherNames: string[] = [];
  /** Each variable's level. */
  private readonly byName = new Map<string, number>();
  private readonly varNodes = new Map<string, number>();
  private readonly createdAt = new Map<number, number>();
  /** Visited marks of the node walks (support, size): a node is visited when it holds the walk's mark. */
  private marks: Int32Array = new Int32Array(0);
  private mark = 0;

  /** Nodes allowed before the next BddLimitError. */
  private limit: number;

  /**
   * @param nodeLimit the most nodes this manager may create before it throws BddLimitError.
   * It throws once there and then grants a reserve of as many again, so that the caller can
   * still summarise and report what it found; past the reserve it throws every time.
   */
  constructor(private readonly nodeLimit = 1_000_000) {
    this.limit = nodeLimit;
    this.nodes[FALSE * 4] = TERMINAL_LEVEL;
    this.nodes[TRUE * 4] = TERMINAL_LEVEL;
  }

  /**
   * Runs `work` allowing it at most `nodes` new nodes: past them it throws BddLimitError (and the
   * manager's own limit is as it was), so the caller can fall back to something cheaper.
   */
  withinBudget<T>(nodes: number, work: () => T): T {
    const saved = this.limit;
    if (this.count + nodes < saved) this.limit = this.count + nodes;
    const budgeted = this.limit !== saved;
    try {
      return work();
    } finally {
      // a limit reached within the budget is the budget's: the manager's stays as it was
      if (budgeted) this.limit = saved;
    }
  }

  /** The variable with this name, created on first use (see the order above). */
  variable(name: string, placement: VariablePlacement = 'newest-first'): Bool {
    const existing = this.varNodes.get(name);
    if (existing !== undefined) return existing;
    let level: number;
    if (placement === 'context' && this.contextNames.length < CONTEXT_LIMIT) {
      level = this.contextNames.length;
      this.contextNames.push(name);
    } else {
      level = NEWEST - this.otherNames.length;
      this.otherNames.push(name);
    }
    this.byName.set(name, level);
    this.createdAt.set(level, this.createdAt.size);
    const node = this.makeNode(level, FALSE, TRUE);
    this.varNodes.set(name, node);
    return node;
  }

  hasVariable(name: string): boolean {
    return this.byName.has(name);
  }

  constant(value: boolean): Bool {
    return value ? TRUE : FALSE;
  }

  get nodeCount(): number {
    return this.count;
  }

  get variableCount(): number {
    return this.contextNames.length + this.otherNames.length;
  }

  not(a: Bool): Bool {
    if (a === FALSE) return TRUE;
    if (a === TRUE) return FALSE;
    const cached = this.cached(Op.Not, a, 0);
    if (cached >= 0) return cached;
    const result = this.makeNode(this.nodes[a * 4]!, this.not(this.nodes[a * 4 + 1]!), this.not(this.nodes[a * 4 + 2]!));
    this.remember(Op.Not, a, 0, result);
    return result;
  }

  and(a: Bool, b: Bool): Bool {
    return this.apply(Op.And, a, b);
  }

  or(a: Bool, b: Bool): Bool {
    return this.apply(Op.Or, a, b);
  }

  xor(a: Bool, b: Bool): Bool {
    return this.apply(Op.Xor, a, b);
  }

  iff(a: Bool, b: Bool): Bool {
    return this.not(this.apply(Op.Xor, a, b));
  }

  implies(a: Bool, b: Bool): Bool {
    return this.apply(Op.Or, this.not(a), b);
  }

  ite(condition: Bool, then: Bool, otherwise: Bool): Bool {
    if (condition === TRUE) return then;
    if (condition === FALSE) return otherwise;
    if (then === otherwise) return then;
    // a plain variable above both branches (how an import rebuilds a summary's nodes): the node itself
    const level = this.nodes[condition * 4]!;
    if (this.nodes[condition * 4 + 1] === FALSE && this.nodes[condition * 4 + 2] === TRUE && level < this.nodes[then * 4]! && level < this.nodes[otherwise * 4]!) {
      return this.makeNode(level, otherwise, then);
    }
    return this.or(this.and(condition, then), this.and(this.not(condition), otherwise));
  }

  andAll(values: Iterable<Bool>): Bool {
    let result: Bool = TRUE;
    for (const value of values) {
      result = this.and(result, value);
      if (result === FALSE) break;
    }
    return result;
  }

  orAll(values: Iterable<Bool>): Bool {
    let result: Bool = FALSE;
    for (const value of values) {
      result = this.or(result, value);
      if (result === TRUE) break;
    }
    return result;
  }

  isSatisfiable(a: Bool): boolean {
    return a !== FALSE;
  }

  isValid(a: Bool): boolean {
    return a === TRUE;
  }

  entails(a: Bool, b: Bool): boolean {
    return !this.intersects(a, this.not(b));
  }

  /**
   * Whether some assignment satisfies both: `and(a, b) !== FALSE` without building the
   * conjunction, and stopping at the first common path to true.
   */
  intersects(a: Bool, b: Bool): boolean {
    if (a === FALSE || b === FALSE) return false;
    if (a === TRUE || b === TRUE || a === b) return true;
    const known = a < b ? this.cached(Op.And, a, b) : this.cached(Op.And, b, a);
    if (known >= 0) return known !== FALSE;
    const walk = (x: number, y: number): boolean => {
      if (x === FALSE || y === FALSE) return false;
      if (x === TRUE || y === TRUE || x === y) return true;
      if (x > y) [x, y] = [y, x];
      if (this.cached(Op.Disjoint, x, y) === 1) return false;
      const lx = this.nodes[x * 4]!;
      const ly = this.nodes[y * 4]!;
      const top = lx < ly ? lx : ly;
      const found =
        walk(lx === top ? this.nodes[x * 4 + 1]! : x, ly === top ? this.nodes[y * 4 + 1]! : y) ||
        walk(lx === top ? this.nodes[x * 4 + 2]! : x, ly === top ? this.nodes[y * 4 + 2]! : y);
      if (!found) this.remember(Op.Disjoint, x, y, 1);
      return found;
    };
    return walk(a, b);
  }

  equivalent(a: Bool, b: Bool): boolean {
    return a === b;
  }

  /**
   * A satisfying assignment with as few variables true as possible (so witnesses name as
   * few set bits as possible); between equally short ones, the one that sets newer
   * variables. Variables not mentioned are "don't care". Listed in creation order.
   */
  witness(a: Bool): Assignment | undefined {
    if (a === FALSE) return undefined;
    const cost = new Map<number, number>([[FALSE, Infinity], [TRUE, 0]]);
    const costOf = (node: number): number => {
      const known = cost.get(node);
      if (known !== undefined) return known;
      const result = Math.min(costOf(this.nodes[node * 4 + 1]!), 1 + costOf(this.nodes[node * 4 + 2]!));
      cost.set(node, result);
      return result;
    };
    const chosen: Array<[number, boolean]> = [];
    for (let node = a; node !== TRUE; ) {
      const low = costOf(this.nodes[node * 4 + 1]!);
      const high = 1 + costOf(this.nodes[node * 4 + 2]!);
      const level = this.nodes[node * 4]!;
      // newer variables sit higher only outside the context part; ties set the newer one
      const setOnTie = level >= CONTEXT_LIMIT;
      const takeHigh = high < low || (high === low && setOnTie);
      chosen.push([level, takeHigh]);
      node = takeHigh ? this.nodes[node * 4 + 2]! : this.nodes[node * 4 + 1]!;
    }
    chosen.sort((x, y) => this.creation(x[0]) - this.creation(y[0]));
    return new Map(chosen.map(([level, value]) => [this.nameOfLevel(level), value]));
  }

  evaluate(a: Bool, assignment: ReadonlyMap<string, boolean>): boolean {
    let node = a;
    while (node !== TRUE && node !== FALSE) {
      const value = assignment.get(this.nameAt(node)) ?? false;
      node = value ? this.nodes[node * 4 + 2]! : this.nodes[node * 4 + 1]!;
    }
    return node === TRUE;
  }

  /** Substitutes constants for the named variables. */
  restrict(a: Bool, assignment: ReadonlyMap<string, boolean>): Bool {
    const byLevel = new Map<number, boolean>();
    for (const [name, value] of assignment) {
      const level = this.byName.get(name);
      if (level !== undefined) byLevel.set(level, value);
    }
    if (byLevel.size === 0) return a;
    const memo = new Map<number, number>();
    const walk = (node: number): number => {
      if (node === TRUE || node === FALSE) return node;
      const hit = memo.get(node);
      if (hit !== undefined) return hit;
      const lvl = this.nodes[node * 4]!;
      const fixed = byLevel.get(lvl);
      const result =
        fixed === undefined
          ? this.makeNode(lvl, walk(this.nodes[node * 4 + 1]!), walk(this.nodes[node * 4 + 2]!))
          : walk(fixed ? this.nodes[node * 4 + 2]! : this.nodes[node * 4 + 1]!);
      memo.set(node, result);
      return result;
    };
    return walk(a);
  }

  /** Existential quantification: is there a value of the named variables making `a` true? */
  exists(a: Bool, names: Iterable<string>): Bool {
    const levels = new Set<number>();
    for (const name of names) {
      const level = this.byName.get(name);
      if (level !== undefined) levels.add(level);
    }
    if (levels.size === 0) return a;
    const memo = new Map<number, number>();
    const walk = (node: number): number => {
      if (node === TRUE || node === FALSE) return node;
      const hit = memo.get(node);
      if (hit !== undefined) return hit;
      const lvl = this.nodes[node * 4]!;
      const lo = walk(this.nodes[node * 4 + 1]!);
      const hi = walk(this.nodes[node * 4 + 2]!);
      const result = levels.has(lvl) ? this.or(lo, hi) : this.makeNode(lvl, lo, hi);
      memo.set(node, result);
      return result;
    };
    return walk(a);
  }

  /**
   * Every variable placed `newest-first` existentially quantified. They sit below all context
   * variables, and a node of a reduced diagram other than false always reaches true, so this is
   * one pass: each such node becomes true.
   */
  projectOntoContext(a: Bool): Bool {
    const memo = new Map<number, number>();
    const walk = (node: number): number => {
      if (node === TRUE || node === FALSE) return node;
      const level = this.nodes[node * 4]!;
      if (level >= CONTEXT_LIMIT) return TRUE;
      const hit = memo.get(node);
      if (hit !== undefined) return hit;
      const result = this.makeNode(level, walk(this.nodes[node * 4 + 1]!), walk(this.nodes[node * 4 + 2]!));
      memo.set(node, result);
      return result;
    };
    return walk(a);
  }

  /**
   * `projectOntoContext(and(a, b))` without building the conjunction: below the context
   * variables all that matters is whether the two parts have a common assignment.
   */
  projectConjunction(a: Bool, b: Bool): Bool {
    const memo = new Map<number, Map<number, number>>();
    const walk = (x: number, y: number): number => {
      if (x === FALSE || y === FALSE) return FALSE;
      if (x > y) [x, y] = [y, x];
      const lx = this.nodes[x * 4]!;
      const ly = this.nodes[y * 4]!;
      if (lx >= CONTEXT_LIMIT && ly >= CONTEXT_LIMIT) return this.intersects(x, y) ? TRUE : FALSE;
      let row = memo.get(x);
      const hit = row?.get(y);
      if (hit !== undefined) return hit;
      const top = lx < ly ? lx : ly;
      const result = this.makeNode(
        top,
        walk(lx === top ? this.nodes[x * 4 + 1]! : x, ly === top ? this.nodes[y * 4 + 1]! : y),
        walk(lx === top ? this.nodes[x * 4 + 2]! : x, ly === top ? this.nodes[y * 4 + 2]! : y),
      );
      if (!row) memo.set(x, (row = new Map()));
      row.set(y, result);
      return result;
    };
    return walk(a, b);
  }

  forall(a: Bool, names: Iterable<string>): Bool {
    return this.not(this.exists(this.not(a), names));
  }

  exportFormulas(roots: readonly Bool[]): PortableFormulas {
    const variables: string[] = [];
    const variableIndex = new Map<number, number>();
    const nodes: number[] = [];
    const refs = new Map<number, number>([[FALSE, 0], [TRUE, 1]]);
    const visit = (root: number): number => {
      // iterative post-order: children get their references before their parents
      const stack = [root];
      while (stack.length > 0) {
        const node = stack[stack.length - 1]!;
        if (refs.has(node)) {
          stack.pop();
          continue;
        }
        const lo = this.nodes[node * 4 + 1]!;
        const hi = this.nodes[node * 4 + 2]!;
        if (!refs.has(lo)) stack.push(lo);
        else if (!refs.has(hi)) stack.push(hi);
        else {
          stack.pop();
          const level = this.nodes[node * 4]!;
          let index = variableIndex.get(level);
          if (index === undefined) {
            index = variables.length;
            variables.push(this.nameOfLevel(level));
            variableIndex.set(level, index);
          }
          refs.set(node, 2 + nodes.length / 3);
          nodes.push(index, refs.get(lo)!, refs.get(hi)!);
        }
      }
      return refs.get(root)!;
    };
    const rootRefs = roots.map(visit);
    // Listed from the bottom of the order up: an import that creates its variables in this order
    // (each new one above the last) keeps the order they had here. In the order of discovery, the
    // bits of one entry would be spread among the others' and the import could grow exponentially.
    const byLevel = variables.map((_, index) => index).sort((x, y) => this.byName.get(variables[y]!)! - this.byName.get(variables[x]!)!);
    const renumbered = new Int32Array(variables.length);
    byLevel.forEach((old, index) => (renumbered[old] = index));
    for (let i = 0; i < nodes.length; i += 3) nodes[i] = renumbered[nodes[i]!]!;
    return { variables: byLevel.map((old) => variables[old]!), nodes: FormulaNodes.from(nodes), roots: rootRefs };
  }

  importFormulas(formulas: PortableFormulas, substitute: (name: string) => Bool): Bool[] {
    const variables = formulas.variables.map((name) => substitute(name));
    const built = new Int32Array(2 + formulas.nodes.length / 3);
    built[0] = FALSE;
    built[1] = TRUE;
    for (let i = 0, n = 2; i < formulas.nodes.length; i += 3, n++) {
      built[n] = this.ite(variables[formulas.nodes[i]!]!, built[formulas.nodes[i + 2]!]!, built[formulas.nodes[i + 1]!]!);
    }
    return formulas.roots.map((ref) => built[ref]!);
  }

  /** Nodes reachable from `a` (its size), counting at most `cap`. */
  size(a: Bool, cap = Number.MAX_SAFE_INTEGER): number {
    const seen = this.newMark();
    let size = 0;
    const stack = [a];
    while (stack.length > 0 && size < cap) {
      const node = stack.pop()!;
      if (node === TRUE || node === FALSE || this.marks[node] === seen) continue;
      this.marks[node] = seen;
      size++;
      stack.push(this.nodes[node * 4 + 1]!, this.nodes[node * 4 + 2]!);
    }
    return size;
  }

  /** Names of the variables the function (or any of the functions) depends on, in variable order. */
  support(a: Bool | readonly Bool[]): string[] {
    const seen = this.newMark();
    const levels = new Set<number>();
    const stack = typeof a === 'number' ? [a] : [...a];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node === TRUE || node === FALSE || this.marks[node] === seen) continue;
      this.marks[node] = seen;
      levels.add(this.nodes[node * 4]!);
      stack.push(this.nodes[node * 4 + 1]!, this.nodes[node * 4 + 2]!);
    }
    return [...levels].sort((x, y) => x - y).map((lvl) => this.nameOfLevel(lvl));
  }

  /** A fresh mark for a walk that visits each node once (walks that make no nodes; none nests in another). */
  private newMark(): number {
    if (this.marks.length < this.count) this.marks = new Int32Array(this.nodes.length / 4);
    if (this.mark === 0x7fffffff) {
      this.marks.fill(0);
      this.mark = 0;
    }
    return ++this.mark;
  }

  /** The variables of `a` created after the first `since` variables, context variables excluded. */
  newVariables(a: Bool, since: number): string[] {
    return this.support(a).filter((name) => {
      const level = this.byName.get(name)!;
      return level >= CONTEXT_LIMIT && this.createdAt.get(level)! >= since;
    });
  }

  /**
   * A readable disjunction of conjunctions (`a & !b | c`), one term per path
   * to true; long formulas are cut after `maxTerms` terms with a count of the rest.
   */
  format(a: Bool, maxTerms = 8): string {
    if (a === TRUE) return 'true';
    if (a === FALSE) return 'false';
    const terms: string[] = [];
    let omitted = 0;
    const literals: Array<{ level: number; text: string }> = [];
    const walk = (node: number): void => {
      if (node === FALSE) return;
      if (node === TRUE) {
        const ordered = [...literals].sort((x, y) => this.creation(x.level) - this.creation(y.level)).map((l) => l.text);
        if (terms.length < maxTerms) terms.push(ordered.length === 0 ? 'true' : ordered.join(' & '));
        else omitted++;
        return;
      }
      const name = this.nameAt(node);
      const level = this.nodes[node * 4]!;
      literals.push({ level, text: `!${name}` });
      walk(this.nodes[node * 4 + 1]!);
      literals[literals.length - 1] = { level, text: name };
      walk(this.nodes[node * 4 + 2]!);
      literals.pop();
    };
    walk(a);
    const text = terms.map((term) => (terms.length > 1 && term.includes('&') ? `(${term})` : term)).join(' | ');
    return omitted > 0 ? `${text} | …(${omitted} more)` : text;
  }

  private apply(op: Op, a: number, b: number): number {
    switch (op) {
      case Op.And:
        if (a === FALSE || b === FALSE) return FALSE;
        if (a === TRUE) return b;
        if (b === TRUE || a === b) return a;
        break;
      case Op.Or:
        if (a === TRUE || b === TRUE) return TRUE;
        if (a === FALSE) return b;
        if (b === FALSE || a === b) return a;
        break;
      case Op.Xor:
        if (a === b) return FALSE;
        if (a === FALSE) return b;
        if (b === FALSE) return a;
        if (a === TRUE) return this.not(b);
        if (b === TRUE) return this.not(a);
        break;
    }
    if (a > b) {
      const swap = a;
      a = b;
      b = swap;
    }
    const cached = this.cached(op, a, b);
    if (cached >= 0) return cached;
    const la = this.nodes[a * 4]!;
    const lb = this.nodes[b * 4]!;
    const top = la < lb ? la : lb;
    const a0 = la === top ? this.nodes[a * 4 + 1]! : a;
    const a1 = la === top ? this.nodes[a * 4 + 2]! : a;
    const b0 = lb === top ? this.nodes[b * 4 + 1]! : b;
    const b1 = lb === top ? this.nodes[b * 4 + 2]! : b;
    const result = this.makeNode(top, this.apply(op, a0, b0), this.apply(op, a1, b1));
    this.remember(op, a, b, result);
    return result;
  }

  /** The computed table's entry for (op, a, b), or -1. */
  private cached(op: Op, a: number, b: number): number {
    const cache = this.cache;
    const i = (hash3(op, a, b) & ((cache.length >> 2) - 1)) << 2;
    return cache[i] === op && cache[i + 1] === a && cache[i + 2] === b ? cache[i + 3]! : -1;
  }

  private remember(op: Op, a: number, b: number, result: number): void {
    const cache = this.cache;
    const i = (hash3(op, a, b) & ((cache.length >> 2) - 1)) << 2;
    cache[i] = op;
    cache[i + 1] = a;
    cache[i + 2] = b;
    cache[i + 3] = result;
  }

  private makeNode(lvl: number, lo: number, hi: number): number {
    if (lo === hi) return lo;
    const mask = this.unique.length - 1;
    let i = hash3(lvl, lo, hi) & mask;
    for (let node = this.unique[i]!; node !== 0; node = this.unique[i]!) {
      if (this.nodes[node * 4] === lvl && this.nodes[node * 4 + 1] === lo && this.nodes[node * 4 + 2] === hi) return node;
      i = (i + 1) & mask;
    }
    if (this.count >= this.limit) {
      if (this.limit === this.nodeLimit) this.limit = this.nodeLimit * 2;
      throw new BddLimitError(`the symbolic state grew past ${this.nodeLimit.toLocaleString('en-US')} BDD nodes`);
    }
    if (this.count * 4 === this.nodes.length) this.grow();
    const node = this.count++;
    this.nodes[node * 4] = lvl;
    this.nodes[node * 4 + 1] = lo;
    this.nodes[node * 4 + 2] = hi;
    this.unique[i] = node;
    if (this.count * 2 > this.unique.length) this.rehash();
    return node;
  }

  /** Doubles the unique table (kept at most half full) and, up to its cap, the computed table. */
  private rehash(): void {
    const unique = new Int32Array(this.unique.length * 2);
    const mask = unique.length - 1;
    for (let node = 2; node < this.count; node++) {
      let i = hash3(this.nodes[node * 4]!, this.nodes[node * 4 + 1]!, this.nodes[node * 4 + 2]!) & mask;
      while (unique[i] !== 0) i = (i + 1) & mask;
      unique[i] = node;
    }
    this.unique = unique;
    const size = Math.min(MAX_CACHE, unique.length);
    if (size > this.cache.length >> 2) {
      const old = this.cache;
      this.cache = emptyCache(size);
      // what was computed stays known: a growing manager would otherwise recompute it all
      for (let i = 0; i < old.length; i += 4) if (old[i] !== -1) this.remember(old[i]!, old[i + 1]!, old[i + 2]!, old[i + 3]!);
    }
  }

  private nameAt(node: number): string {
    return this.nameOfLevel(this.nodes[node * 4]!);
  }

  /** The order in which the variable at this level was created. */
  private creation(level: number): number {
    return this.createdAt.get(level)!;
  }

  private nameOfLevel(level: number): string {
    return level < CONTEXT_LIMIT ? this.contextNames[level]! : this.otherNames[NEWEST - level]!;
  }

  private grow(): void {
    const next = new Int32Array(this.nodes.length * 2);
    next.set(this.nodes);
    this.nodes = next;
  }
}
