// Where the server benches type: the ends of statements inside function bodies, so that each
// edit changes one function and keeps the file parseable.

/** 0-based lines of `lines` that are a tab-indented statement ending in `;`. */
export function statementLines(lines: readonly string[]): number[] {
  return lines.flatMap((line, index) => (/^\t\w.*;$/.test(line) ? [index] : []));
}

/** Positions on page-table helper calls (`pte_mk…`, `pmd_mk…`, `set_pte_at` …), for hovers. */
export function helperCallPositions(lines: readonly string[]): Array<{ line: number; character: number }> {
  return lines.flatMap((line, index) => {
    const at = line.search(/\b(pte|pmd)_mk\w+\(|\bset_pte_at\(|\bptep_set_wrprotect\(/);
    return at >= 0 ? [{ line: index, character: at + 2 }] : [];
  });
}

/** Types one space before the `;` of `line`, in place; returns the LSP change. */
export function typeSpaceBeforeSemicolon(lines: string[], line: number) {
  const character = lines[line]!.length - 1;
  lines[line] = `${lines[line]!.slice(0, character)} ${lines[line]!.slice(character)}`;
  return { range: { start: { line, character }, end: { line, character } }, text: ' ' };
}
