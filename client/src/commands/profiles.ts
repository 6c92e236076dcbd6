// The profiles "mmlens: Pick Profile" offers, and where the choice is written. Pure, so a test
// can check every offered profile against the simulator's parser.

export interface ProfileChoice {
  readonly profile: string;
  readonly description: string;
}

/** A few profiles people review against; "Other…" takes any `arch[@x.y] [+SYM|-SYM]…`. */
export const COMMON_PROFILES: readonly ProfileChoice[] = [
  { profile: 'x86_64', description: 'kernel 6.19 (the default version), default config with user shadow stacks' },
  { profile: 'x86_64 -X86_USER_SHADOW_STACK', description: 'kernel 6.19 without user shadow stacks' },
  { profile: 'x86_64@6.6 +X86_USER_SHADOW_STACK', description: 'first kernel with saved-dirty and shadow stacks' },
  { profile: 'x86_64@6.1', description: 'LTS before saved-dirty; pte_mkuffd_wp does not write-protect' },
  { profile: 'arm64', description: 'kernel 6.19: DBM write/dirty model, uffd-wp' },
  { profile: 'arm64@6.1', description: 'LTS without arm64 uffd-wp' },
  { profile: 'generic', description: 'one W and one D bit, no architecture quirks' },
];

/** Where `mmlens.profile` is written, as the `inspect()` result of the setting tells. */
export type SettingTarget = 'workspaceFolder' | 'workspace' | 'global';

export interface SettingValues {
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

/**
 * Overwrite the value where it is set most specifically; if it is set nowhere, a workspace is
 * open (the profile belongs to the tree being read), else the user's settings.
 */
export function settingTarget(values: SettingValues | undefined, workspaceOpen: boolean): SettingTarget {
  if (values?.workspaceFolderValue !== undefined) return 'workspaceFolder';
  if (values?.workspaceValue !== undefined) return 'workspace';
  return workspaceOpen ? 'workspace' : 'global';
}
