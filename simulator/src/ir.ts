// The simulator's input language: one control-flow graph per C function (or
// patch fragment). The front end (server/src/lowering/) produces it from
// tree-sitter trees; the engine executes it. Plain data, no tree-sitter types.
//
// Positions are in the ORIGINAL document (an email's lines for a quoted
// hunk): 0-based lines, UTF-16 columns, like LSP.

export interface SourcePosition {
  readonly line: number;
  readonly character: number;
}

export interface SourceRange {
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

/** What the lowering knows of a C type, as far as the simulator cares. */
export type IrType =
  | { readonly kind: 'entry'; readonly level: 'pte' | 'pmd' | 'pud' } // pte_t, pmd_t, pud_t
  | { readonly kind: 'slot'; readonly level: 'pte' | 'pmd' | 'pud' } // pte_t *, pmd_t *, pud_t *
  | { readonly kind: 'swp' } // swp_entry_t, softleaf_t
  | { readonly kind: 'prot' } // pgprot_t
  | { readonly kind: 'vma' } // struct vm_area_struct *
  | { readonly kind: 'vmf' } // struct vm_fault *
  | { readonly kind: 'folio' } // struct folio *, struct page *
  | { readonly kind: 'mm' } // struct mm_struct *
  | { readonly kind: 'lock' } // spinlock_t *
  | { readonly kind: 'bool' } // bool, and int used as a condition
  | { readonly kind: 'int' } // integers, flags words (unsigned long cp_flags, vm_flags)
  | { readonly kind: 'other'; readonly text: string };

export type BinaryOp = '&&' | '||' | '&' | '|' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | '<<' | '>>';
export type UnaryOp = '!' | '~' | '-' | '+';

export type IrExpr =
  /** A call; `callee` is the function or macro name as written. */
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly IrExpr[]; readonly range: SourceRange }
  | { readonly kind: 'var'; readonly name: string; readonly range: SourceRange }
  /** `base->field` or `base.field` (vmf->orig_pte, vma->vm_flags, vma->vm_page_prot). */
  | { readonly kind: 'field'; readonly base: IrExpr; readonly field: string; readonly arrow: boolean; readonly range: SourceRange }
  /** `*ptep`, `ptep[i]` (index kept opaque in `index`). */
  | { readonly kind: 'deref'; readonly pointer: IrExpr; readonly index?: IrExpr; readonly range: SourceRange }
  | { readonly kind: 'address-of'; readonly operand: IrExpr; readonly range: SourceRange }
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly range: SourceRange }
  | { readonly kind: 'bool'; readonly value: boolean; readonly range: SourceRange }
  /** An all-caps identifier: VM_WRITE, MM_CP_UFFD_WP, PAGE_NONE, PTE_MARKER_UFFD_WP, NULL. */
  | { readonly kind: 'constant'; readonly name: string; readonly range: SourceRange }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: IrExpr; readonly range: SourceRange }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: IrExpr; readonly right: IrExpr; readonly range: SourceRange }
  | { readonly kind: 'ternary'; readonly condition: IrExpr; readonly then: IrExpr; readonly otherwise: IrExpr; readonly range: SourceRange }
  /** `IS_ENABLED(CONFIG_X)`, `defined(CONFIG_X)` and `#ifdef CONFIG_X` regions: the profile decides. */
  | { readonly kind: 'config'; readonly symbol: string; readonly range: SourceRange }
  /** A cast: the operand passes through. */
  | { readonly kind: 'cast'; readonly type: IrType; readonly operand: IrExpr; readonly range: SourceRange }
  /** Anything the lowering does not understand, kept with its text. */
  | { readonly kind: 'opaque'; readonly text: string; readonly range: SourceRange };

export type IrLValue = Extract<IrExpr, { kind: 'var' | 'field' | 'deref' }>;

export type IrStatement =
  | { readonly kind: 'declare'; readonly name: string; readonly type: IrType; readonly init?: IrExpr; readonly range: SourceRange }
  | { readonly kind: 'assign'; readonly target: IrLValue; readonly value: IrExpr; readonly range: SourceRange }
  /** An expression evaluated for its effect (usually a call). */
  | { readonly kind: 'eval'; readonly expr: IrExpr; readonly range: SourceRange }
  /** A statement the lowering could not understand; never dropped silently. */
  | { readonly kind: 'opaque'; readonly text: string; readonly reason: string; readonly range: SourceRange }
  /** A `@mm state` assertion at this point of the path. */
  | { readonly kind: 'assert-state'; readonly annotation: StateAnnotation };

export type BlockId = number;

