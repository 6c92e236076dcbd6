// A function body → CFG. Control flow (if/else, switch with fallthrough, for/while/do, iterator
// macros, break/continue, goto and labels, return, `#ifdef` regions) becomes blocks and
// terminators; simple statements become IR statements through the expression lowerer.
// `@mm state` annotations are placed at the statement boundary where their comment sits.
// Nothing is dropped: what is not understood becomes an opaque statement with a reason.

import type { Node } from 'web-tree-sitter';
import type { BlockId, IrBlock, IrExpr, IrStatement, SourceRange, StateAnnotation } from '../../../simulator/src/ir';
import { CfgBuilder } from './cfg';
import { declaredType, declaratorShape, normaliseTypeName } from './cTypes';
import { ExpressionLowerer, noEffects } from './expressions';
import { iteratorAt, type IteratorMatch } from './iteratorMacros';
import { preprocessorCondition, regionStatements } from './preprocessor';
import { reparseStatements } from './reparse';
import { firstKid, hasSideEffects, isStatementExpression, namedKids, operatorOf, STATEMENT_KEYWORDS, unparen } from './syntax';
import type { UnitSource } from './unitSource';

/** A `@mm state` annotation waiting for the statement boundary at its comment's offset. */
export interface PendingState {
  /** Unit offset of the comment. */
  readonly offset: number;
  /** Unit line of the code the comment applies to (its own line when trailing). */
  readonly line: number;
  readonly annotation: StateAnnotation;
}

interface JumpScope {
  readonly kind: 'loop' | 'switch';
  readonly breakTarget: BlockId;
  readonly continueTarget: BlockId | undefined;
  readonly switchState?: SwitchState;
}

interface SwitchState {
  readonly cases: { values: IrExpr[]; target: BlockId }[];
  hasDefault: boolean;
  /** The block the last label opened, while it is still empty (consecutive labels share it). */
  lastLabel: { block: BlockId; entry: { values: IrExpr[]; target: BlockId } } | undefined;
}

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

