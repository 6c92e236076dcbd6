// Checks a program against the profile and the operation library, and resolves each operation
// to the variant of the profile's kernel version. Every problem is a ProgramInputError with a
// message for the user and, where it has one, the operation's CPU and line.

import { Simulator } from '../simulator';
import { FOLIO_FACTS, VMA_FACTS, VM_FLAGS, symbolicFacts } from '../model/context';
import { FORMS, type Form } from '../model/forms';
import { formatVersion, inVersionRange, parseProfile, ProfileError } from '../model/profile';
import { EntryModel, type World } from './world';
import { propertyCatalogue } from './properties';
import type { ConcurrentOperation, OperationVariant, StepDef } from './step';
import type { InterleavingProgram, OperationArg, ProgramOperation } from './types';

export const MAX_CPUS = 3;

export class ProgramInputError extends Error {
  constructor(
    message: string,
    readonly cpu?: string,
    readonly opLine?: number,
  ) {
    super(message);
  }
}

export interface CompiledOperation {
  readonly name: string;
  readonly line?: number;
  readonly args: Readonly<Record<string, OperationArg>>;
  readonly variant: OperationVariant;
  readonly steps: ReadonlyMap<string, StepDef>;
  readonly first: string;
}

export interface CompiledProgram {
  readonly model: EntryModel;
  readonly cpuNames: readonly string[];
  readonly cpus: readonly (readonly CompiledOperation[])[];
  readonly properties: readonly string[];
  readonly initial: World;
}

export function variantRange(variant: { since?: string; until?: string }): string {
  if (variant.since && variant.until) return `${variant.since}–${variant.until}`;
  if (variant.since) return `${variant.since}+`;
  if (variant.until) return `before ${variant.until}`;
  return 'all versions';
}

const KNOWN_VMA_FACTS: readonly string[] = [...VM_FLAGS, ...VMA_FACTS];
const KNOWN_FOLIO_FACTS: readonly string[] = FOLIO_FACTS;

function checkNames(what: string, names: readonly string[], known: readonly string[]): void {
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new ProgramInputError(`unknown ${what} ${unknown.join(', ')} (known: ${known.join(', ')})`);
}

export function compileProgram(program: InterleavingProgram, library: readonly ConcurrentOperation[]): CompiledProgram {
  if (!program || typeof program !== 'object') throw new ProgramInputError('the program is not an object');
  let profile;
  try {
    profile = parseProfile(String(program.profile ?? ''));
  } catch (error) {
    if (error instanceof ProfileError) throw new ProgramInputError(error.message);
    throw error;
  }
  const cpus = program.cpus ?? [];
  if (!Array.isArray(cpus) || cpus.length === 0) throw new ProgramInputError('the program has no CPUs');
  if (cpus.length > MAX_CPUS) throw new ProgramInputError(`the program has ${cpus.length} CPUs; interleavings are explored for at most ${MAX_CPUS}`);
  const names = cpus.map((cpu) => String(cpu.name ?? '').trim());
  names.forEach((name, i) => {
    if (!name) throw new ProgramInputError(`CPU ${i + 1} has no name`);
    if (names.indexOf(name) !== i) throw new ProgramInputError(`two CPUs are named ${name}`);
    const ops: unknown = cpus[i]!.ops;
    if (!Array.isArray(ops)) throw new ProgramInputError(`CPU ${name}: its operations are not a list`, name);
    for (const op of ops as unknown[]) {
      const line = (op as ProgramOperation | null)?.line;
      if (typeof (op as ProgramOperation | null)?.op !== 'string') throw new ProgramInputError(`CPU ${name}: an operation without a name`, name, line);
      const args: unknown = (op as ProgramOperation).args;
      if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) throw new ProgramInputError(`CPU ${name}: the arguments of ${(op as ProgramOperation).op} are not name = value pairs`, name, line);
    }
  });

  const vmaFlags = program.initial?.vma?.flags ?? [];
  checkNames('VMA flag', vmaFlags, KNOWN_VMA_FACTS);
  const folio = program.initial?.folio ?? [];
  checkNames('folio fact', folio, KNOWN_FOLIO_FACTS);
  const sim = new Simulator(profile);
  const lacking = vmaFlags.filter((flag) => symbolicFacts(sim.alg, 'vma', profile).fact(flag) === sim.alg.FALSE);
  if (lacking.length > 0) throw new ProgramInputError(`${lacking.join(', ')} is VM_NONE on ${profile.name}: the kernel there lacks its config symbol`);
  const model = new EntryModel(sim, new Set(vmaFlags));
  const entry = initialEntry(model, program.initial?.entry ?? {});

  const catalogue = propertyCatalogue(model.sim).map((p) => p.id);
  const properties = program.properties ?? catalogue;
  checkNames('property', properties, catalogue);

  const compiled = cpus.map((cpu, c) => (cpu.ops ?? ([] as const)).map((op: ProgramOperation) => compileOperation(model, library, names[c]!, op.op, op.args ?? {}, op.line, new Set(vmaFlags))));
  const present = model.form(entry) !== 'none';
  return {
    model,
    cpuNames: names,
    cpus: compiled,
    properties,
    initial: {
      entry,
      page: present ? 0 : -1,
      pages: [{ writes: [], facts: [...folio].sort() }],
      ptl: -1,
      mmapReaders: [],
      mmapWriter: -1,
      pending: 0,
      tlbs: names.map(() => null),
      cpus: compiled.map((ops) => ({ op: 0, step: ops[0]?.first ?? 'done', locals: {} })),
    },
  };
}

