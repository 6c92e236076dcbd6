// Which functions cannot touch page-table entries, decided from their IR alone. A function
// that takes no entry or slot, calls no helper or event function and dereferences nothing
// (vma_is_anonymous, folio_needs_cow …) cannot change what its caller's entries become: it
// needs no summary, and a call to it is a call to an unknown pure function.

import type { IrExpr, IrFunction, IrStatement, IrTerminator } from '../ir';

const ENTRY_TYPES = new Set(['entry', 'slot', 'swp', 'prot', 'vmf']);

export class EntryFreeFunctions {
  private readonly entryFree = new Map<string, boolean>();

  constructor(
    /** The definition a call to `name` from the file `from` means, when there is one. */
    private readonly definition: (name: string, from?: string) => IrFunction | undefined,
    /** Helpers of the profile and the engine's event functions (flushes, locks …). */
    private readonly isModelled: (name: string) => boolean,
  ) {}

  /** True when calling `name` (from the file `from`) cannot touch an entry, a slot or a TLB/lock event. */
  isEntryFree(name: string, from?: string): boolean {
    const fn = this.definition(name, from);
    if (!fn) return false;
    // a function's calls mean what they mean in its own file
    const key = `${fn.origin ?? ''}\0${name}`;
    const known = this.entryFree.get(key);
    if (known !== undefined) return known;
    this.entryFree.set(key, false); // a cycle counts as touching entries
    const free = !fn.params.some((p) => ENTRY_TYPES.has(p.type.kind)) && !ENTRY_TYPES.has(fn.returnType.kind) && fn.blocks.every((b) => b.statements.every((s) => this.statementFree(s, fn.origin)) && this.terminatorFree(b.terminator, fn.origin));
    this.entryFree.set(key, free);
    return free;
  }

  private statementFree(statement: IrStatement, from: string | undefined): boolean {
    switch (statement.kind) {
      case 'declare':
        return !ENTRY_TYPES.has(statement.type.kind) && (!statement.init || this.exprFree(statement.init, from));
      case 'assign':
        return this.exprFree(statement.target, from) && this.exprFree(statement.value, from);
      case 'eval':
        return this.exprFree(statement.expr, from);
      case 'opaque':
        return true;
      case 'assert-state':
        return false;
    }
  }

  private terminatorFree(terminator: IrTerminator, from: string | undefined): boolean {
    switch (terminator.kind) {
      case 'goto':
      case 'fragment-end':
        return true;
      case 'branch':
        return this.exprFree(terminator.condition, from);
      case 'switch':
        return this.exprFree(terminator.value, from);
      case 'return':
        return !terminator.value || this.exprFree(terminator.value, from);
    }
  }

  private exprFree(expr: IrExpr, from: string | undefined): boolean {
    switch (expr.kind) {
      case 'call':
        return !this.isModelled(expr.callee) && (!this.definition(expr.callee, from) || this.isEntryFree(expr.callee, from)) && expr.args.every((a) => this.exprFree(a, from));
      case 'deref':
        return false;
      case 'field':
        return this.exprFree(expr.base, from);
      case 'address-of':
      case 'unary':
      case 'cast':
        return this.exprFree(expr.operand, from);
      case 'binary':
        return this.exprFree(expr.left, from) && this.exprFree(expr.right, from);
      case 'ternary':
        return this.exprFree(expr.condition, from) && this.exprFree(expr.then, from) && this.exprFree(expr.otherwise, from);
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
