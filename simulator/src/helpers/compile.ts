// Turns one helper row into closures over a profile's layout. The closures
// take the algebra from the frame, so a compiled helper set serves every
// analysis on its profile.

import type { Bool, BoolAlgebra } from '../sym';
import type { FactSource } from '../model/context';
import { FORMS, type Level } from '../model/forms';
import type { Layout } from '../model/layout';
import { isEnabled, type Profile } from '../model/profile';
import { sameValue, zeroValue, type EntryValue, type ValueKind } from '../model/value';
import { DslError, parseExpression, parseStatements, type Expr, type Statement } from './dsl';
import type { EventKind, HelperDef, InstallKind, Law, Param } from './types';

export type ArgValue = EntryValue | Bool | FactSource | undefined;
export type ArgMap = Readonly<Record<string, ArgValue>>;

interface Frame {
  readonly alg: BoolAlgebra;
  readonly self: Int32Array;
  readonly old: Int32Array;
  readonly args: ArgMap;
  readonly locals: Bool[];
  readonly kind: ValueKind;
  readonly level: Level;
}

type CompiledExpr = (frame: Frame) => Bool;
type CompiledStatement = (frame: Frame) => void;

export interface EmittedEvent {
  readonly event: EventKind;
  readonly scope: string;
  /** Where (on which assignments) the event happens. */
  readonly guard: Bool;
}

export interface InPlaceResult {
  /** The slot's value afterwards. */
  readonly slot: EntryValue;
  /** The slot's value before (what ptep_get_and_clear and friends return). */
  readonly previous: EntryValue;
  readonly returned: EntryValue | Bool | undefined;
  readonly events: readonly EmittedEvent[];
  readonly install: InstallKind;
}

/** A helper row ready to run on one profile. */
export interface CompiledHelper {
  readonly name: string;
  readonly level: Level;
  readonly def: HelperDef;
  readonly params: readonly Param[];
  /** The effect text with `{l}` expanded, as shown in hovers. */
  readonly effectText: string;
  /** Why the helper is a stub on this profile (config missing), if it is. */
  readonly stub?: string;
  readonly keeps: readonly Law[];
  /** Modifiers and constructors. */
  apply(alg: BoolAlgebra, args: ArgMap): EntryValue;
  /** Predicates. */
  test(alg: BoolAlgebra, args: ArgMap): Bool;
  /** In-place primitives: `slot` is the current value of the slot argument. */
  applyInPlace(alg: BoolAlgebra, slot: EntryValue, args: ArgMap): InPlaceResult;
}

export interface CompileEnv {
  readonly layout: Layout;
  readonly profile: Profile;
  /** Every field name any architecture has: absent ones read as 0. */
  readonly knownFields: ReadonlySet<string>;
  /** Resolves a helper named in a `call` or a predicate call (already level-expanded). */
  lookup(name: string): CompiledHelper | undefined;
}

export class HelperArgumentError extends Error {}

const FACT_KINDS = new Set(['vma', 'vmflags', 'mm', 'folio', 'flags']);

