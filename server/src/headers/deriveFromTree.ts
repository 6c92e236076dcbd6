// A tree's headers as the source of the model, for one profile: preprocess the architecture's
// headers, read the definitions a helper needs on demand, and compute what the simulator needs
// to read words as the model's bits (field positions, vm_flags masks). Cached per tree and
// profile; the definitions of one source are read once.

import { createHash } from 'node:crypto';
import { FIELD_MASKS, SOFTLEAF_MASKS, SOFTLEAF_OFFSET_MASKS, SOFTLEAF_TYPE_NUMBERS, type FieldMask } from '../../../simulator/src/bitvec/bitNames';
import type { SoftleafNumbers } from '../../../simulator/src/bitvec/softleafCodec';
import type { Form } from '../../../simulator/src/model/forms';
import { cpuFeatureTests, type DerivedSource } from '../../../simulator/src/bitvec/derived';
import { VM_FLAGS, type Profile } from '../../../simulator/src';
import type { Declarations } from './declarations';
import { HeaderDefinitions } from './definitions';
import { ARCH_HEADERS, SKIPPED_HEADERS, predefinedMacros } from './kernelConfig';
import { preprocessHeaders, type PreprocessedHeaders } from './preprocessor';
import { treeWithOverlay, type SourceTree } from './sourceTree';

/**
 * Globals a helper may read whose value is the machine's, not the code's, fixed here and
 * documented in docs/model.md: every page bit is supported (`__supported_pte_mask`), memory is
 * not encrypted, physical addresses have 52 bits.
 */
const GLOBALS: Readonly<Record<string, Readonly<Record<string, bigint>>>> = {
  x86_64: { __supported_pte_mask: -1n, __default_kernel_pte_mask: -1n, sme_me_mask: 0n, cc_mask: 0n, physical_mask: (1n << 52n) - 1n },
  arm64: {},
};

export interface TreeModel extends DerivedSource {
  readonly headers: PreprocessedHeaders;
  readonly declarations: Declarations;
  /** Field positions that could not be read, with the reason. */
  readonly positionProblems: readonly string[];
  /** How long reading the headers took (ms). */
  readonly readMs: number;
  /** A hash of the text of every header read: what the model depends on besides the profile. */
  readonly contentHash: string;
}

export class TreeModelError extends Error {}

/** Each model with the tree it was read from: a tree keeps the text it read, so what the model saw can be told from what is there now. */
const cache = new Map<string, { readonly tree: SourceTree; readonly model: TreeModel }>();
/** Per tree, file and profile: the model last read with that file as an editor holds it. */
const edited = new Map<string, { readonly text: string; readonly model: TreeModel }>();

function cached(tree: SourceTree, profile: Profile): { readonly tree: SourceTree; readonly model: TreeModel } {
  const key = `${tree.id}\0${profile.name}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = { tree, model: buildTreeModel(tree, profile) };
    cache.set(key, entry);
  }
  return entry;
}

export function treeModel(tree: SourceTree, profile: Profile): TreeModel {
  return cached(tree, profile).model;
}

/**
 * The model of `tree` with `file` as `text` (an editor's copy, unsaved edits included): the
 * cached model when that is the text it read; else one read for this text, kept until the
 * file's text changes again (the diagnostics and the hover of an edited header share it).
 */
export function treeModelWithFile(tree: SourceTree, file: string, text: string, profile: Profile): TreeModel {
  const base = cached(tree, profile);
  if (base.tree.read(file) === text) return base.model;
  const key = `${tree.id}\0${profile.name}\0${file}`;
  const last = edited.get(key);
  if (last?.text === text) return last.model;
  const model = buildTreeModel(treeWithOverlay(tree, { [file]: text }), profile);
  edited.set(key, { text, model });
  return model;
}

/** Forgets cached models of a tree (after its files changed). */
export function forgetTree(treeId: string): void {
  for (const map of [cache, edited]) for (const key of [...map.keys()]) if (key.startsWith(`${treeId}\0`)) map.delete(key);
}

function headersHash(tree: SourceTree, files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0${tree.read(file) ?? ''}\0`);
  return hash.digest('hex').slice(0, 16);
}

