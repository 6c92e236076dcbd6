// Which functions cannot touch page-table entries, decided from their IR alone. A function
// that takes no entry or slot, calls no helper or event function and dereferences nothing
// (vma_is_anonymous, folio_needs_cow …) cannot change what its caller's entries become: it
// needs no summary, and a call to it is a call to an unknown pure function.

import type { IrExpr, IrFunction, IrStatement, IrTerminator } from '../ir';

const ENTRY_TYPES = new Set(['entry', 'slot', 'swp', 'prot', 'vmf']);

export class EntryFreeFunctions {
  private readonly entryFree = new Map<string, boolean>();

  constructor(
    /** The definition of a name, when there is one. */
    private readonly definition: (name: string) => IrFunction | undefined,
    /** Helpers of the profile and the engine's event functions (flushes, locks …). */
    private readonly isModelled: (name: string) => boolean,
  ) {}

  /** True when calling `name` cannot touch an entry, a slot or a TLB/lock event. */
  isEntryFree(name: string): boolean {
    const known = this.entryFree.get(name);
    if (known !== undefined) return known;
    const fn = this.definition(name);
    if (!fn) return false;
    this.entryFree.set(name, false); // a cycle counts as touching entries
    const free = !fn.params.some((p) => ENTRY_TYPES.has(p.type.kind)) && !ENTRY_TYPES.has(fn.returnType.kind) && fn.blocks.every((b) => b.statements.every((s) => this.statementFree(s)) && this.terminatorFree(b.terminator));
    this.entryFree.set(name, free);
    return free;
  }

  private statementFree(statement: IrStatement): boolean {
    switch (statement.kind) {
      case 'declare':
        return !ENTRY_TYPES.has(statement.type.kind) && (!statement.init || this.exprFree(statement.init));
      case 'assign':
        return this.exprFree(statement.target) && this.exprFree(statement.value);
      case 'eval':
        return this.exprFree(statement.expr);
      case 'opaque':
        return true;
      case 'assert-state':
        return false;
    }
  }

  private terminatorFree(terminator: IrTerminator): boolean {
    switch (terminator.kind) {
      case 'goto':
      case 'fragment-end':
        return true;
      case 'branch':
        return this.exprFree(terminator.condition);
      case 'switch':
        return this.exprFree(terminator.value);
      case 'return':
        return !terminator.value || this.exprFree(terminator.value);
    }
  }

  private exprFree(expr: IrExpr): boolean {
    switch (expr.kind) {
      case 'call':
        return !this.isModelled(expr.callee) && (!this.definition(expr.callee) || this.isEntryFree(expr.callee)) && expr.args.every((a) => this.exprFree(a));
      case 'deref':
        return false;
      case 'field':
        return this.exprFree(expr.base);
      case 'address-of':
      case 'unary':
      case 'cast':
        return this.exprFree(expr.operand);
      case 'binary':
        return this.exprFree(expr.left) && this.exprFree(expr.right);
      case 'ternary':
        return this.exprFree(expr.condition) && this.exprFree(expr.then) && this.exprFree(expr.otherwise);
      case 'var':
      case 'number':
      case 'bool':
      case 'constant':
      case 'config':
      case 'opaque':
        return true;
    }
  }
}
