// Which helpers a row calls. A row whose callees a profile lacks cannot run
// there, so the helper set leaves it out (and says why) when it is built.

import type { Level } from '../model/forms';
import { expressionCallees, parseExpression, parseStatements, statementCallees } from './dsl';
import type { HelperDef } from './types';

const cache = new WeakMap<HelperDef, Map<Level, readonly string[]>>();

/** The helpers a row's effect, return value and event guards call, `{l}` expanded. */
export function rowCallees(def: HelperDef, level: Level): readonly string[] {
  let perLevel = cache.get(def);
  if (!perLevel) {
    perLevel = new Map();
    cache.set(def, perLevel);
  }
  let callees = perLevel.get(level);
  if (!callees) {
    const expand = (text: string) => text.replace(/\{l\}/g, level);
    const found = def.kind === 'predicate' ? expressionCallees(parseExpression(expand(def.effect))) : statementCallees(parseStatements(expand(def.effect)));
    if (def.returns && def.returns !== 'old' && def.returns !== 'void') expressionCallees(parseExpression(expand(def.returns)), found);
    for (const event of def.events ?? []) if (event.when) expressionCallees(parseExpression(expand(event.when)), found);
    callees = [...found];
    perLevel.set(level, callees);
  }
  return callees;
}

/** The helpers a condition in the table language calls, `{l}` expanded. */
export function conditionCallees(condition: string, level: Level): readonly string[] {
  return [...expressionCallees(parseExpression(condition.replace(/\{l\}/g, level)))];
}