export function buildTreeModel(tree: SourceTree, profile: Profile): TreeModel {
  if (profile.arch === 'generic') throw new TreeModelError('the generic profile has no architecture headers to read; use x86_64 or arm64');
  const started = performance.now();
  const arch = ARCH_HEADERS[profile.arch];
  const headers = preprocessHeaders(tree, arch.entries, { archDir: arch.archDir, predefined: predefinedMacros(profile, arch), skip: SKIPPED_HEADERS, shallow: arch.shallow });
  const globals = new Map(Object.entries(GLOBALS[profile.arch] ?? {}));
  // set at boot when the swap offset has room for a migration entry's young and dirty bits: the profile's run-time condition
  globals.set('swap_migration_ad_supported', profile.config.has('MIGRATION_ENTRY_AD') ? 1n : 0n);
  const definitions = new HeaderDefinitions(headers, globals);
  const constant = (name: string) => definitions.constant(name);

  const positionProblems: string[] = [];
  const positionsOf = (masks: readonly FieldMask[]): Map<string, number> => {
    const positions = new Map<string, number>();
    for (const { field, mask } of masks) {
      const value = constant(mask);
      if (typeof value === 'string') {
        if (headers.macros.has(mask)) positionProblems.push(`${field}: ${value}`);
        continue;
      }
      if (value === 0n) continue;
      if ((value & (value - 1n)) !== 0n) {
        positionProblems.push(`${field}: ${mask} is 0x${value.toString(16)}, not one bit`);
        continue;
      }
      positions.set(field, value.toString(2).length - 1);
    }
    return positions;
  };
  const positions = positionsOf(FIELD_MASKS[profile.arch]);
  const softleafPositions = positionsOf(SOFTLEAF_MASKS[profile.arch]);
  const vmFlagMasks = new Map<string, bigint>();
  for (const flag of VM_FLAGS) {
    const value = constant(flag);
    if (typeof value !== 'string') vmFlagMasks.set(flag, value);
  }
  const shstk = profile.config.has('X86_FEATURE_SHSTK');
  // arm64's Memory Tagging only syncs tags when an entry is set: no page-table bit of the model depends on it
  // LA57 (5-level paging) off: MAX_PHYSMEM_BITS is 46, which places the migration entry's young and dirty bits (52 with LA57: the same fields, 6 bits up)
  const cpuFeatures = new Map<string, boolean>(profile.arch === 'x86_64' ? [['X86_FEATURE_SHSTK', shstk], ['X86_FEATURE_USER_SHSTK', shstk], ['X86_FEATURE_LA57', false]] : [['ARM64_MTE', false]]);

  return {
    profile,
    lookup: (name) => definitions.lookup(name),
    why: (name) => definitions.why(name),
    globals,
    positions,
    softleafPositions,
    cpuFeatures,
    vmFlagMasks,
    softleafNumbers: readSoftleafNumbers((name) => definitions.constant(name, cpuFeatureTests(cpuFeatures)), (name) => headers.macros.has(name)),
    headers,
    declarations: definitions.declarations,
    positionProblems,
    readMs: performance.now() - started,
    contentHash: headersHash(tree, headers.files),
  };
}

/**
 * The swap type numbers of the non-present forms (SOFTLEAF_TYPE_NUMBERS) and the bits of the
 * offset fields (SOFTLEAF_OFFSET_MASKS), as the tree defines them for the profile; a sentence
 * when the type's width or MAX_SWAPFILES cannot be read. An offset mask defined but not a
 * constant (x86's SWP_MIG_YOUNG reads MAX_PHYSMEM_BITS, which depends on 5-level paging at run
 * time) is listed with why.
 */
function readSoftleafNumbers(constant: (name: string) => bigint | string, defined: (name: string) => boolean): SoftleafNumbers | string {
  const typeBits = constant('MAX_SWAPFILES_SHIFT');
  const swapfiles = constant('MAX_SWAPFILES');
  if (typeof typeBits === 'string') return typeBits;
  if (typeof swapfiles === 'string') return swapfiles;
  const types = new Map<Form, bigint[]>();
  for (const { form, names } of SOFTLEAF_TYPE_NUMBERS) {
    const numbers = names.map(constant).filter((n): n is bigint => typeof n === 'bigint');
    if (numbers.length > 0) types.set(form as Form, numbers);
  }
  const offsetBits = new Map<string, number>();
  const unread = new Map<string, string>();
  for (const { field, mask } of SOFTLEAF_OFFSET_MASKS) {
    const value = constant(mask);
    // a mask the tree does not define (6.1 has no PTE_MARKER_POISONED): the field has no bit there
    if (typeof value === 'string') unread.set(field, defined(mask) ? value : `${mask} is not defined in the headers read`);
    else if (value === 0n || (value & (value - 1n)) !== 0n) unread.set(field, `${mask} is 0x${value.toString(16)}, not one bit`);
    else offsetBits.set(field, value.toString(2).length - 1);
  }
  return { typeBits: Number(typeBits), swapfiles, types, offsetBits, unread };
}
