// The definitions in preprocessed headers, read on demand into the bit-vector language: a
// name's `static inline` function, else its function-like macro, else what an object-like
// alias (`#define pte_mkwrite_novma pte_mkwrite`) names. Each is read once; a name that cannot
// be read keeps the reason, which the evaluator shows when a helper needs it.

import { BitVectorEvaluator, MEMORY_ACCESSES, UnsupportedConstruct } from '../../../simulator/src/bitvec/evaluate';
import type { BvFunction } from '../../../simulator/src/bitvec/program';
import { concreteValue } from '../../../simulator/src/bitvec/word';
import { createAlgebra } from '../../../simulator/src';
import { readDeclarations, type Declarations } from './declarations';
import { ParseError, TypeReader, readExpression, readFunction, readMacro, type ReaderContext } from './helperParser';
import { ExpansionError, MacroExpander, type BuiltinMacro } from './macros';
import type { PreprocessedHeaders } from './preprocessor';
import { SKIPPED_TYPEDEFS } from './kernelConfig';
import { tokenize, type Token } from './tokens';

/** Calls the evaluator answers from the profile; never expanded as macros. */
/** Calls the evaluator answers itself: CPU features, and the accesses of one word in memory (evaluate.ts MEMORY_ACCESSES). */
const INTRINSICS = new Set(['cpu_feature_enabled', 'boot_cpu_has', 'static_cpu_has', 'this_cpu_has', ...MEMORY_ACCESSES]);

export class HeaderDefinitions {
  readonly declarations: Declarations;
  private readonly context: ReaderContext;
  private readonly read = new Map<string, BvFunction | string>();

  constructor(readonly headers: PreprocessedHeaders, private readonly globals: ReadonlyMap<string, bigint> = new Map()) {
    const builtins = new Map<string, BuiltinMacro>();
    for (const name of ['IS_ENABLED', 'IS_BUILTIN', 'IS_REACHABLE']) {
      builtins.set(name, (args, at) => {
        const value = headers.macros.get(args[0]?.[0]?.text ?? '')?.body.map((t) => t.text).join('') === '1' ? '1' : '0';
        return [{ kind: 'num', text: value, file: at.file, line: at.line, bol: false, space: at.space }];
      });
    }
    const opaque = (name: string) => INTRINSICS.has(name) || name.startsWith('X86_FEATURE_');
    const expander = new MacroExpander(headers.macros, builtins, undefined, opaque);
    this.declarations = readDeclarations(headers.tokens, expander);
    const typedefs = new Map<string, readonly Token[]>(Object.entries(SKIPPED_TYPEDEFS).map(([name, text]) => [name, tokenize(text, '<skipped typedef>')]));
    for (const [name, tokens] of this.declarations.typedefs) typedefs.set(name, tokens);
    this.context = { expander, types: new TypeReader(typedefs), enums: this.declarations.enumConstants };
  }

  /** The definition of `name`, or undefined (see `why`). */
  lookup(name: string): BvFunction | undefined {
    const hit = this.entry(name);
    return typeof hit === 'string' ? undefined : hit;
  }

  /** Why `name` has no definition here; undefined when it has one. */
  why(name: string): string | undefined {
    const hit = this.entry(name);
    return typeof hit === 'string' ? hit : undefined;
  }

  /** The value of a constant macro (`_PAGE_RW`), or why it has none. */
  constant(name: string): bigint | string {
    const macro = this.headers.macros.get(name);
    if (!macro) return `${name} is not defined`;
    try {
      const alg = createAlgebra();
      const evaluator = new BitVectorEvaluator(alg, { functions: { get: (n) => this.lookup(n) }, why: (n) => this.why(n), globals: this.globals });
      const expr = readExpression([{ kind: 'id', text: name, file: macro.file, line: macro.line, bol: false, space: false }], this.context);
      return concreteValue(alg, evaluator.expression(expr).word) ?? `${name} is not a constant`;
    } catch (error) {
      if (error instanceof UnsupportedConstruct || error instanceof ParseError || error instanceof ExpansionError) return `${name}: ${error.message}`;
      throw error;
    }
  }

  private entry(name: string): BvFunction | string {
    let hit = this.read.get(name);
    if (hit === undefined) {
      hit = this.readDefinition(name, 0);
      this.read.set(name, hit);
    }
    return hit;
  }

  private readDefinition(name: string, depth: number): BvFunction | string {
    try {
      const fn = this.declarations.functions.get(name);
      if (fn) return readFunction(fn, this.context);
      const macro = this.headers.macros.get(name);
      if (macro?.params) return readMacro(macro, this.context);
      const alias = macro && macro.body.length === 1 && macro.body[0]!.kind === 'id' ? macro.body[0]!.text : undefined;
      if (macro && alias === name) return `${name} is only declared in the headers (${macro.file}:${macro.line}); its definition is out of line, in a .c file`;
      if (alias && depth < 8) {
        const target = this.readDefinition(alias, depth + 1);
        return typeof target === 'string' ? target : { ...target, name };
      }
      if (macro) return `${name} is the macro at ${macro.file}:${macro.line}, not a function`;
      return `${name} has no definition in the headers read (it may be defined in a .c file, or in a header they do not include)`;
    } catch (error) {
      if (error instanceof ParseError || error instanceof ExpansionError) return `${name} could not be read: ${error.message}`;
      throw error;
    }
  }
}
