// One function_definition → IrFunction: name, parameters, return type, CFG of the body, the
// annotations that apply to it, and a content hash. A function that cannot be lowered becomes a
// function whose body is one opaque statement saying why.

import type { Node } from 'web-tree-sitter';
import type { IrFunction, IrParam, IrType, SourceRange } from '../../../simulator/src/ir';
import { FRAGMENT_FUNCTION } from '../inputs/fragmentWrapper';
import { functionName } from '../parsing/functions';
import type { FunctionAnnotations, FunctionExtent } from './annotationPlacement';
import { contentHash } from './contentHash';
import { declaratorShape, irType, normaliseTypeName } from './cTypes';
import { BodyLowerer } from './statements';
import { callbackTablesOf, withCallbacks, type CallbackTables } from './callbacks';
import { firstKid, namedKids } from './syntax';
import type { UnitSource } from './unitSource';

export interface FunctionOptions {
  /** The unit is a wrapped patch fragment. */
  readonly fragment: boolean;
  /** The name to give the fragment wrapper's function (the function named by the @@ line). */
  readonly fragmentName: string | undefined;
}

const NO_ANNOTATIONS: FunctionAnnotations = { annotations: [], states: [], leadingText: [] };

export function functionExtent(definition: Node): FunctionExtent {
  const body = definition.childForFieldName('body');
  let firstStatementStart: number | undefined;
  if (body) {
    const first = firstKid(body);
    firstStatementStart = first ? first.startIndex : body.endIndex;
  }
  return {
    startIndex: definition.startIndex,
    endIndex: definition.endIndex,
    startLine: definition.startPosition.row,
    bodyStart: body?.startIndex,
    bodyEnd: body?.endIndex,
    firstStatementStart,
  };
}

/** Lowers one definition; never throws (a failure becomes an opaque body with the reason). */
export function lowerFunction(definition: Node, source: UnitSource, annotations: FunctionAnnotations = NO_ANNOTATIONS, options: FunctionOptions = { fragment: false, fragmentName: undefined }): IrFunction {
  const text = source.textOf(definition);
  const callbacks = safely(() => callbackTablesOf(definition), { tables: new Map(), text: [] });
  const hash = contentHash(text, options.fragment ? 'fragment' : 'whole', ...annotations.leadingText, ...callbacks.text);
  try {
    return lower(definition, source, annotations, options, hash, callbacks.tables);
  } catch (error) {
    let range: SourceRange;
    try {
      range = source.rangeOf(definition);
    } catch {
      const start = definition.startPosition;
      range = { start: { line: start.row, character: start.column }, end: { line: start.row, character: start.column } };
    }
    const message = error instanceof RangeError ? 'the function is nested too deeply to lower' : (error as Error)?.message ?? String(error);
    return {
      name: safeName(definition),
      params: [],
      returnType: { kind: 'other', text: '?' },
      blocks: [{ id: 0, statements: [{ kind: 'opaque', text, reason: `lowering failed: ${message}`, range }], terminator: { kind: 'return', range } }],
      entry: 0,
      range,
      nameRange: range,
      fragment: options.fragment,
      annotations: annotations.annotations,
      contentHash: hash,
    };
  }
}

function lower(definition: Node, source: UnitSource, annotations: FunctionAnnotations, options: FunctionOptions, hash: string, callbacks: CallbackTables): IrFunction {
  const signature = signatureOf(definition);
  const nameNode = signature.function?.childForFieldName('declarator');
  let name = safeName(definition);
  const range = source.rangeOf(definition);
  const isWrapper = name === FRAGMENT_FUNCTION;
  const fragment =
    options.fragment && (isWrapper || !source.isMapped(definition.startPosition.row) || !source.isMapped(definition.endPosition.row));
  if (isWrapper && options.fragmentName) name = options.fragmentName;
  const typeNode = definition.childForFieldName('type');
  const returnType: IrType = typeNode ? irType(source.textOf(typeNode), signature.pointers) : { kind: 'int' }; // implicit int
  const params = signature.function ? parameters(signature.function, source) : [];
  const body = definition.childForFieldName('body');
  const lowered = body
    ? new BodyLowerer(source, fragment, annotations.states).lower(body)
    : { blocks: [{ id: 0, statements: [], terminator: { kind: 'return' as const, range } }], entry: 0 };
  return {
    name,
    params,
    returnType,
    blocks: withCallbacks(lowered.blocks, callbacks),
    entry: lowered.entry,
    range,
    nameRange: nameNode?.type === 'identifier' ? source.rangeOf(nameNode) : range,
    fragment,
    annotations: annotations.annotations,
    contentHash: hash,
  };
}

/** The function declarator and the `*`s in front of it (they belong to the return type). */
function signatureOf(definition: Node): { function: Node | undefined; pointers: number } {
  let pointers = 0;
  let node = definition.childForFieldName('declarator');
  for (let depth = 0; node && depth < 16; depth++) {
    if (node.type === 'function_declarator') return { function: node, pointers };
    if (node.type === 'pointer_declarator') pointers++;
    node = node.childForFieldName('declarator') ?? namedKids(node)[0] ?? null;
  }
  return { function: undefined, pointers };
}

function parameters(declarator: Node, source: UnitSource): IrParam[] {
  const list = declarator.childForFieldName('parameters');
  if (!list) return [];
  const params: IrParam[] = [];
  for (const param of namedKids(list)) {
    if (param.type !== 'parameter_declaration') continue; // `...`, K&R identifiers
    const typeNode = param.childForFieldName('type');
    const shape = declaratorShape(param.childForFieldName('declarator'));
    const base = typeNode ? source.textOf(typeNode) : '';
    if (!shape.name && shape.pointers === 0 && normaliseTypeName(base) === 'void') continue; // f(void)
    const type: IrType = shape.function ? { kind: 'other', text: `${normaliseTypeName(base)} (function)` } : irType(base, shape.pointers, shape.array);
    params.push({ name: shape.name ? source.textOf(shape.name) : '', type, range: source.rangeOf(param) });
  }
  return params;
}

function safeName(definition: Node): string {
  try {
    return functionName(definition) ?? '(unnamed)';
  } catch {
    return '(unnamed)';
  }
}

function safely<T>(run: () => T, fallback: T): T {
  try {
    return run();
  } catch {
    return fallback;
  }
}
