// The one interface the simulator uses for symbolic booleans. The ROBDD in
// bdd.ts implements it; any other solver must give the same answers.

/** A boolean expression over named unknowns, owned by one BoolAlgebra. */
export type Bool = number;

/** Values of the variables that matter; unlisted variables are "don't care". */
export type Assignment = Map<string, boolean>;

/**
 * Where a new variable goes in the order: `context` for facts nearly every constraint
 * mentions (VMA, folio), the rest newest first. A hint for speed; answers never depend on it.
 */
export type VariablePlacement = 'context' | 'newest-first';

/**
 * Formulas taken out of one algebra, to be rebuilt in another (a callee's summary in its
 * caller's solver, or on disk). Plain data: `nodes` holds one triple per node — variable index,
 * low, high — children before parents; a reference is 0 (false), 1 (true) or 2 + a node's index.
 */
export interface PortableFormulas {
  readonly variables: readonly string[];
  /** (variable, low, high) triples: exported as an Int32Array that JSON writes as a list (a server holds thousands). */
  readonly nodes: ArrayLike<number>;
  readonly roots: readonly number[];
}

export interface BoolAlgebra {
  readonly TRUE: Bool;
  readonly FALSE: Bool;
  /** The unknown with this name (the same name gives the same unknown). */
  variable(name: string, placement?: VariablePlacement): Bool;
  hasVariable(name: string): boolean;
  constant(value: boolean): Bool;
  not(a: Bool): Bool;
  and(a: Bool, b: Bool): Bool;
  or(a: Bool, b: Bool): Bool;
  xor(a: Bool, b: Bool): Bool;
  iff(a: Bool, b: Bool): Bool;
  implies(a: Bool, b: Bool): Bool;
  ite(condition: Bool, then: Bool, otherwise: Bool): Bool;
  andAll(values: Iterable<Bool>): Bool;
  orAll(values: Iterable<Bool>): Bool;
  isSatisfiable(a: Bool): boolean;
  /** True for every assignment. */
  isValid(a: Bool): boolean;
  /** Every assignment satisfying `a` satisfies `b`. */
  entails(a: Bool, b: Bool): boolean;
  equivalent(a: Bool, b: Bool): boolean;
  /** Some assignment satisfies both (`isSatisfiable(and(a, b))`, usually cheaper). */
  intersects(a: Bool, b: Bool): boolean;
  /** An assignment making `a` true, or undefined when there is none. */
  witness(a: Bool): Assignment | undefined;
  evaluate(a: Bool, assignment: ReadonlyMap<string, boolean>): boolean;
  restrict(a: Bool, assignment: ReadonlyMap<string, boolean>): Bool;
  exists(a: Bool, names: Iterable<string>): Bool;
  /** What `a` says of the `context` variables alone: every other variable existentially quantified. */
  projectOntoContext(a: Bool): Bool;
  /** `projectOntoContext(and(a, b))`, without building the conjunction. */
  projectConjunction(a: Bool, b: Bool): Bool;
  /** Universal quantification: `a` holds for every value of the named variables. */
  forall(a: Bool, names: Iterable<string>): Bool;
  /** `roots` as plain data, for `importFormulas` in any algebra. */
  exportFormulas(roots: readonly Bool[]): PortableFormulas;
  /**
   * Rebuilds exported formulas here, each variable replaced by what `substitute` gives for its
   * name (a variable of this algebra, a constant, or any formula): functional composition.
   */
  importFormulas(formulas: PortableFormulas, substitute: (name: string) => Bool): Bool[];
  support(a: Bool | readonly Bool[]): string[];
  /** Runs `work` with at most `nodes` new nodes; past them it throws BddLimitError. */
  withinBudget<T>(nodes: number, work: () => T): T;
  /** How many variables exist (a mark for newVariables). */
  readonly variableCount: number;
  /** The variables of `a` created after the first `since` variables, context variables excluded. */
  newVariables(a: Bool, since: number): string[];
  /** Nodes in the representation of `a`, counting at most `cap` (for bounding work). */
  size(a: Bool, cap?: number): number;
  /** Human-readable sum of products. */
  format(a: Bool, maxTerms?: number): string;
}
