// A few lines of IR read like the C they stand for. Line numbers are the
// only positions tests care about.
import type { IrBlock, IrExpr, IrFunction, IrStatement, IrTerminator, IrType, SourceRange } from '../../../simulator/src';

export const at = (line: number): SourceRange => ({ start: { line, character: 0 }, end: { line, character: 1 } });

export const v = (name: string, line = 0): IrExpr => ({ kind: 'var', name, range: at(line) });
export const k = (name: string, line = 0): IrExpr => ({ kind: 'constant', name, range: at(line) });
export const call = (callee: string, args: IrExpr[], line = 0): IrExpr => ({ kind: 'call', callee, args, range: at(line) });
export const arrow = (base: IrExpr, field: string, line = 0): IrExpr => ({ kind: 'field', base, field, arrow: true, range: at(line) });
export const not = (operand: IrExpr, line = 0): IrExpr => ({ kind: 'unary', op: '!', operand, range: at(line) });
export const band = (left: IrExpr, right: IrExpr, line = 0): IrExpr => ({ kind: 'binary', op: '&', left, right, range: at(line) });

export const assign = (name: string, value: IrExpr, line = 0): IrStatement => ({ kind: 'assign', target: { kind: 'var', name, range: at(line) }, value, range: at(line) });
export const run = (expr: IrExpr, line = 0): IrStatement => ({ kind: 'eval', expr, range: at(line) });
export const declare = (name: string, type: IrType, init: IrExpr | undefined, line = 0): IrStatement => ({ kind: 'declare', name, type, ...(init ? { init } : {}), range: at(line) });

export const block = (id: number, statements: IrStatement[], terminator: IrTerminator, loopHeader = false): IrBlock => ({ id, statements, terminator, ...(loopHeader ? { loopHeader } : {}) });
export const goto = (target: number): IrTerminator => ({ kind: 'goto', target });
export const branch = (condition: IrExpr, then: number, otherwise: number, line = 0): IrTerminator => ({ kind: 'branch', condition, then, otherwise, range: at(line) });
export const ret = (value?: IrExpr, line = 0): IrTerminator => ({ kind: 'return', ...(value ? { value } : {}), range: at(line) });
export const fragmentEnd = (line = 0): IrTerminator => ({ kind: 'fragment-end', range: at(line) });

export const T = {
  pte: { kind: 'entry', level: 'pte' } as IrType,
  pmd: { kind: 'entry', level: 'pmd' } as IrType,
  ptep: { kind: 'slot', level: 'pte' } as IrType,
  pmdp: { kind: 'slot', level: 'pmd' } as IrType,
  vma: { kind: 'vma' } as IrType,
  mm: { kind: 'mm' } as IrType,
  swp: { kind: 'swp' } as IrType,
  prot: { kind: 'prot' } as IrType,
  bool: { kind: 'bool' } as IrType,
  int: { kind: 'int' } as IrType,
};

export function fn(name: string, params: Array<[string, IrType]>, blocks: IrBlock[], options: Partial<IrFunction> = {}): IrFunction {
  return {
    name,
    params: params.map(([p, type]) => ({ name: p, type, range: at(0) })),
    returnType: { kind: 'other', text: 'void' },
    blocks,
    entry: blocks[0]!.id,
    range: at(0),
    nameRange: at(0),
    fragment: false,
    annotations: [],
    contentHash: name,
    ...options,
  };
}
