// A function body → CFG: the statement sequence, the dispatch on statement kinds, declarations,
// expression statements, jumps (return, break, continue, goto, labels) and the placement of
// `@mm state` assertions. Branches (branches.ts), conditions (conditions.ts) and loops
// (loops.ts) are lowered by functions that receive this lowerer as their BodyContext.
// Nothing is dropped: what is not understood becomes an opaque statement with a reason.

import type { Node } from 'web-tree-sitter';
import type { BlockId, IrBlock, IrExpr, SourceRange } from '../../../simulator/src/ir';
import type { BodyContext, JumpScope, PendingState } from './bodyContext';
import { caseLabel, conditionalRegion, ifStatement, switchStatement } from './branches';
import { CfgBuilder } from './cfg';
import { conditionalEffect } from './conditions';
import { declaredType, declaratorShape, normaliseTypeName } from './cTypes';
import { ExpressionLowerer, noEffects } from './expressions';
import { iteratorAt } from './iteratorMacros';
import { doLoop, forLoop, iteratorLoop, nestedDefinition, whileLoop } from './loops';
import { firstKid, isStatementExpression, namedKids, STATEMENT_KEYWORDS } from './syntax';
import type { UnitSource } from './unitSource';

export type { PendingState } from './bodyContext';

interface Label {
  readonly block: BlockId;
  defined: boolean;
  readonly name: string;
  firstUse: SourceRange | undefined;
}

/** Deeper statement nesting is kept as opaque text (the JavaScript stack is the limit otherwise). */
export const MAX_STATEMENT_DEPTH = 200;

/** Statement-level constructs that only matter at compile time. */
const COMPILE_TIME = new Set(['struct_specifier', 'union_specifier', 'enum_specifier', 'preproc_def', 'preproc_function_def', 'preproc_call', 'preproc_include', 'type_definition', 'static_assert_declaration', 'attribute_declaration']);

export interface BodyLowering {
  readonly blocks: IrBlock[];
  readonly entry: BlockId;
}

export class BodyLowerer implements BodyContext {
  readonly cfg = new CfgBuilder();
  /** The text being lowered: the unit, or for a reparsed stretch, the snippet (see `withSource`). */
  source: UnitSource;
  exprs: ExpressionLowerer;
  private readonly scopes: JumpScope[] = [];
  private readonly labels = new Map<string, Label>();
  private nextState = 0;
  private depth = 0;
  /** Lowering a reparsed stretch: its offsets are not unit offsets, so states wait. */
  private foreign = false;

  constructor(
    source: UnitSource,
    private readonly fragment: boolean,
    private readonly states: readonly PendingState[],
  ) {
    this.source = source;
    this.exprs = new ExpressionLowerer(source);
  }

  /** Lowers a function body (a compound statement); falling off its end returns (or ends the fragment). */
  lower(body: Node): BodyLowering {
    this.statement(body);
    this.flushStates(Number.MAX_SAFE_INTEGER);
    const closing = this.source.rangeOfOffsets(Math.max(body.startIndex, body.endIndex - 1), body.endIndex);
    if (this.cfg.reachable) this.cfg.terminate(this.fragment ? { kind: 'fragment-end', range: closing } : { kind: 'return', range: closing });
    for (const label of this.labels.values()) {
      if (label.defined) continue;
      this.cfg.startBlock(label.block);
      const range = label.firstUse ?? closing;
      if (!this.fragment) this.cfg.emit({ kind: 'opaque', text: `goto ${label.name}`, reason: `label "${label.name}" is not defined in this function`, range });
      this.cfg.terminate({ kind: 'fragment-end', range });
    }
    return this.cfg.finish(() => ({ kind: 'fragment-end', range: closing }));
  }

  // ---- sequences and statements -------------------------------------------------------------