export class BodyLowerer {
  private readonly cfg = new CfgBuilder();
  /** The text being lowered: the unit, or for a reparsed stretch, the snippet (see `withSource`). */
  private source: UnitSource;
  private exprs: ExpressionLowerer;
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
  private sequence(nodes: readonly Node[]): void {
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
        i += this.iteratorLoop(iterator, nodes, i) - 1;
        continue;
      }
      if (type === 'labeled_statement') {
        i += this.labeled(node, nodes[i + 1]) - 1;
        continue;
      }
      this.statement(node, type);
    }
  }

  private statement(node: Node, type: string = node.type): void {
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
        return this.ifStatement(node);
      case 'switch_statement':
        return this.switchStatement(node);
      case 'case_statement':
        return this.caseLabel(node);
      case 'while_statement':
        return this.whileLoop(node);
      case 'do_statement':
        return this.doLoop(node);
      case 'for_statement':
        return this.forLoop(node);
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
        return this.conditionalRegion(node);
      case 'attributed_statement':
        this.sequence(namedKids(node, this.source.text).filter((k) => k.type !== 'attribute_declaration'));
        return;
      case 'comment':
        return;
      case 'ERROR':
        return this.damaged(node);
      case 'function_definition':
        return this.nestedDefinition(node);
      default:
        if (COMPILE_TIME.has(node.type)) return;
        return this.opaqueStatement(node, `unsupported statement (${node.type.replace(/_/g, ' ')})`);
    }
  }

  private opaqueStatement(node: Node, reason: string): void {
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
      if (iterator) i += this.iteratorLoop(iterator, children, i) - 1;
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
  private effect(node: Node): void {
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
        if (this.conditionalEffect(node)) return;
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

  /** `c ? a++ : b++;` and `ok && (x = f());` as statements: the effects happen only on their branch. */
  private conditionalEffect(node: Node): boolean {
    if (node.type === 'conditional_expression') {
      const condition = node.childForFieldName('condition');
      const consequence = node.childForFieldName('consequence');
      const alternative = node.childForFieldName('alternative');
      if (!condition || !alternative || !(hasSideEffects(alternative, this.source.text) || (consequence && hasSideEffects(consequence, this.source.text)))) return false;
      const then = this.cfg.newBlock();
      const otherwise = this.cfg.newBlock();
      const join = this.cfg.newBlock();
      this.condition(condition, then, otherwise);
      this.cfg.startBlock(then);
      this.effect(consequence ?? condition);
      this.cfg.jump(join);
      this.cfg.startBlock(otherwise);
      this.effect(alternative);
      this.cfg.startBlock(join);
      return true;
    }
    const op = operatorOf(node);
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if ((op !== '&&' && op !== '||') || !left || !right || !hasSideEffects(right, this.source.text)) return false;
    const then = this.cfg.newBlock();
    const join = this.cfg.newBlock();
    if (op === '&&') this.condition(left, then, join);
    else this.condition(left, join, then);
    this.cfg.startBlock(then);
    this.effect(right);
    this.cfg.startBlock(join);
    return true;
  }

  // ---- conditions ---------------------------------------------------------------------------

  /**
   * Branches to `then`/`otherwise` on a C condition. Assignments inside it are hoisted before the
   * branch; when they sit in an operand that is evaluated only sometimes (right of `&&`/`||`, a
   * ternary arm), the condition is split into branches so they happen only on that path.
   */
  private condition(node: Node, then: BlockId, otherwise: BlockId): void {
    const n = unparen(node, this.source.text);
    if (hasSideEffects(n, this.source.text)) {
      const op = n.type === 'unary_expression' || n.type === 'binary_expression' ? operatorOf(n) : '';
      if (n.type === 'unary_expression' && op === '!') {
        const operand = n.childForFieldName('argument');
        if (operand) return this.condition(operand, otherwise, then);
      }
      if (n.type === 'binary_expression' && (op === '&&' || op === '||')) {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (left && right && hasSideEffects(right, this.source.text)) {
          const middle = this.cfg.newBlock();
          if (op === '&&') this.condition(left, middle, otherwise);
          else this.condition(left, then, middle);
          this.cfg.startBlock(middle);
          return this.condition(right, then, otherwise);
        }
      }
      if (n.type === 'conditional_expression') {
        const c = n.childForFieldName('condition');
        const a = n.childForFieldName('consequence');
        const b = n.childForFieldName('alternative');
        if (c && a && b && (hasSideEffects(a, this.source.text) || hasSideEffects(b, this.source.text))) {
          const first = this.cfg.newBlock();
          const second = this.cfg.newBlock();
          this.condition(c, first, second);
          this.cfg.startBlock(first);
          this.condition(a, then, otherwise);
          this.cfg.startBlock(second);
          return this.condition(b, then, otherwise);
        }
      }
      if (n.type === 'comma_expression') {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (left && right) {
          this.effect(left);
          return this.condition(right, then, otherwise);
        }
      }
    }
    const fx = noEffects();
    const expr = this.exprs.expr(n, fx);
    this.cfg.emitAll(fx.pre);
    const range = this.source.rangeOf(n);
    if (fx.post.length === 0) {
      this.cfg.terminate({ kind: 'branch', condition: expr, then, otherwise, range });
      return;
    }
    // `while (i-- > 0)`: the decrement happens on both edges
    const thenEdge = this.cfg.newBlock();
    const otherwiseEdge = this.cfg.newBlock();
    this.cfg.terminate({ kind: 'branch', condition: expr, then: thenEdge, otherwise: otherwiseEdge, range });
    for (const [edge, target] of [[thenEdge, then], [otherwiseEdge, otherwise]] as const) {
      this.cfg.startBlock(edge);
      this.cfg.emitAll(fx.post);
      this.cfg.jump(target);
    }
  }

  // ---- structured control flow --------------------------------------------------------------

  private ifStatement(node: Node): void {
    const condition = node.childForFieldName('condition');
    const consequence = node.childForFieldName('consequence');
    const alternative = node.childForFieldName('alternative');
    const elseStatement = alternative ? (alternative.type === 'else_clause' ? firstKid(alternative, this.source.text) : alternative) : undefined;
    const then = this.cfg.newBlock();
    const join = this.cfg.newBlock();
    const otherwise = elseStatement ? this.cfg.newBlock() : join;
    if (condition) this.condition(condition, then, otherwise);
    else this.cfg.terminate({ kind: 'branch', condition: this.exprs.opaque(node), then, otherwise, range: this.source.rangeOf(node) });
    this.cfg.startBlock(then);
    if (consequence) this.statement(consequence);
    if (elseStatement) this.flushStates(elseStatement.startIndex);
    this.cfg.jump(join);
    if (elseStatement) {
      this.cfg.startBlock(otherwise);
      this.statement(elseStatement);
    }
    this.cfg.startBlock(join);
  }

  private switchStatement(node: Node): void {
    const condition = node.childForFieldName('condition');
    const body = node.childForFieldName('body');
    const fx = noEffects();
    const value = condition ? this.exprs.expr(unparen(condition, this.source.text), fx) : this.exprs.opaque(node);
    this.cfg.emitAll(fx.pre);
    this.cfg.emitAll(fx.post);
    const dispatch = this.cfg.currentBlock();
    const exit = this.cfg.newBlock();
    const state: SwitchState = { cases: [], hasDefault: false, lastLabel: undefined };
    this.cfg.terminate({ kind: 'goto', target: exit }); // replaced by the switch below
    this.scopes.push({ kind: 'switch', breakTarget: exit, continueTarget: undefined, switchState: state });
    if (body) this.statement(body);
    this.scopes.pop();
    this.cfg.startBlock(exit);
    const cases = state.hasDefault ? state.cases : [...state.cases, { values: [], target: exit }];
    this.cfg.setTerminator(dispatch, { kind: 'switch', value, cases, range: condition ? this.source.rangeOf(condition) : this.source.rangeOf(node) });
  }

  private caseLabel(node: Node): void {
    const scope = [...this.scopes].reverse().find((s) => s.kind === 'switch');
    const valueNode = node.childForFieldName('value');
    let body: Node[] = [];
    for (let i = 0; i < node.namedChildCount; i++) {
      const child = node.namedChild(i)!;
      if (child.type !== 'comment' && node.fieldNameForNamedChild(i) !== 'value') body.push(child);
    }
    if (!scope?.switchState) {
      this.opaqueStatement(node, 'case label outside a switch');
      return this.sequence(body);
    }
    const state = scope.switchState;
    const values: IrExpr[] = [];
    if (valueNode) {
      const range = body[0]?.type === 'ERROR' && this.source.textOf(body[0]).trimStart().startsWith('...') ? body[0] : undefined;
      if (range) {
        values.push(this.exprs.opaqueOffsets(valueNode.startIndex, range.endIndex)); // GNU case range `case 1 ... 5:`
        body = body.slice(1);
      } else {
        values.push(this.exprs.expr(valueNode, noEffects()));
      }
    }
    const last = state.lastLabel;
    const reuse = last && this.cfg.currentId === last.block && this.cfg.isEmpty(last.block) && valueNode !== null && last.entry.values.length > 0;
    if (reuse) {
      last.entry.values.push(...values);
    } else {
      const block = this.cfg.newBlock();
      const entry = { values, target: block };
      state.cases.push(entry);
      this.cfg.startBlock(block); // fallthrough from the previous case
      state.lastLabel = { block, entry };
    }
    if (!valueNode) state.hasDefault = true;
    this.flushStates(node.startIndex);
    this.sequence(body);
  }

  private whileLoop(node: Node): void {
    const condition = node.childForFieldName('condition');
    const bodyNode = node.childForFieldName('body');
    const header = this.cfg.newBlock(true);
    const body = this.cfg.newBlock();
    const exit = this.cfg.newBlock();
    this.cfg.startBlock(header);
    if (condition) this.condition(condition, body, exit);
    else this.cfg.jump(body);
    this.loopBody(bodyNode, body, exit, header);
    this.cfg.jump(header);
    this.cfg.startBlock(exit);
  }

  private doLoop(node: Node): void {
    const condition = node.childForFieldName('condition');
    const bodyNode = node.childForFieldName('body');
    const exit = this.cfg.newBlock();
    if (condition && isFalse(unparen(condition, this.source.text), this.source)) {
      // do { … } while (0): a block that `break` and `continue` leave
      const body = this.cfg.newBlock();
      this.cfg.startBlock(body);
      this.loopBody(bodyNode, body, exit, exit);
      this.cfg.startBlock(exit);
      return;
    }
    const body = this.cfg.newBlock(true);
    const test = this.cfg.newBlock();
    this.cfg.startBlock(body);
    this.loopBody(bodyNode, body, exit, test);
    this.cfg.startBlock(test);
    if (condition) this.condition(condition, body, exit);
    else this.cfg.jump(body);
    this.cfg.startBlock(exit);
  }

  private forLoop(node: Node): void {
    const initializer = node.childForFieldName('initializer');
    const condition = node.childForFieldName('condition');
    const update = node.childForFieldName('update');
    const bodyNode = node.childForFieldName('body');
    if (initializer) {
      if (initializer.type === 'declaration') this.declaration(initializer);
      else this.effect(initializer);
    }
    const header = this.cfg.newBlock(true);
    const body = this.cfg.newBlock();
    const exit = this.cfg.newBlock();
    const step = update ? this.cfg.newBlock() : header;
    this.cfg.startBlock(header);
    if (condition) this.condition(condition, body, exit);
    else this.cfg.jump(body);
    this.loopBody(bodyNode, body, exit, step);
    if (update) {
      this.cfg.startBlock(step);
      this.effect(update);
    }
    this.cfg.jump(header);
    this.cfg.startBlock(exit);
  }

  /** Lowers a loop body starting in `body`, with `break` → `exit` and `continue` → `next`. */
  private loopBody(bodyNode: Node | null | undefined, body: BlockId, exit: BlockId, next: BlockId): void {
    this.cfg.startBlock(body);
    this.scopes.push({ kind: 'loop', breakTarget: exit, continueTarget: next });
    if (bodyNode) this.statement(bodyNode);
    this.scopes.pop();
    this.cfg.jump(next);
  }

  /** Lowers an iterator macro found at `nodes[index]`; returns how many of `nodes` it used. */
  private iteratorLoop(match: IteratorMatch, nodes: readonly Node[], index: number): number {
    if (match.shape === 'call-then-statement') {
      this.flushStates(match.body.startIndex);
      const range = this.source.rangeOf(match.call);
      if (match.once) {
        // scoped_guard(lock, &l) { … }: the body runs once, under the guard
        const fx = noEffects();
        const guard = this.exprs.expr(match.call, fx);
        this.cfg.emitAll(fx.pre);
        this.cfg.emit({ kind: 'eval', expr: guard, range });
        const exit = this.cfg.newBlock();
        this.loopBody(match.body, this.cfg.newBlock(), exit, exit);
        this.cfg.startBlock(exit);
      } else {
        this.loop({ kind: 'opaque', text: this.source.textOf(match.call), range }, () => this.statement(match.body));
      }
      return 2;
    }
    // misparsed: the body is read again from the text, up to the end of this statement list;
    // the statements the misreading swallowed after the body are lowered after the loop
    const header: IrExpr = { kind: 'opaque', text: this.source.slice(match.headerStart, match.headerEnd), range: this.source.rangeOfOffsets(match.headerStart, match.headerEnd) };
    const limit = Math.max(nodes[nodes.length - 1]!.endIndex, match.bodyEnd ?? 0);
    const reparsed = reparseStatements(nodes[index]!.tree.language, this.source, match.bodyStart, limit);
    const body = reparsed?.statements[0];
    if (!reparsed || !body) {
      reparsed?.release();
      const end = match.bodyEnd ?? nodes[index]!.endIndex;
      const used = this.consumedUpTo(nodes, index, end);
      this.loop(header, () => this.cfg.emit(this.opaqueOffsets(match.bodyStart, end, 'loop body of an iterator macro not understood')));
      if (used.coverEnd > end) this.cfg.emit(this.opaqueOffsets(end, used.coverEnd, 'syntax error: the parser could not read this'));
      return used.count;
    }
    try {
      // take reparsed statements until they line up with a statement boundary of the original list
      let taken = 1;
      let used = this.consumedUpTo(nodes, index, reparsed.toUnitOffset(body.endIndex));
      while (taken < reparsed.statements.length && reparsed.toUnitOffset(reparsed.statements[taken]!.startIndex) < used.coverEnd) {
        used = this.consumedUpTo(nodes, index, reparsed.toUnitOffset(reparsed.statements[taken]!.endIndex));
        taken++;
      }
      const rest = reparsed.statements.slice(1, taken);
      this.withSource(reparsed.source, () => {
        this.loop(header, () => this.statement(body));
        this.sequence(rest);
      });
      return used.count;
    } finally {
      reparsed.release();
    }
  }

  /** How many of `nodes` from `index` start before `end`, and where the last of them ends. */
  private consumedUpTo(nodes: readonly Node[], index: number, end: number): { count: number; coverEnd: number } {
    let count = 1;
    let coverEnd = Math.max(end, nodes[index]!.endIndex);
    while (index + count < nodes.length && nodes[index + count]!.startIndex < coverEnd) {
      coverEnd = Math.max(coverEnd, nodes[index + count]!.endIndex);
      count++;
    }
    return { count, coverEnd };
  }

  /** A loop with an opaque condition: header → body → header, exit on the condition being false. */
  private loop(condition: IrExpr, body: () => void): void {
    const header = this.cfg.newBlock(true);
    const first = this.cfg.newBlock();
    const exit = this.cfg.newBlock();
    this.cfg.startBlock(header);
    this.cfg.terminate({ kind: 'branch', condition, then: first, otherwise: exit, range: condition.range });
    this.cfg.startBlock(first);
    this.scopes.push({ kind: 'loop', breakTarget: exit, continueTarget: header });
    body();
    this.scopes.pop();
    this.cfg.jump(header);
    this.cfg.startBlock(exit);
  }

  /** `for_each_online_node(nid) { … }` read as a function definition nested in this one: an iterator loop. */
  private nestedDefinition(node: Node): void {
    const body = node.childForFieldName('body');
    if (!body || body.type !== 'compound_statement') {
      return this.opaqueStatement(node, 'a function definition inside a function (the parser recovered from an error here)');
    }
    const start = node.startIndex;
    const end = body.startIndex;
    const headerText = this.source.slice(start, end).trimEnd();
    this.loop({ kind: 'opaque', text: headerText, range: this.source.rangeOfOffsets(start, start + headerText.length) }, () => this.statement(body));
  }

  private opaqueOffsets(start: number, end: number, reason: string): IrStatement {
    return { kind: 'opaque', text: this.source.slice(start, end), reason, range: this.source.rangeOfOffsets(start, end) };
  }

  /** Lowers nodes of another text (a reparsed stretch) into the same graph. */
  private withSource(source: UnitSource, run: () => void): void {
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
    const scope = [...this.scopes].reverse().find((s) => isBreak || s.kind === 'loop');
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

  private label(name: string): Label {
    let label = this.labels.get(name);
    if (!label) {
      label = { block: this.cfg.newBlock(), defined: false, name, firstUse: undefined };
      this.labels.set(name, label);
    }
    return label;
  }

  // ---- preprocessor regions -----------------------------------------------------------------

  /** `#ifdef CONFIG_X … #else … #endif` inside a body: a branch on the config symbol. */
  private conditionalRegion(node: Node): void {
    const condition = preprocessorCondition(node, this.source);
    const alternative = node.childForFieldName('alternative');
    const then = this.cfg.newBlock();
    const join = this.cfg.newBlock();
    const otherwise = alternative ? this.cfg.newBlock() : join;
    this.cfg.terminate({ kind: 'branch', condition, then, otherwise, range: condition.range });
    this.cfg.startBlock(then);
    this.sequence(regionStatements(node));
    this.flushStates(alternative ? alternative.startIndex : node.endIndex);
    this.cfg.jump(join);
    if (alternative) {
      this.cfg.startBlock(otherwise);
      if (alternative.type === 'preproc_else') this.sequence(regionStatements(alternative));
      else this.conditionalRegion(alternative); // #elif, #elifdef: another region
      this.flushStates(alternative.endIndex);
    }
    this.cfg.startBlock(join);
  }

  // ---- annotations --------------------------------------------------------------------------

  /** Emits the `@mm state` assertions whose comments come before `offset`. */
  private flushStates(offset: number, beforeLine = Number.MAX_SAFE_INTEGER): void {
    if (this.foreign) return;
    while (this.nextState < this.states.length && this.states[this.nextState]!.offset < offset && this.states[this.nextState]!.line < beforeLine) {
      this.cfg.emit({ kind: 'assert-state', annotation: this.states[this.nextState]!.annotation });
      this.nextState++;
    }
  }
}

function isFalse(node: Node, source: UnitSource): boolean {
  const text = source.textOf(node).trim();
  return text === '0' || text === 'false';
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