function initialEntry(model: EntryModel, bits: Readonly<Record<string, boolean>>): string {
  const names = Object.keys(bits);
  const forms = names.filter((name) => (FORMS as readonly string[]).includes(name) && bits[name]);
  if (forms.length > 1) throw new ProgramInputError(`the entry has two forms: ${forms.join(', ')}`);
  const unknown = model.unknownBits(names.filter((name) => !(FORMS as readonly string[]).includes(name)));
  if (unknown.length > 0) {
    throw new ProgramInputError(`unknown entry bit ${unknown.join(', ')} on ${model.sim.profile.name} (bits: ${model.sim.set.layout.archBits.join(' ')}; forms: ${FORMS.join(' ')})`);
  }
  const form = (forms[0] ?? 'present') as Form;
  if (form !== 'present' && form !== 'none') throw new ProgramInputError(`the entry's form ${form}: interleavings start from a present or a none entry`);
  const arch = Object.fromEntries(names.filter((name) => !(FORMS as readonly string[]).includes(name)).map((name) => [name, bits[name] === true]));
  return model.make(form, arch);
}

function compileOperation(
  model: EntryModel,
  library: readonly ConcurrentOperation[],
  cpu: string,
  name: string,
  args: Readonly<Record<string, OperationArg>>,
  line: number | undefined,
  vmaFlags: ReadonlySet<string>,
): CompiledOperation {
  const fail = (message: string) => new ProgramInputError(message, cpu, line);
  const op = library.find((candidate) => candidate.name === name);
  if (!op) throw fail(`unknown operation "${name}" (known: ${library.map((o) => o.name).join(', ')})`);
  for (const [arg, value] of Object.entries(args)) {
    const param = op.params.find((p) => p.name === arg);
    if (!param) throw fail(op.params.length === 0 ? `${name} takes no arguments, got ${arg}` : `${name} has no argument ${arg} (it takes ${op.params.map((p) => p.name).join(', ')})`);
    if (typeof value !== param.type) throw fail(`${name}: ${arg} must be a ${param.type}, got ${JSON.stringify(value)}`);
    if (param.values && !param.values.includes(String(value))) throw fail(`${name}: ${arg} is one of ${param.values.join(', ')}, got ${JSON.stringify(value)}`);
  }
  const { version } = model.sim.profile;
  const variant = op.variants.find((v) => inVersionRange(version, v.since, v.until));
  if (!variant) throw fail(`${name} is not modelled on kernel ${formatVersion(version)} (variants: ${op.variants.map(variantRange).join(', ')})`);
  for (const helper of variant.helpers) {
    const missing = model.missing(helper);
    if (missing) throw fail(`${name} needs ${helper} on ${model.sim.profile.name}: ${missing}`);
  }
  const lacking = (op.vmaNeeds ?? []).filter((flag) => vmaFlags.has(flag.name) !== flag.set);
  if (lacking.length > 0) throw fail(`${name} needs ${lacking.map((flag) => `${flag.why} (${flag.name} ${flag.set ? 'in' : 'not in'} the VMA flags)`).join(' and ')}`);
  const withDefaults = { ...Object.fromEntries(op.params.filter((p) => p.default !== undefined).map((p) => [p.name, p.default!])), ...args };
  return { name, line, args: withDefaults, variant, steps: new Map(variant.steps.map((s) => [s.label, s])), first: variant.steps[0]!.label };
}