  /** Lowers statements in order, recognising iterator macros that span two of them. */
  sequence(nodes: readonly Node[]): void {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const type = node.type;
      if (type === 'labeled_statement' || type === 'case_statement') {
        // a state comment on its own line before a label applies at the label, after the jump in
        this.flushStates(node.startIndex, node.startPosition.row);
      } else {
        this.flushStates(node.startIndex);
      }
      const iterator = iteratorAt(nodes, i, this.source.text);
      if (iterator) {
        i += iteratorLoop(this, iterator, nodes, i) - 1;
        continue;
      }
      if (type === 'labeled_statement') {
        i += this.labeled(node, nodes[i + 1]) - 1;
        continue;
      }
      this.statement(node, type);
    }
  }

  statement(node: Node, type: string = node.type): void {
    if (this.depth >= MAX_STATEMENT_DEPTH) return this.opaqueStatement(node, 'statements nested too deeply to lower');
    this.depth++;
    try {
      this.lowerStatement(node, type);
    } finally {
      this.depth--;
    }
  }

  private lowerStatement(node: Node, type: string): void {
    switch (type) {
      case 'compound_statement':
        this.sequence(namedKids(node, this.source.text));
        this.flushStates(node.endIndex - 1);
        return;
      case 'declaration':
        return this.declaration(node);
      case 'expression_statement': {
        const expression = firstKid(node, this.source.text);
        if (expression) this.effect(expression);
        return;
      }
      case 'if_statement':
        return ifStatement(this, node);
      case 'switch_statement':
        return switchStatement(this, node);
      case 'case_statement':
        return caseLabel(this, node);
      case 'while_statement':
        return whileLoop(this, node);
      case 'do_statement':
        return doLoop(this, node);
      case 'for_statement':
        return forLoop(this, node);
      case 'return_statement':
        return this.returnStatement(node);
      case 'break_statement':
      case 'continue_statement':
        return this.breakOrContinue(node);
      case 'goto_statement':
        return this.gotoStatement(node);
      case 'labeled_statement':
        this.labeled(node);
        return;
      case 'preproc_if':
      case 'preproc_ifdef':
        return conditionalRegion(this, node);
      case 'attributed_statement':
        this.sequence(namedKids(node, this.source.text).filter((k) => k.type !== 'attribute_declaration'));
        return;
      case 'comment':
        return;
      case 'ERROR':
        return this.damaged(node);
      case 'function_definition':
        return nestedDefinition(this, node);
      default:
        if (COMPILE_TIME.has(node.type)) return;
        return this.opaqueStatement(node, `unsupported statement (${node.type.replace(/_/g, ' ')})`);
    }
  }

  opaqueStatement(node: Node, reason: string): void {
    this.cfg.emit({ kind: 'opaque', text: this.source.textOf(node), reason, range: this.source.rangeOf(node) });
  }

  /** An ERROR node: the statements tree-sitter still found inside are lowered, the rest kept as opaque text. */
  private damaged(node: Node): void {
    let run: Node[] = [];
    const flush = (): void => {
      const meaningful = run.filter((n) => n.isNamed || !/^[;,{}()[\]]$/.test(n.type));
      if (meaningful.length > 0) {
        const first = meaningful[0]!;
        const last = meaningful[meaningful.length - 1]!;
        this.cfg.emit({ kind: 'opaque', text: this.source.slice(first.startIndex, last.endIndex), reason: 'syntax error: the parser could not read this', range: this.source.rangeBetween(first, last) });
      }
      run = [];
    };
    const children = node.children.filter((c) => c.type !== 'comment');
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      const isStatement = child.isNamed && (/_statement$/.test(child.type) || child.type === 'declaration' || /^preproc_(if|ifdef)$/.test(child.type));
      if (!isStatement) {
        run.push(child);
        continue;
      }
      flush();
      this.flushStates(child.startIndex);
      const iterator = iteratorAt(children, i, this.source.text);
      if (iterator) i += iteratorLoop(this, iterator, children, i) - 1;
      else this.statement(child);
    }
    flush();
  }

  private declaration(node: Node): void {
    const typeNode = node.childForFieldName('type');
    const base = typeNode ? normaliseTypeName(this.source.textOf(typeNode)) : '';
    if (STATEMENT_KEYWORDS.has(base.split(' ')[0] ?? '')) {
      return this.opaqueStatement(node, `misparsed statement (read as a declaration of type "${base}")`);
    }
    const declarators = node.childrenForFieldName('declarator');
    for (const declarator of declarators) {
      const shape = declaratorShape(declarator);
      if (shape.function && !shape.value) continue; // a local prototype: compile time only
      const range = declarators.length === 1 ? this.source.rangeOf(node) : this.source.rangeOf(declarator);
      if (!shape.name) {
        this.cfg.emit({ kind: 'opaque', text: this.source.textOf(declarator), reason: 'declarator not understood', range });
        continue;
      }
      const fx = noEffects();
      let init: IrExpr | undefined;
      if (shape.value) init = shape.value.type === 'initializer_list' ? this.exprs.opaque(shape.value) : this.exprs.expr(shape.value, fx);
      this.cfg.emitAll(fx.pre);
      const type = declaredType(base, shape);
      const name = this.source.textOf(shape.name);
      this.cfg.emit(init ? { kind: 'declare', name, type, init, range } : { kind: 'declare', name, type, range });
      this.cfg.emitAll(fx.post);
    }
    if (declarators.length === 0 && node.hasError) this.opaqueStatement(node, 'syntax error in a declaration');
  }

  /** An expression evaluated for its effect. */
  effect(node: Node): void {
    const range = this.source.rangeOf(node);
    switch (node.type) {
      case 'assignment_expression':
      case 'update_expression': {
        const fx = noEffects();
        const statement = node.type === 'assignment_expression' ? this.exprs.assignment(node, fx) : this.exprs.update(node, fx);
        this.cfg.emitAll(fx.pre);
        this.cfg.emit(statement);
        this.cfg.emitAll(fx.post);
        return;
      }
      case 'comma_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left) this.effect(left);
        if (right) this.effect(right);
        return;
      }
      case 'parenthesized_expression':
        if (isStatementExpression(node)) return this.opaqueStatement(node, 'statement expression');
        if (namedKids(node, this.source.text).length === 1) return this.effect(namedKids(node, this.source.text)[0]!);
        break;
      case 'cast_expression': {
        const value = node.childForFieldName('value');
        const type = node.childForFieldName('type');
        if (value && type && normaliseTypeName(this.source.textOf(type)) === 'void') return this.effect(value);
        break;
      }
      case 'identifier':
        if (this.source.textOf(node) === 'fallthrough') return; // the kernel's fallthrough pseudo-keyword
        break;
      case 'gnu_asm_expression':
        return this.opaqueStatement(node, 'inline assembly');
      case 'ERROR':
        return this.damaged(node);
      case 'call_expression':
        if (this.writeOnce(node)) return;
        break;
      case 'conditional_expression':
      case 'binary_expression':
        if (conditionalEffect(this, node)) return;
        break;
    }
    const fx = noEffects();
    const expr = this.exprs.expr(node, fx);
    this.cfg.emitAll(fx.pre);
    if (expr.kind === 'opaque') this.cfg.emit({ kind: 'opaque', text: expr.text, reason: describeOpaque(node), range });
    else this.cfg.emit({ kind: 'eval', expr, range });
    this.cfg.emitAll(fx.post);
  }

  /** `WRITE_ONCE(x, v)` is an assignment. */
  private writeOnce(call: Node): boolean {
    const fn = call.childForFieldName('function');
    const args = call.childForFieldName('arguments');
    if (!fn || !args || this.source.textOf(fn) !== 'WRITE_ONCE' || args.hasError) return false;
    const kids = namedKids(args, this.source.text);
    if (kids.length !== 2) return false;
    const fx = noEffects();
    const target = this.exprs.lvalue(kids[0]!, fx);
    if (!target) return false;
    const value = this.exprs.expr(kids[1]!, fx);
    this.cfg.emitAll(fx.pre);
    this.cfg.emit({ kind: 'assign', target, value, range: this.source.rangeOf(call) });
    this.cfg.emitAll(fx.post);
    return true;
  }


  // ---- conditions ---------------------------------------------------------------------------


  // ---- structured control flow --------------------------------------------------------------













  /** Lowers nodes of another text (a reparsed stretch) into the same graph. */
  withSource(source: UnitSource, run: () => void): void {
    const saved = { source: this.source, exprs: this.exprs, foreign: this.foreign };
    this.source = source;
    this.exprs = new ExpressionLowerer(source);
    this.foreign = true;
    try {
      run();
    } finally {
      this.source = saved.source;
      this.exprs = saved.exprs;
      this.foreign = saved.foreign;
    }
  }

  // ---- jumps --------------------------------------------------------------------------------

  private returnStatement(node: Node): void {
    const valueNode = firstKid(node, this.source.text);
    const fx = noEffects();
    const value = valueNode ? this.exprs.expr(valueNode, fx) : undefined;
    this.cfg.emitAll(fx.pre);
    const range = this.source.rangeOf(node);
    this.cfg.terminate(value ? { kind: 'return', value, range } : { kind: 'return', range });
  }

  private breakOrContinue(node: Node): void {
    const isBreak = node.type === 'break_statement';
    const range = this.source.rangeOf(node);
    const scope = this.innermostScope(isBreak ? undefined : 'loop');
    const target = scope ? (isBreak ? scope.breakTarget : scope.continueTarget) : undefined;
    if (target !== undefined) return this.cfg.jump(target, range);
    if (this.fragment) return this.cfg.terminate({ kind: 'fragment-end', range }); // the loop is outside the hunk
    this.opaqueStatement(node, `${isBreak ? 'break' : 'continue'} outside a loop${isBreak ? ' or switch' : ''}`);
  }

  private gotoStatement(node: Node): void {
    const labelNode = node.childForFieldName('label');
    const range = this.source.rangeOf(node);
    if (!labelNode || labelNode.type !== 'statement_identifier') {
      this.opaqueStatement(node, 'computed goto');
      return this.cfg.terminate({ kind: 'fragment-end', range });
    }
    const label = this.label(this.source.textOf(labelNode));
    label.firstUse ??= range;
    this.cfg.jump(label.block, range);
  }

  /**
   * A label and its statement. `label:\n\tlist_for_each_entry(…) {` puts the iterator call in the
   * labeled statement and its block after it: then `next` is the loop body; returns 2 when used.
   */
  private labeled(node: Node, next?: Node): number {
    const labelNode = node.childForFieldName('label');
    if (labelNode) {
      const label = this.label(this.source.textOf(labelNode));
      label.defined = true;
      this.cfg.startBlock(label.block);
      this.flushStates(node.startIndex);
    }
    const inner = namedKids(node, this.source.text).filter((k) => k.type !== 'statement_identifier');
    if (next && inner.length > 0) {
      const combined = [...inner, next];
      const iterator = iteratorAt(combined, inner.length - 1, this.source.text);
      if (iterator?.shape === 'call-then-statement') {
        this.sequence(combined);
        return 2;
      }
    }
    this.sequence(inner);
    return 1;
  }

  pushScope(scope: JumpScope): void {
    this.scopes.push(scope);
  }

  popScope(): void {
    this.scopes.pop();
  }

  innermostScope(kind?: JumpScope['kind']): JumpScope | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) if (!kind || this.scopes[i]!.kind === kind) return this.scopes[i];
    return undefined;
  }

  private label(name: string): Label {
    let label = this.labels.get(name);
    if (!label) {
      label = { block: this.cfg.newBlock(), defined: false, name, firstUse: undefined };
      this.labels.set(name, label);
    }
    return label;
  }

  // ---- preprocessor regions -----------------------------------------------------------------


  // ---- annotations --------------------------------------------------------------------------

  /** Emits the `@mm state` assertions whose comments come before `offset`. */
  flushStates(offset: number, beforeLine = Number.MAX_SAFE_INTEGER): void {
    if (this.foreign) return;
    while (this.nextState < this.states.length && this.states[this.nextState]!.offset < offset && this.states[this.nextState]!.line < beforeLine) {
      this.cfg.emit({ kind: 'assert-state', annotation: this.states[this.nextState]!.annotation });
      this.nextState++;
    }
  }
}

function describeOpaque(node: Node): string {
  switch (node.type) {
    case 'string_literal':
    case 'concatenated_string':
      return 'a string on its own';
    case 'compound_literal_expression':
      return 'compound literal';
    case 'sizeof_expression':
    case 'alignof_expression':
    case 'offsetof_expression':
      return 'compile-time expression';
    default:
      return `expression not understood (${node.type.replace(/_/g, ' ')})`;
  }
}
