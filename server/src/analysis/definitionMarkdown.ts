// What a helper's own definition does, for a hover on it in a kernel tree's header: each field
// of the result as a formula of the entry's fields (derived bit by bit from the definition the
// editor shows), whether it agrees with the built-in table, and the laws it breaks.

import { Simulator, lawText, lawUses, type Profile } from '../../../simulator/src';
import { DerivedSimulator, presentArgs } from '../../../simulator/src/bitvec/derivedSimulator';
import { DerivedHelpers } from '../../../simulator/src/bitvec/derived';
import { compareHelper } from '../../../simulator/src/bitvec/modelDiff';
import type { TreeModel } from '../headers/deriveFromTree';
import { provedOn } from '../headers/headerLaws';

const MAX_TERMS = 4;

/** Markdown for `name` as `model` derives it, or undefined when the model has no such helper. */
export function definitionMarkdown(model: TreeModel, profile: Profile, name: string): string | undefined {
  const sim = new DerivedSimulator(model);
  const helper = sim.derived.get(name);
  if (typeof helper === 'string') return undefined;
  const at = `${helper.definition.at.file}:${helper.definition.at.line}`;
  const lines = [`**${name}** as defined here (\`${at}\`), evaluated bit by bit on \`${profile.name}\``, ''];
  if (!sim.has(name)) {
    lines.push(`Not evaluable: ${sim.whyMissing(name)}`);
    return lines.join('\n');
  }
  const layout = sim.set.layout;
  const args = presentArgs(sim.alg, layout, helper, sim.profile);
  const show = (b: number) => sim.alg.format(b, MAX_TERMS);
  if (helper.def.kind === 'predicate') {
    lines.push(`On a present entry: \`${show(helper.test(sim.alg, args as never))}\``);
  } else {
    const out = helper.apply(sim.alg, args as never);
    const input = Object.values(args).find((a) => a && typeof a === 'object' && 'bits' in a) as { bits: Int32Array } | undefined;
    const rows = ['present', 'protnone', ...layout.archBits].flatMap((field) => {
      const index = layout.indexOf(field)!;
      const before = input?.bits[index];
      const after = out.bits[index]!;
      return before === after ? [] : [`| ${field} | \`${show(after).replace(/\|/g, '\\|')}\` |`];
    });
    lines.push('On a present entry, the fields it changes (others kept):', '', '| field | becomes |', '|---|---|', ...(rows.length > 0 ? rows : ['| — | nothing changes |']));
  }
  const builtin = new Simulator(profile);
  if (builtin.has(name)) {
    const comparison = compareHelper(builtin, new DerivedHelpers(model, builtin.set.layout, (n) => builtin.set.row(n)?.kind), name);
    lines.push('', comparison.status === 'same' ? 'Agrees with the built-in table on every present entry.'
      : comparison.status === 'differs' ? `Differs from the built-in table in ${comparison.differences.map((d) => `\`${d.field}\``).join(', ')} (\`mmlens model diff\` shows the entries).`
      : `Not compared with the built-in table: ${comparison.reason}`);
  }
  const broken = provedOn(model).results.filter((r) => r.status === 'fails' && lawUses(r.law, r.level).includes(name));
  if (broken.length > 0) lines.push('', `Breaks ${broken.map((r) => `\`${r.law.id}\` (${lawText(r.law, r.level)})`).join('; ')}.`);
  return lines.join('\n');
}
