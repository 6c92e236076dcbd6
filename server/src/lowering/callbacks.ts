// Functions a call hands on to be called back. mm code passes tables of callbacks to walkers:
//
//   static const struct mm_walk_ops cold_walk_ops = { .pmd_entry = cold_pte_range };
//   walk_page_range(vma->vm_mm, start, end, &cold_walk_ops, &private);
//
//   struct rmap_walk_control rwc = { .rmap_one = unmap_one, .arg = (void *)flags };
//   rmap_walk(folio, &rwc);
//
// The callbacks run inside that call, with the caller's locks, mmu_gather and VMA: after the
// call, the lowered function calls each of them (arguments unknown), so that they are summarised
// before it, judged with its facts, and are no roots of their own. A table is a struct
// initializer (in the file, or local to the function) whose designated members name functions
// defined in the same file.

import type { Node, Tree } from 'web-tree-sitter';
import type { IrBlock, IrExpr, IrStatement } from '../../../simulator/src/ir';
import { statementExpressions, terminatorExpressions } from '../../../simulator/src/irWalk';
import { fileDeclarations, functionDefinitions } from './definitions';
import { functionName } from '../parsing/functions';
import { declaratorShape, normaliseTypeName } from './cTypes';
import { namedKids } from './syntax';
import { contentHash } from './contentHash';

export interface Callback {
  readonly name: string;
  readonly params: readonly string[];
}

/** Callback tables by the name of the variable holding them. */
export type CallbackTables = ReadonlyMap<string, readonly Callback[]>;

interface FileCallbacks {
  readonly functions: ReadonlyMap<string, readonly string[]>;
  readonly tables: CallbackTables;
  /** The tables' text, for the content hash of the functions that use them. */
  readonly text: ReadonlyMap<string, string>;
}

const perTree = new WeakMap<Tree, FileCallbacks>();

function fileCallbacks(root: Node): FileCallbacks {
  const known = perTree.get(root.tree);
  if (known) return known;
  const functions = new Map<string, readonly string[]>();
  for (const definition of functionDefinitions(root)) {
    const signature = signatureOf(definition);
    if (signature.name) functions.set(signature.name, signature.params);
  }
  const tables = new Map<string, Callback[]>();
  const text = new Map<string, string>();
  for (const declaration of fileDeclarations(root)) collectTables(declaration, functions, tables, text);
  const result = { functions, tables, text };
  perTree.set(root.tree, result);
  return result;
}

interface Signature {
  readonly name: string | undefined;
  readonly params: readonly string[];
}

/** Signatures by the hash of their definition's text: a file is read again at every edit, and most of its definitions did not change. */
const signatures = new Map<string, Signature>();
const MAX_SIGNATURES = 20_000;

function signatureOf(definition: Node): Signature {
  const key = contentHash(definition.text);
  let signature = signatures.get(key);
  if (!signature) {
    if (signatures.size >= MAX_SIGNATURES) signatures.clear();
    signature = { name: functionName(definition), params: parameterNames(definition) };
    signatures.set(key, signature);
  }
  return signature;
}

/** A definition's parameter names, as the lowering reads them (declaratorShape; `f(void)` has none). */
function parameterNames(definition: Node): string[] {
  let declarator = definition.childForFieldName('declarator');
  for (let depth = 0; declarator && declarator.type !== 'function_declarator' && depth < 16; depth++) declarator = declarator.childForFieldName('declarator');
  const list = declarator?.childForFieldName('parameters');
  if (!list) return [];
  return namedKids(list).flatMap((param, i) => {
    if (param.type !== 'parameter_declaration') return [];
    const shape = declaratorShape(param.childForFieldName('declarator'));
    if (!shape.name && shape.pointers === 0 && normaliseTypeName(param.childForFieldName('type')?.text ?? '') === 'void') return [];
    return [shape.name?.text ?? `arg${i}`];
  });
}

