// The `rules` setting: per rule id, off or a severity instead of the rule's default.

import type { Severity } from '../../../simulator/src';
import type { MmlensSettings } from '../protocol';

/** The severity a finding of `rule` is reported with, or undefined when the rule is off. */
export function reportedSeverity(rule: string, severity: Severity, settings: MmlensSettings): Severity | undefined {
  switch (settings.rules[rule]) {
    case 'off':
      return undefined;
    case 'error':
      return 'error';
    case 'warning':
      return 'warning';
    case 'info':
      return 'information';
    default:
      return severity;
  }
}

export function isReported(rule: string, settings: MmlensSettings): boolean {
  return settings.rules[rule] !== 'off';
}