export function compileHelper(def: HelperDef, name: string, level: Level, params: readonly Param[], env: CompileEnv): CompiledHelper {
  const effectText = def.effect.replace(/\{l\}/g, level);
  const stubbed = def.needs !== undefined && !isEnabled(env.profile, def.needs);
  const stub = stubbed ? `without CONFIG_${def.needs} this is the generic stub (${def.absent ?? 'identity'})` : undefined;
  const builds: ValueKind = def.builds ?? 'entry';
  const paramByName = new Map(params.map((p) => [p.name, p]));
  const firstValueParam = params.find((p) => p.kind === 'entry' || p.kind === 'swp' || p.kind === 'prot');

  let statements: CompiledStatement[] = [];
  let predicate: CompiledExpr | undefined;
  let returnsExpr: CompiledExpr | undefined;
  const events: { event: EventKind; scope: string; when?: CompiledExpr }[] = [];
  const locals = new Map<string, number>();

  const context = `${name} (${def.section})`;
  const compileExprText = (text: string): CompiledExpr => compileExpr(parseExpression(text.replace(/\{l\}/g, level)));

  function fail(message: string): never {
    throw new DslError(`${context}: ${message}`);
  }

  function fieldIndex(fieldName: string): number | undefined | null {
    const index = env.layout.indexOf(fieldName);
    if (index !== undefined) return index;
    if (env.knownFields.has(fieldName) || (FORMS as readonly string[]).includes(fieldName)) return null; // absent here: reads 0
    return undefined;
  }

  function valueArg(frame: Frame, argName: string): EntryValue {
    if (argName === 'this') return { kind: frame.kind, level: frame.level, bits: frame.self };
    if (argName === 'old') return { kind: frame.kind, level: frame.level, bits: frame.old };
    const value = frame.args[argName];
    if (value === undefined || typeof value !== 'object' || !('bits' in value)) {
      throw new HelperArgumentError(`${name}: argument "${argName}" is not an entry value`);
    }
    return value;
  }

  function compileRef(base: string | undefined, refName: string): CompiledExpr {
    if (base === undefined) {
      const local = locals.get(refName);
      if (local !== undefined) return (f) => f.locals[local]!;
      const param = paramByName.get(refName);
      if (param && param.kind === 'bool') {
        return (f) => {
          const v = f.args[refName];
          if (typeof v !== 'number') throw new HelperArgumentError(`${name}: argument "${refName}" must be a boolean`);
          return v;
        };
      }
      const index = fieldIndex(refName);
      if (index === undefined) fail(`unknown name "${refName}"`);
      if (index === null) return (f) => f.alg.FALSE;
      return (f) => f.self[index]!;
    }
    if (base === 'cfg') {
      const on = isEnabled(env.profile, refName);
      return (f) => f.alg.constant(on);
    }
    if (base === 'old' || base === 'this') {
      const index = fieldIndex(refName);
      if (index === undefined) fail(`unknown field "${refName}"`);
      if (index === null) return (f) => f.alg.FALSE;
      return base === 'old' ? (f) => f.old[index]! : (f) => f.self[index]!;
    }
    const param = paramByName.get(base);
    if (!param) fail(`"${base}" is not a parameter`);
    if (FACT_KINDS.has(param.kind)) {
      return (f) => {
        const source = f.args[base];
        if (source === undefined || typeof source !== 'object' || !('fact' in source)) {
          throw new HelperArgumentError(`${name}: argument "${base}" must provide facts`);
        }
        return source.fact(refName);
      };
    }
    const index = fieldIndex(refName);
    if (index === undefined) fail(`unknown field "${base}.${refName}"`);
    if (index === null) return (f) => f.alg.FALSE;
    return (f) => valueArg(f, base).bits[index]!;
  }

  function compileCall(calleeName: string, args: readonly string[]): CompiledExpr {
    if (calleeName === 'same') {
      if (args.length < 2) fail('same() takes two values, then the fields it ignores');
      const [a, b, ...ignoredNames] = args as [string, string, ...string[]];
      const ignored = new Set<number>();
      for (const field of ignoredNames) {
        const index = fieldIndex(field);
        if (index === undefined) fail(`unknown field "${field}"`);
        if (index !== null) ignored.add(index);
      }
      return (f) => sameValue(f.alg, valueArg(f, a), valueArg(f, b), ignored);
    }
    return (f) => {
      const callee = env.lookup(calleeName);
      if (!callee) throw new DslError(`${context}: calls ${calleeName}, which this profile does not define`);
      return callee.test(f.alg, bindArgs(f, callee, args));
    };
  }

  /** The callee's arguments: positional names first, the rest by name from the caller. */
  function bindArgs(frame: Frame, callee: CompiledHelper, positional: readonly string[]): ArgMap {
    const bound: Record<string, ArgValue> = { ...frame.args };
    positional.forEach((argName, i) => {
      const target = callee.params[i];
      if (!target) throw new DslError(`${context}: too many arguments for ${callee.name}`);
      const isValue = target.kind === 'entry' || target.kind === 'swp' || target.kind === 'prot';
      bound[target.name] = isValue ? valueArg(frame, argName) : frame.args[argName];
    });
    return bound;
  }

  function compileExpr(expr: Expr): CompiledExpr {
    switch (expr.op) {
      case 'const': {
        const value = expr.value;
        return (f) => f.alg.constant(value);
      }
      case 'ref':
        return compileRef(expr.base, expr.name);
      case 'not': {
        const arg = compileExpr(expr.arg);
        return (f) => f.alg.not(arg(f));
      }
      case 'and': {
        const l = compileExpr(expr.left);
        const r = compileExpr(expr.right);
        return (f) => f.alg.and(l(f), r(f));
      }
      case 'or': {
        const l = compileExpr(expr.left);
        const r = compileExpr(expr.right);
        return (f) => f.alg.or(l(f), r(f));
      }
      case 'xor': {
        const l = compileExpr(expr.left);
        const r = compileExpr(expr.right);
        return (f) => f.alg.xor(l(f), r(f));
      }
      case 'ite': {
        const c = compileExpr(expr.cond);
        const t = compileExpr(expr.then);
        const e = compileExpr(expr.otherwise);
        return (f) => f.alg.ite(c(f), t(f), e(f));
      }
      case 'call':
        return compileCall(expr.name, expr.args);
    }
  }

  function compileStatement(statement: Statement): CompiledStatement {
    switch (statement.op) {
      case 'let': {
        const value = compileExpr(statement.value);
        const slot = locals.size;
        locals.set(statement.name, slot);
        return (f) => {
          f.locals[slot] = value(f);
        };
      }
      case 'assign': {
        const index = fieldIndex(statement.target);
        if (index === undefined) fail(`cannot assign unknown field "${statement.target}"`);
        const value = compileExpr(statement.value);
        if (index === null) return () => {}; // the bit does not exist on this profile: a write to it is a no-op
        return (f) => {
          f.self[index] = value(f);
        };
      }
      case 'copy': {
        const source = statement.source;
        const args = statement.args;
        if (!args && !paramByName.has(source)) fail(`copy of "${source}", which is not a parameter`);
        const bitsOf = (f: Frame) => {
          if (!args) return valueArg(f, source).bits;
          const callee = env.lookup(source);
          if (!callee) throw new DslError(`${context}: copies ${source}, which this profile does not define`);
          return callee.apply(f.alg, bindArgs(f, callee, args)).bits;
        };
        const guard = statement.guard ? compileExpr(statement.guard) : undefined;
        if (!guard) return (f) => f.self.set(bitsOf(f));
        return (f) => {
          const g = guard(f);
          const bits = bitsOf(f);
          for (let i = 0; i < bits.length; i++) f.self[i] = f.alg.ite(g, bits[i]!, f.self[i]!);
        };
      }
      case 'clear_arch': {
        const indices = env.layout.archBits.map((bit) => env.layout.indexOf(bit)!);
        return (f) => {
          for (const i of indices) f.self[i] = f.alg.FALSE;
        };
      }
      case 'clear':
        return (f) => {
          f.self.fill(f.alg.FALSE);
          f.self[env.layout.formIndex('none')] = f.alg.TRUE;
        };
      case 'form': {
        if (!(FORMS as readonly string[]).includes(statement.form)) fail(`unknown form "${statement.form}"`);
        const target = env.layout.formIndex(statement.form as (typeof FORMS)[number]);
        const count = env.layout.formCount;
        return (f) => {
          for (let i = 0; i < count; i++) f.self[i] = f.alg.FALSE;
          f.self[target] = f.alg.TRUE;
        };
      }
      case 'call': {
        const calleeName = statement.helper;
        const guard = statement.guard ? compileExpr(statement.guard) : undefined;
        const negate = statement.negate;
        return (f) => {
          const callee = env.lookup(calleeName);
          if (!callee) throw new DslError(`${context}: calls ${calleeName}, which this profile does not define`);
          const out = callee.apply(f.alg, bindArgs(f, callee, ['this'])).bits;
          if (!guard) {
            f.self.set(out);
            return;
          }
          let g = guard(f);
          if (negate) g = f.alg.not(g);
          for (let i = 0; i < out.length; i++) f.self[i] = f.alg.ite(g, out[i]!, f.self[i]!);
        };
      }
    }
  }

  try {
    if (!stubbed) {
      if (def.kind === 'predicate') predicate = compileExprText(def.effect);
      else statements = parseStatements(effectText).map(compileStatement);
      if (def.kind === 'inplace') {
        if (!def.slot || !paramByName.has(def.slot.replace(/\{l\}/g, level))) fail(`in-place helper needs a slot parameter`);
        if (def.returns && def.returns !== 'old' && def.returns !== 'void') returnsExpr = compileExprText(def.returns);
        for (const spec of def.events ?? []) {
          events.push(spec.when ? { event: spec.event, scope: spec.scope, when: compileExprText(spec.when) } : { event: spec.event, scope: spec.scope });
        }
      }
    }
  } catch (error) {
    if (error instanceof DslError && !error.message.startsWith(context)) throw new DslError(`${context}: ${error.message}`);
    throw error;
  }

  function run(alg: BoolAlgebra, initial: Int32Array, kind: ValueKind, args: ArgMap): Frame {
    const frame: Frame = { alg, self: initial.slice(), old: initial, args, locals: [], kind, level };
    for (const statement of statements) statement(frame);
    return frame;
  }

  function initialValue(alg: BoolAlgebra, args: ArgMap): EntryValue {
    if (def.kind === 'constructor') return zeroValue(alg, env.layout, builds, level);
    if (!firstValueParam) throw new HelperArgumentError(`${name} has no value parameter`);
    const value = args[firstValueParam.name];
    if (value === undefined || typeof value !== 'object' || !('bits' in value)) {
      throw new HelperArgumentError(`${name}: argument "${firstValueParam.name}" must be an entry value`);
    }
    return value;
  }

  return {
    name,
    level,
    def,
    params,
    effectText,
    ...(stub ? { stub } : {}),
    keeps: def.keeps ?? [],
    apply(alg, args) {
      const input = initialValue(alg, args);
      if (stubbed) return input;
      const frame = run(alg, input.bits, def.kind === 'constructor' ? builds : input.kind, args);
      return { kind: def.kind === 'constructor' ? builds : input.kind, level, bits: frame.self };
    },
    test(alg, args) {
      if (stubbed || !predicate) return alg.FALSE;
      const first = firstValueParam ? args[firstValueParam.name] : undefined;
      const self = first && typeof first === 'object' && 'bits' in first ? first : zeroValue(alg, env.layout, 'entry', level);
      return predicate({ alg, self: self.bits, old: self.bits, args, locals: [], kind: self.kind, level });
    },
    applyInPlace(alg, slot, args) {
      const frame = run(alg, slot.bits, slot.kind, args);
      const after: EntryValue = { kind: slot.kind, level, bits: frame.self };
      let returned: EntryValue | Bool | undefined;
      if (def.returns === 'old') returned = slot;
      else if (returnsExpr) returned = returnsExpr(frame);
      const emitted = events.map((e) => ({ event: e.event, scope: e.scope, guard: e.when ? e.when(frame) : alg.TRUE }));
      return { slot: after, previous: slot, returned, events: emitted, install: def.install ?? 'store' };
    },
  };
}