/** The tables a declaration makes: `name = { .member = function, … }`. */
function collectTables(declaration: Node, functions: ReadonlyMap<string, readonly string[]>, tables: Map<string, Callback[]>, text: Map<string, string>): void {
  for (const init of declaration.namedChildren) {
    if (init.type !== 'init_declarator') continue;
    const { name, value } = declaratorShape(init);
    if (!value || value.type !== 'initializer_list' || !name) continue;
    const callbacks: Callback[] = [];
    for (const pair of value.namedChildren) {
      if (pair.type !== 'initializer_pair') continue;
      const member = pair.childForFieldName('value');
      const params = member?.type === 'identifier' ? functions.get(member.text) : undefined;
      if (member && params) callbacks.push({ name: member.text, params });
    }
    if (callbacks.length > 0) {
      tables.set(name.text, callbacks);
      text.set(name.text, declaration.text);
    }
  }
}

/**
 * The callback tables `definition` uses (its own locals, then the file's), with their text:
 * a change to a table changes what the function calls.
 */
export function callbackTablesOf(definition: Node): { tables: CallbackTables; text: string[] } {
  const file = fileCallbacks(definition.tree.rootNode);
  const body = definition.childForFieldName('body');
  const tables = new Map<string, readonly Callback[]>();
  const text: string[] = [];
  if (!body) return { tables, text };
  // lowered for every function, often: plain text tests first, the syntax tree only where a table can be
  const bodyText = body.text;
  const local = new Map<string, Callback[]>();
  const localText = new Map<string, string>();
  if (/=\s*\{/.test(bodyText)) for (const declaration of body.descendantsOfType('declaration')) if (declaration) collectTables(declaration, file.functions, local, localText);
  for (const [name, callbacks] of [...file.tables, ...local]) {
    if (!new RegExp(`\\b${name}\\b`).test(bodyText)) continue;
    tables.set(name, callbacks);
    text.push(localText.get(name) ?? file.text.get(name)!);
  }
  return { tables, text };
}

/** The table a call argument names (`&ops`, `ops`), if any. */
function tableArgument(arg: IrExpr, tables: CallbackTables): readonly Callback[] | undefined {
  const named = arg.kind === 'address-of' ? arg.operand : arg;
  return named.kind === 'var' ? tables.get(named.name) : undefined;
}

/**
 * Each statement with a call handed a table is followed by a call of each of its callbacks; a
 * call in the block's terminator (`return walk_page_range(…)`, `if (rmap_walk(…))`) has them
 * at the end of the block, just before it.
 */
export function withCallbacks(blocks: readonly IrBlock[], tables: CallbackTables): IrBlock[] {
  if (tables.size === 0) return [...blocks];
  return blocks.map((block) => {
    const statements = block.statements.flatMap((statement) => [statement, ...callbacksIn(statementExpressions(statement), tables).map(callOf)]);
    statements.push(...callbacksIn(terminatorExpressions(block.terminator), tables).map(callOf));
    return statements.length === block.statements.length ? block : { ...block, statements };
  });
}

interface CallbackUse {
  readonly callback: Callback;
  readonly at: Extract<IrExpr, { kind: 'call' }>;
}

function callbacksIn(expressions: Iterable<IrExpr>, tables: CallbackTables): CallbackUse[] {
  const found: CallbackUse[] = [];
  for (const expr of expressions) {
    if (expr.kind !== 'call') continue;
    for (const arg of expr.args) for (const callback of tableArgument(arg, tables) ?? []) found.push({ callback, at: expr });
  }
  return found;
}

function callOf({ callback, at }: CallbackUse): IrStatement {
  const args: IrExpr[] = callback.params.map((param) => ({ kind: 'opaque', text: `${callback.name}:${param}`, range: at.range }));
  return { kind: 'eval', expr: { kind: 'call', callee: callback.name, args, range: at.range }, range: at.range };
}
