// Which model of the helpers a document is analysed with: the built-in tables, or — for code
// that lives in a kernel tree, by default — the helpers derived from that tree's headers for
// the document's profile (bitvec/treeSimulator.ts), each helper the tree does not give falling
// back to its built-in row. Models are kept per tree, profile and header content: an edited
// header (forgetTree) makes a new one, with a new identity in every cache key.

import { parseProfile, type Profile } from '../../../simulator/src';
import { TreeModelHelpers, type HelperSource } from '../../../simulator/src/bitvec/treeSimulator';
import { TreeModelError, treeModel } from '../headers/deriveFromTree';
import { treeOnDisk } from '../headers/sourceTree';
import type { KernelTree } from '../inputs/kernelTree';
import { formatVersion } from '../../../simulator/src';

/** `--model` / `mmlens.model`: `derived` (the default) uses a tree's headers where there is a tree. */
export type ModelSetting = 'builtin' | 'derived';
export const MODEL_SETTINGS: readonly ModelSetting[] = ['builtin', 'derived'];

/** The model a document was analysed with, for people and JSON. */
export interface ModelChoice {
  readonly kind: ModelSetting;
  /** Why this one: `derived from the headers of /tmp/linux for x86_64@6.19`, `no kernel tree` … */
  readonly reason: string;
  /** With `derived`: the tree's root, and a hash of the headers read. */
  readonly tree?: string;
  readonly headers?: string;
  /** With `derived`: the helpers taken from the tree, and those built in with why. */
  readonly derivedHelpers?: number;
  readonly builtinHelpers?: readonly { readonly name: string; readonly reason: string }[];
}

export interface ChosenModel {
  readonly choice: ModelChoice;
  /** The engine's model; none for the built-in tables. */
  readonly model?: TreeModelHelpers;
}

export class ModelSettingError extends Error {}

export function parseModelSetting(value: string | undefined): ModelSetting {
  if (value === undefined || value === '') return 'derived';
  if ((MODEL_SETTINGS as readonly string[]).includes(value)) return value as ModelSetting;
  throw new ModelSettingError(`--model takes ${MODEL_SETTINGS.join(' or ')}, not "${value}"`);
}

const models = new Map<string, TreeModelHelpers>();

/** The model for a document on `profile` that lives in `tree` (or in none). */
export function chooseModel(setting: ModelSetting, tree: KernelTree | undefined, profileName: string): ChosenModel {
  if (setting === 'builtin') return builtin('the built-in tables (--model builtin / mmlens.model)');
  if (!tree) return builtin('the built-in tables: the code is not in a kernel tree');
  let profile: Profile;
  try {
    profile = parseProfile(profileName);
  } catch (error) {
    return builtin(`the built-in tables: ${(error as Error).message}`);
  }
  if (profile.arch === 'generic') return builtin('the built-in tables: the generic profile has no architecture headers to read');
  if (!tree.version || formatVersion(tree.version) !== formatVersion(profile.version)) {
    return builtin(`the built-in tables: the profile is ${profile.name}, the tree at ${tree.root} is ${tree.release}`);
  }
  let read;
  try {
    read = treeModel(treeOnDisk(tree.root), profile);
  } catch (error) {
    if (error instanceof TreeModelError) return builtin(`the built-in tables: ${error.message}`);
    throw error;
  }
  // without the present bit no word can be read as an entry: nothing would be derived
  if (!read.positions.has('present')) return builtin(`the built-in tables: the headers of ${tree.root} do not define the ${profile.arch} page bits (${read.headers.files.length} headers read)`);
  const id = `${tree.root}\0${profile.name}\0${read.contentHash}`;
  let model = models.get(id);
  if (!model) {
    for (const key of models.keys()) if (key.startsWith(`${tree.root}\0${profile.name}\0`)) models.delete(key);
    model = new TreeModelHelpers(read, id);
    models.set(id, model);
  }
  return { choice: describe(model, tree.root, profile, read.contentHash), model };
}

function builtin(reason: string): ChosenModel {
  return { choice: { kind: 'builtin', reason } };
}

const described = new WeakMap<TreeModelHelpers, ModelChoice>();

function describe(model: TreeModelHelpers, root: string, profile: Profile, hash: string): ModelChoice {
  let choice = described.get(model);
  if (!choice) {
    const helpers = [...model.helpers()];
    const isDerived = (source: HelperSource): source is Extract<HelperSource, { derived: true }> => source.derived;
    choice = {
      kind: 'derived',
      reason: `derived from the headers of ${root} for ${profile.name}`,
      tree: root,
      headers: hash,
      derivedHelpers: helpers.filter(([, source]) => isDerived(source)).length,
      builtinHelpers: helpers.flatMap(([name, source]) => (source.derived ? [] : [{ name, reason: source.reason }])),
    };
    described.set(model, choice);
  }
  return choice;
}
