// Which variables a path may still read from a block on: every name mentioned in a block it can
// reach (the block itself included). A path's other locals change nothing it does from there,
// so two paths that meet and differ only in them go on as one (paths.ts). Conservative: an
// assignment does not end a variable's life, a mention anywhere ahead keeps it.

import { successors, type BlockId, type IrFunction, type IrStatement } from '../ir';
import { statementExpressions, subexpressions, terminatorExpressions } from '../irWalk';

/** For each block, the variables mentioned from it on. */
export type LiveNames = ReadonlyMap<BlockId, ReadonlySet<string>>;

const cache = new WeakMap<IrFunction, LiveNames>();

export function liveNames(fn: IrFunction): LiveNames {
  let live = cache.get(fn);
  if (!live) {
    live = findLiveNames(fn);
    cache.set(fn, live);
  }
  return live;
}

/** Whether a local's key is a variable of the function (not a member or a pointee kept by its text, `vmf->pte`, `*ptep`): only those can be out of use. */
export function isVariableKey(key: string): boolean {
  return /^[A-Za-z_]\w*$/.test(key);
}

function findLiveNames(fn: IrFunction): LiveNames {
  const mentioned = new Map<BlockId, Set<string>>();
  const next = new Map<BlockId, BlockId[]>();
  for (const block of fn.blocks) {
    const names = new Set<string>();
    for (const statement of block.statements) addStatementNames(statement, names);
    for (const expr of terminatorExpressions(block.terminator)) addExprName(expr, names);
    mentioned.set(block.id, names);
    next.set(block.id, successors(block.terminator));
  }
  // names mentioned ahead flow back along the edges until nothing changes (loops included)
  const live = new Map<BlockId, Set<string>>([...mentioned].map(([id, names]) => [id, new Set(names)]));
  let changed = true;
  while (changed) {
    changed = false;
    for (const block of fn.blocks) {
      const own = live.get(block.id)!;
      for (const successor of next.get(block.id) ?? []) {
        for (const name of live.get(successor) ?? []) {
          if (own.has(name)) continue;
          own.add(name);
          changed = true;
        }
      }
    }
  }
  return live;
}

function addStatementNames(statement: IrStatement, names: Set<string>): void {
  if (statement.kind === 'declare') names.add(statement.name);
  if (statement.kind === 'opaque') addTextNames(statement.text, names);
  if (statement.kind === 'assert-state' && statement.annotation.subject) names.add(statement.annotation.subject);
  for (const expr of statementExpressions(statement)) addExprName(expr, names);
}

function addExprName(expr: Parameters<typeof subexpressions>[0], names: Set<string>): void {
  if (expr.kind === 'var') names.add(expr.name);
  else if (expr.kind === 'opaque') addTextNames(expr.text, names);
}

/** Text the lowering could not read may name any variable. */
function addTextNames(text: string, names: Set<string>): void {
  for (const word of text.match(/[A-Za-z_]\w*/g) ?? []) names.add(word);
}
