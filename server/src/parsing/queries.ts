// Tree-sitter queries, compiled once per language and kept for the life of the process.

import { Query, type Language } from 'web-tree-sitter';

/** Query sources by name. Captures are named after what they capture. */
export const QUERY_SOURCES = {
  /** Every function definition, at any depth (a nested one is a recovery artefact). */
  functionDefinitions: '(function_definition) @function',
} as const;

export type QueryName = keyof typeof QUERY_SOURCES;

const compiled = new WeakMap<Language, Map<QueryName, Query>>();

/** The compiled query `name` for `language`, compiling it on first use only. */
export function query(language: Language, name: QueryName): Query {
  let byName = compiled.get(language);
  if (!byName) {
    byName = new Map();
    compiled.set(language, byName);
  }
  let q = byName.get(name);
  if (!q) {
    q = new Query(language, QUERY_SOURCES[name]);
    byName.set(name, q);
  }
  return q;
}

/** How many queries have been compiled for `language` (tests use it to check reuse). */
export function compiledQueryCount(language: Language): number {
  return compiled.get(language)?.size ?? 0;
}