export type IrTerminator =
  | { readonly kind: 'goto'; readonly target: BlockId; readonly range?: SourceRange }
  | { readonly kind: 'branch'; readonly condition: IrExpr; readonly then: BlockId; readonly otherwise: BlockId; readonly range: SourceRange }
  | {
      readonly kind: 'switch';
      readonly value: IrExpr;
      /** `values` empty means `default`. */
      readonly cases: readonly { readonly values: readonly IrExpr[]; readonly target: BlockId }[];
      readonly range: SourceRange;
    }
  | { readonly kind: 'return'; readonly value?: IrExpr; readonly range: SourceRange }
  /** The end of a fragment: code continued beyond what the hunk shows. */
  | { readonly kind: 'fragment-end'; readonly range: SourceRange };

export interface IrBlock {
  readonly id: BlockId;
  readonly statements: readonly IrStatement[];
  readonly terminator: IrTerminator;
  /** Set on the block that tests a loop condition before the body (for, while, iterator macros): past the unroll bound the engine leaves the loop here. */
  readonly loopHeader?: boolean;
}

export interface IrParam {
  readonly name: string;
  readonly type: IrType;
  readonly range: SourceRange;
}

export interface IrFunction {
  readonly name: string;
  readonly params: readonly IrParam[];
  readonly returnType: IrType;
  readonly blocks: readonly IrBlock[];
  readonly entry: BlockId;
  readonly range: SourceRange;
  /** The name's range, for code lenses and diagnostics on the function. */
  readonly nameRange: SourceRange;
  /** A wrapped patch fragment rather than a whole function. */
  readonly fragment: boolean;
  /** Annotations that apply to the function as a whole (profile, assume, ignore, expect none). */
  readonly annotations: readonly Annotation[];
  /** A hash of the function's text, for per-function caches. */
  readonly contentHash: string;
  /**
   * For a function defined in another file of the workspace (inlined, never reported on its
   * own): that file. What happens inside it is reported at the call.
   */
  readonly origin?: string;
}

/** One `@mm` comment, parsed. Malformed ones become AnnotationError, never exceptions. */
export type Annotation = ProfileAnnotation | AssumeAnnotation | ExpectAnnotation | StateAnnotation | IgnoreAnnotation;

export interface AnnotationBase {
  readonly range: SourceRange;
  /** The source line the annotation is attached to (its own line, or the next code line). */
  readonly line: number;
}

export interface ProfileAnnotation extends AnnotationBase {
  readonly kind: 'profile';
  /** A profile spec as `parseProfile` takes it, e.g. `x86_64@6.19 +MEM_SOFT_DIRTY`. */
  readonly spec: string;
}

/** `@mm assume vma VM_WRITE !VM_SHARED; pte present W=0 D=1; folio anon exclusive` */
export interface AssumeAnnotation extends AnnotationBase {
  readonly kind: 'assume';
  readonly clauses: readonly AssumeClause[];
}

export type AssumeClause =
  /** Facts of a context object: vma / folio / mm / cp (change_protection flags) / tlb. */
  | { readonly kind: 'facts'; readonly subject: 'vma' | 'folio' | 'mm' | 'cp'; readonly facts: readonly { readonly name: string; readonly value: boolean }[] }
  /** An entry (a variable or slot by name, or `pte`/`pmd`/`pud` for the one the function reads). */
  | { readonly kind: 'entry'; readonly subject: string; readonly form?: string; readonly bits: readonly { readonly name: string; readonly value: boolean }[] };

/** `@mm expect <rule>[, <rule>…]` on a line, or `@mm expect none` for the whole unit. */
export interface ExpectAnnotation extends AnnotationBase {
  readonly kind: 'expect';
  /** Empty means `none`. */
  readonly rules: readonly string[];
}

/** `@mm state [subject] W=1 UW=0`: checked on every path reaching this point. */
export interface StateAnnotation extends AnnotationBase {
  readonly kind: 'state';
  readonly subject?: string;
  readonly form?: string;
  readonly bits: readonly { readonly name: string; readonly value: boolean }[];
}

/** `@mm ignore <rule>[, …]: reason` */
export interface IgnoreAnnotation extends AnnotationBase {
  readonly kind: 'ignore';
  readonly rules: readonly string[];
  readonly reason?: string;
}

export interface AnnotationError {
  readonly kind: 'annotation-error';
  readonly message: string;
  readonly range: SourceRange;
}

/** What the lowering produced for one source unit. */
export interface IrUnit {
  readonly functions: readonly IrFunction[];
  /** Annotations outside any function (file-level profile, expect none). */
  readonly annotations: readonly Annotation[];
  /** Every annotation, in document order, with the line it applies to (for `expect`). */
  readonly allAnnotations: readonly Annotation[];
  readonly annotationErrors: readonly AnnotationError[];
}

/** The blocks a terminator can continue to. */
export function successors(terminator: IrTerminator): BlockId[] {
  switch (terminator.kind) {
    case 'goto':
      return [terminator.target];
    case 'branch':
      return [terminator.then, terminator.otherwise];
    case 'switch':
      return terminator.cases.map((c) => c.target);
    default:
      return [];
  }
}

