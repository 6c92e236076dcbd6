// The CLI commands that need only the simulator: laws, helper, profiles, rules.
// Each returns its output lines; main.ts prints them and sets the exit code.

import {
  ARCH_NAMES,
  CONFIG_SYMBOLS,
  RULES,
  Simulator,
  checkAllLaws,
  formatHelperMarkdown,
  helperSetFor,
  parseProfile,
  type LawResult,
} from '../../../simulator/src';
import { formatRuleApplicability } from '../../../simulator/src/hazards/check';

export function lawsReport(profileNames: readonly string[]): string[] {
  const lines: string[] = [];
  for (const name of profileNames) {
    const sim = new Simulator(parseProfile(name));
    const results = checkAllLaws(sim);
    const count = (status: LawResult['status']) => results.filter((r) => r.status === status).length;
    lines.push(`${sim.profile.name}: ${count('holds')} hold, ${count('fails')} fail, ${count('n/a')} not applicable`);
    for (const result of results) {
      const text = result.law.text.replace(/\{l\}/g, result.level);
      if (result.status === 'holds') lines.push(`  holds  ${text}`);
      else if (result.status === 'n/a') lines.push(`  n/a    ${text} — ${result.reason}`);
      else {
        const witness = [...result.counterexample].filter(([, v]) => v).map(([k]) => k).join(' ') || '(all unknowns clear)';
        lines.push(`  FAILS  ${text}  [${result.law.semantics}]`);
        lines.push(`         counterexample, set: ${witness}`);
      }
    }
    lines.push('');
  }
  return lines;
}

export function helperReport(name: string, profileNames: readonly string[]): string[] {
  return profileNames.flatMap((profile) => [formatHelperMarkdown(helperSetFor(parseProfile(profile)), name), '']);
}

export function profilesReport(): string[] {
  const lines = ['Architectures: ' + ARCH_NAMES.join(', '), 'Versions: x.y from 3.10 to 7.x (default 6.19); e.g. x86_64@6.1', 'Config symbols (+SYM / -SYM):'];
  for (const [symbol, info] of Object.entries(CONFIG_SYMBOLS)) {
    lines.push(`  ${symbol.padEnd(36)} ${info.archs.join('/')}${info.since ? ` since ${info.since}` : ''}${info.defaultOn ? '' : ' (off by default)'} — ${info.what}`);
  }
  lines.push('Without --profile (or with --profile auto): the kernel tree (Makefile, .config), else a mail\'s subject version, base-commit: or Date:, else x86_64@6.19 (docs/profiles.md)');
  return lines;
}

export function rulesReport(profileNames: readonly string[] = []): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const rule of RULES) {
    if (seen.has(rule.id)) continue;
    seen.add(rule.id);
    lines.push(`${rule.id.padEnd(24)} ${rule.severity.padEnd(11)} ${rule.message.replace(/\{l\}/g, 'pte')}`);
  }
  return [...lines, ...profileNames.flatMap((name) => ['', ...formatRuleApplicability(new Simulator(parseProfile(name)).hazards)])];
}
