// A tree's headers as the source of the model, for one profile: preprocess the architecture's
// headers, read the definitions a helper needs on demand, and compute what the simulator needs
// to read words as the model's bits (field positions, vm_flags masks). Cached per tree and
// profile; the definitions of one source are read once.

import { createHash } from 'node:crypto';
import { FIELD_MASKS, SOFTLEAF_MASKS, type FieldMask } from '../../../simulator/src/bitvec/bitNames';
import type { DerivedSource } from '../../../simulator/src/bitvec/derived';
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
  const cpuFeatures = new Map<string, boolean>(profile.arch === 'x86_64' ? [['X86_FEATURE_SHSTK', shstk], ['X86_FEATURE_USER_SHSTK', shstk]] : [['ARM64_MTE', false]]);

  return {
    profile,
    lookup: (name) => definitions.lookup(name),
    why: (name) => definitions.why(name),
    globals,
    positions,
    softleafPositions,
    cpuFeatures,
    vmFlagMasks,
    headers,
    declarations: definitions.declarations,
    positionProblems,
    readMs: performance.now() - started,
    contentHash: headersHash(tree, headers.files),
  };
}
