// Human descriptions of helpers, generated from the same rows that run
// (the hover text and `mmlens helper` output).

import type { HelperSet } from './registry';

export interface HelperDescription {
  readonly name: string;
  readonly profile: string;
  readonly signature: string;
  readonly summary: string;
  /** The effect in the table language, e.g. `W := 0; call pte_mksaveddirty`. */
  readonly effect: string;
  readonly section: string;
  readonly note?: string;
}

export function describeHelper(set: HelperSet, name: string): HelperDescription | { readonly name: string; readonly missing: string } {
  const helper = set.get(name);
  if (!helper) {
    return { name, missing: set.whyMissing(name) ?? `${name} is not a modelled helper` };
  }
  const signature = `${name}(${helper.params.filter((p) => !p.implicit).map((p) => p.name).join(', ')})`;
  return {
    name,
    profile: set.profile.name,
    signature,
    summary: helper.def.summary,
    effect: helper.effectText,
    section: helper.def.section,
    ...(helper.stub ? { note: helper.stub } : {}),
  };
}

/** A short Markdown block for hovers and the CLI. */
export function formatHelperMarkdown(set: HelperSet, name: string): string {
  const d = describeHelper(set, name);
  if ('missing' in d) return `**${name}** — ${d.missing}`;
  const lines = [`**${d.signature}** on \`${d.profile}\``, '', d.summary, '', '```', d.effect || '(no change)', '```', `SEMANTICS ${d.section}`];
  if (d.note) lines.push('', `_${d.note}_`);
  return lines.join('\n');
}
