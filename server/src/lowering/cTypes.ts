// C types as far as the simulator cares: page-table entries, slots, swap entries, protections,
// the context objects (vma, vm_fault, folio, mm, lock), booleans and integers. Everything else is
// `other` with its text.

import type { Node } from 'web-tree-sitter';
import type { IrType } from '../../../simulator/src/ir';

const LEVELS: Record<string, 'pte' | 'pmd' | 'pud'> = { pte_t: 'pte', pmd_t: 'pmd', pud_t: 'pud' };

/** Pointed-to types (one `*`) that name a context object. */
const POINTER_KINDS: Record<string, IrType> = {
  'struct vm_area_struct': { kind: 'vma' },
  'struct vm_fault': { kind: 'vmf' },
  'struct folio': { kind: 'folio' },
  'struct page': { kind: 'folio' },
  'struct mm_struct': { kind: 'mm' },
  spinlock_t: { kind: 'lock' },
};

const VALUE_KINDS: Record<string, IrType> = {
  swp_entry_t: { kind: 'swp' },
  softleaf_t: { kind: 'swp' },
  pgprot_t: { kind: 'prot' },
  bool: { kind: 'bool' },
  _Bool: { kind: 'bool' },
};

/** Kernel typedefs of integers (flags words, counters, raw entry values, addresses). */
const INTEGER_TYPEDEFS = new Set([
  'size_t', 'ssize_t', 'ptrdiff_t', 'uintptr_t', 'intptr_t', 'loff_t', 'pgoff_t', 'phys_addr_t', 'dma_addr_t',
  'resource_size_t', 'gfp_t', 'vm_fault_t', 'vm_flags_t', 'fpi_t', 'zap_flags_t', 'uffd_flags_t', 'rmap_t',
  'isolate_mode_t', 'pgtbl_mod_mask', 'blkcnt_t', 'sector_t', 'pid_t', 'uid_t', 'gid_t', 'umode_t', 'fmode_t',
  'slab_flags_t',
]);

const INTEGER_WORDS = new Set(['char', 'short', 'int', 'long', 'signed', 'unsigned', '__int128']);

function isIntegerName(name: string): boolean {
  if (INTEGER_TYPEDEFS.has(name)) return true;
  if (/^enum\s/.test(name)) return true;
  if (/^(__)?[us](8|16|32|64|128)$/.test(name) || /^u?int(8|16|32|64|ptr|max)_t$/.test(name)) return true;
  // raw entry and protection values: pteval_t, pmdval_t, pudval_t, p4dval_t, pgdval_t, pgprotval_t
  if (/^[a-z0-9]*val_t$/.test(name)) return true;
  const words = name.split(' ');
  return words.every((w) => INTEGER_WORDS.has(w));
}

/** The IR type of a C type given as base text (`struct vm_area_struct`, `unsigned long`), pointer depth and array-ness. */
const typeCache = new Map<string, IrType>();

export function irType(base: string, pointers: number, array = false): IrType {
  const key = `${base}\u0000${pointers}\u0000${array}`;
  let type = typeCache.get(key);
  if (!type) {
    type = computeIrType(base, pointers, array);
    if (typeCache.size > 4096) typeCache.clear();
    typeCache.set(key, type);
  }
  return type;
}

function computeIrType(base: string, pointers: number, array: boolean): IrType {
  const name = normaliseTypeName(base);
  if (!array) {
    const level = LEVELS[name];
    if (level && pointers === 0) return { kind: 'entry', level };
    if (level && pointers === 1) return { kind: 'slot', level };
    if (pointers === 1 && POINTER_KINDS[name]) return POINTER_KINDS[name]!;
    if (pointers === 0 && VALUE_KINDS[name]) return VALUE_KINDS[name]!;
    if (pointers === 0 && isIntegerName(name)) return { kind: 'int' };
  }
  return { kind: 'other', text: `${name}${pointers > 0 ? ' ' + '*'.repeat(pointers) : ''}${array ? '[]' : ''}` };
}

/** `const struct  vm_area_struct` → `struct vm_area_struct`: qualifiers and extra spaces dropped. */
export function normaliseTypeName(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '' && !QUALIFIERS.has(w))
    .join(' ');
}

const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict', 'static', 'inline', '__inline', '__inline__', 'extern', 'register', 'auto']);

/** What a declarator adds to its base type, and the identifier it declares. */
export interface DeclaratorShape {
  readonly name: Node | undefined;
  readonly pointers: number;
  readonly array: boolean;
  /** A function declarator (a prototype or function pointer): not a value of a simulated type. */
  readonly function: boolean;
  /** The initialiser of an `init_declarator`. */
  readonly value: Node | undefined;
}

/** Follows a declarator (or abstract declarator) down to its identifier, counting `*` and `[]`. */
export function declaratorShape(declarator: Node | null | undefined): DeclaratorShape {
  let pointers = 0;
  let array = false;
  let fn = false;
  let value: Node | undefined;
  let node: Node | null | undefined = declarator;
  for (let depth = 0; node && depth < 32; depth++) {
    switch (node.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        return { name: node, pointers, array, function: fn, value };
      case 'init_declarator':
        value = node.childForFieldName('value') ?? undefined;
        node = node.childForFieldName('declarator');
        break;
      case 'pointer_declarator':
      case 'abstract_pointer_declarator':
        pointers++;
        node = node.childForFieldName('declarator');
        break;
      case 'array_declarator':
      case 'abstract_array_declarator':
        array = true;
        node = node.childForFieldName('declarator');
        break;
      case 'function_declarator':
      case 'abstract_function_declarator':
        fn = true;
        node = node.childForFieldName('declarator');
        break;
      case 'parenthesized_declarator':
      case 'abstract_parenthesized_declarator':
      case 'attributed_declarator':
        node = node.namedChildren.find((c) => c.type !== 'comment' && c.type !== 'attribute_specifier') ?? null;
        break;
      default:
        return { name: undefined, pointers, array, function: fn, value };
    }
  }
  return { name: undefined, pointers, array, function: fn, value };
}

/** The IR type of a declarator with base type text `base`. */
export function declaredType(base: string, shape: DeclaratorShape): IrType {
  if (shape.function) return { kind: 'other', text: `${normaliseTypeName(base)} (function)` };
  return irType(base, shape.pointers, shape.array);
}
