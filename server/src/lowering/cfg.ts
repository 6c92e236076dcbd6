// Builds one function's control-flow graph: blocks are opened, filled with statements and
// closed with a terminator. Code after a `return`/`goto`/`break` lands in a fresh block that
// nothing jumps to (dead code is kept, not dropped). `finish` threads jumps through empty
// blocks, removes empty blocks nothing reaches, and numbers blocks in source order.

import { successors, type BlockId, type IrBlock, type IrStatement, type IrTerminator, type SourceRange } from '../../../simulator/src/ir';

interface MutableBlock {
  readonly id: BlockId;
  readonly statements: IrStatement[];
  terminator: IrTerminator | undefined;
  loopHeader: boolean;
  /** When the block was first opened; blocks never opened sort last. */
  order: number;
}

export class CfgBuilder {
  private readonly blocks: MutableBlock[] = [];
  private current: BlockId | undefined;
  private opened = 0;
  readonly entry: BlockId;

  constructor() {
    this.entry = this.newBlock();
    this.open(this.entry);
  }

  newBlock(loopHeader = false): BlockId {
    const id = this.blocks.length;
    this.blocks.push({ id, statements: [], terminator: undefined, loopHeader, order: Number.MAX_SAFE_INTEGER });
    return id;
  }

  /** Whether code at this point can be reached (the current block is open). */
  get reachable(): boolean {
    return this.current !== undefined;
  }

  /** The open block, opening a new unreachable one when the last was closed. */
  currentBlock(): BlockId {
    if (this.current === undefined) {
      const dead = this.newBlock();
      this.open(dead);
    }
    return this.current!;
  }

  emit(statement: IrStatement): void {
    this.blocks[this.currentBlock()]!.statements.push(statement);
  }

  emitAll(statements: readonly IrStatement[]): void {
    for (const statement of statements) this.emit(statement);
  }

  /** Closes the open block with `terminator`. */
  terminate(terminator: IrTerminator): void {
    const block = this.blocks[this.currentBlock()]!;
    block.terminator = terminator;
    this.current = undefined;
  }

  jump(target: BlockId, range?: SourceRange): void {
    if (this.current === undefined) return;
    this.terminate(range ? { kind: 'goto', target, range } : { kind: 'goto', target });
  }

  /** Continues in `block`: the open block (if any) falls through to it. */
  startBlock(block: BlockId): void {
    if (this.current !== undefined && this.current !== block) this.jump(block);
    this.open(block);
  }

  /** Sets the terminator of a block closed earlier (a switch's dispatch). */
  setTerminator(block: BlockId, terminator: IrTerminator): void {
    this.blocks[block]!.terminator = terminator;
    if (this.current === block) this.current = undefined;
  }

  isEmpty(block: BlockId): boolean {
    return this.blocks[block]!.statements.length === 0;
  }

  get currentId(): BlockId | undefined {
    return this.current;
  }

  private open(block: BlockId): void {
    const b = this.blocks[block]!;
    if (b.order === Number.MAX_SAFE_INTEGER) b.order = this.opened++;
    this.current = block;
  }

  /**
   * Closes the open block with `end` and returns the blocks, simplified and renumbered, and the
   * entry id. `unterminated` closes blocks nothing ever closed (labels never defined).
   */
  finish(end: (open: 'fallthrough' | 'unterminated') => IrTerminator): { blocks: IrBlock[]; entry: BlockId } {
    if (this.current !== undefined) this.terminate(end('fallthrough'));
    for (const block of this.blocks) block.terminator ??= end('unterminated');

    // thread jumps through empty blocks that only jump on
    const forward = new Map<BlockId, BlockId>();
    for (const block of this.blocks) {
      const t = block.terminator!;
      if (block.statements.length === 0 && !block.loopHeader && t.kind === 'goto' && t.target !== block.id) forward.set(block.id, t.target);
    }
    const resolve = (id: BlockId): BlockId => {
      let target = id;
      for (let steps = 0; forward.has(target) && steps <= forward.size; steps++) target = forward.get(target)!;
      return forward.has(target) ? id : target; // a cycle of empty gotos stays as it is
    };
    for (const block of this.blocks) block.terminator = retarget(block.terminator!, resolve);
    const entry = resolve(this.entry);

    // keep what the entry reaches, and dead code (blocks with statements) with what it reaches
    const keep = new Set<BlockId>();
    const stack = [entry, ...this.blocks.filter((b) => b.statements.length > 0).map((b) => b.id)];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (keep.has(id)) continue;
      keep.add(id);
      for (const target of successors(this.blocks[id]!.terminator!)) stack.push(target);
    }

    // merge a block into the one before it when that is its only way in (straight-line code)
    const predecessors = new Map<BlockId, number>();
    for (const id of keep) for (const target of successors(this.blocks[id]!.terminator!)) predecessors.set(target, (predecessors.get(target) ?? 0) + 1);
    const merged = new Set<BlockId>();
    for (const block of [...this.blocks].sort((a, b) => a.order - b.order || a.id - b.id)) {
      if (!keep.has(block.id) || merged.has(block.id)) continue;
      for (let steps = 0; steps < this.blocks.length; steps++) {
        const t = block.terminator!;
        if (t.kind !== 'goto' || t.target === block.id || t.target === entry) break;
        const next = this.blocks[t.target]!;
        if (next.loopHeader || predecessors.get(next.id) !== 1 || merged.has(next.id)) break;
        block.statements.push(...next.statements);
        block.terminator = next.terminator;
        merged.add(next.id);
      }
    }
    for (const id of merged) keep.delete(id);

    const kept = this.blocks.filter((b) => keep.has(b.id)).sort((a, b) => (a.id === entry ? -1 : b.id === entry ? 1 : a.order - b.order || a.id - b.id));
    const renumber = new Map(kept.map((b, i) => [b.id, i]));
    const blocks = kept.map((b, i): IrBlock => {
      const terminator = retarget(b.terminator!, (id) => renumber.get(id)!);
      return b.loopHeader ? { id: i, statements: b.statements, terminator, loopHeader: true } : { id: i, statements: b.statements, terminator };
    });
    return { blocks, entry: 0 };
  }
}

function retarget(terminator: IrTerminator, map: (id: BlockId) => BlockId): IrTerminator {
  switch (terminator.kind) {
    case 'goto':
      return { ...terminator, target: map(terminator.target) };
    case 'branch':
      return { ...terminator, then: map(terminator.then), otherwise: map(terminator.otherwise) };
    case 'switch':
      return { ...terminator, cases: terminator.cases.map((c) => ({ values: c.values, target: map(c.target) })) };
    default:
      return terminator;
  }
}
