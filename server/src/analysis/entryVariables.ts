// The entry-typed variables of a function (pte_t, pmd_t, pud_t, swp_entry_t) and where each
// gets its value, read from the IR: what the hover of a variable lists.

import { printExpr, type IrExpr, type IrFunction, type IrType, type SourceRange } from '../../../simulator/src';

export interface EntryAssignment {
  /** The assigned expression, e.g. `pte_mkwrite(pte, vma)`. */
  readonly text: string;
  readonly range: SourceRange;
  /** When the value is a call: its name. */
  readonly callee?: string;
}

export interface EntryVariable {
  readonly name: string;
  readonly type: IrType;
  readonly parameter: boolean;
  readonly assignments: readonly EntryAssignment[];
}

const isEntryType = (type: IrType) => type.kind === 'entry' || type.kind === 'swp';

export function entryVariable(fn: IrFunction, name: string): EntryVariable | undefined {
  const param = fn.params.find((p) => p.name === name);
  let type: IrType | undefined = param?.type;
  const assignments: EntryAssignment[] = [];
  const assigned = (value: IrExpr) => {
    const call = value.kind === 'cast' ? value.operand : value;
    assignments.push({ text: printExpr(value), range: value.range, ...(call.kind === 'call' ? { callee: call.callee } : {}) });
  };
  for (const block of fn.blocks) {
    for (const statement of block.statements) {
      if (statement.kind === 'declare' && statement.name === name) {
        type ??= statement.type;
        if (statement.init) assigned(statement.init);
      } else if (statement.kind === 'assign' && statement.target.kind === 'var' && statement.target.name === name) {
        assigned(statement.value);
      }
    }
  }
  if (!type || !isEntryType(type)) return undefined;
  assignments.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { name, type, parameter: param !== undefined, assignments };
}
