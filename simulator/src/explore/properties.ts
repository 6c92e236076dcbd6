// What must hold in every schedule. Three properties of the race itself, plus the simulator's
// state rules (hazards/catalogue.ts, kind "state") judged on the entry in every reached state.
// lost-write and the state rules read only the state, so the reduction (which keeps every
// reachable state) cannot hide them; the step-time checks read what they judge through the
// StepContext, so it is part of the step's footprint.

import type { Simulator } from '../simulator';
import type { PropertyInfo } from './types';
import type { PropertyReport, StepContext, StepEnvironment } from './step';
import type { World } from './world';

export const RACE_PROPERTIES: readonly PropertyInfo[] = [
  {
    id: 'lost-write',
    doc: 'No write is lost: every write that landed is held by the page the entry maps (a write to the old page after its COW copy was taken is not).',
  },
  {
    id: 'uffd-wp-write',
    doc: 'A uffd-wp-protected page is not written once the write-protect is complete (mm->tlb_flush_pending back at zero).',
  },
  {
    id: 'stale-tlb',
    doc: 'No CPU holds a writable TLB entry for a page whose contents are being copied (SEMANTICS §5.5); no permission downgrade is still cached at a PTL unlock unless a flush is pending or the mmap lock is held for writing (§5.3, rule stale-tlb).',
  },
];

/** The race properties and the state rules that can fire on the profile. */
export function propertyCatalogue(sim: Simulator): PropertyInfo[] {
  const rules = sim.hazards.rules('state').filter((rule) => rule.levels.includes('pte'));
  return [...RACE_PROPERTIES, ...rules.map((rule) => ({ id: rule.id, doc: `state rule: ${rule.message}` }))];
}

/** The writer of a write id `cpu#n`: CPU index and operation index. */
function writer(env: StepEnvironment, id: string): { cpu: number; op: number } {
  const hash = id.lastIndexOf('#');
  return { cpu: env.cpuNames.indexOf(id.slice(0, hash)), op: Number(id.slice(hash + 1)) - 1 };
}

/** Properties of a state: lost-write and the state rules on the entry. */
export function stateViolation(env: StepEnvironment, world: World): PropertyReport | undefined {
  if (world.page < 0) return undefined;
  const mapped = world.pages[world.page]!;
  if (env.checks.has('lost-write')) {
    for (const [index, page] of world.pages.entries()) {
      const lost = page.writes.find((id) => !mapped.writes.includes(id));
      if (lost === undefined) continue;
      return {
        property: 'lost-write',
        message: `the write of ${lost} landed on P${index}, but the entry now maps P${world.page}, a copy taken before it: the write is lost`,
        ...writer(env, lost),
      };
    }
  }
  const rule = env.model.brokenStateRule(world.entry, mapped.facts, env.checks);
  if (rule) return { property: rule.id, message: `${rule.message} [P${world.page} ${env.model.describeBits(world.entry)}]` };
  return undefined;
}

/** §5.5: before a page's contents are copied, no CPU may hold a writable translation of it. */
export function checkCopySource(s: StepContext, page: number): void {
  if (!s.checks('stale-tlb')) return;
  for (let cpu = 0; cpu < s.cpuCount(); cpu++) {
    const tlb = s.tlb(cpu);
    if (tlb && tlb.page === page && tlb.write) {
      s.report('stale-tlb', `P${page} is copied while ${s.env.cpuNames[cpu]} still holds a writable TLB entry for it: a write through it after the copy is lost`);
    }
  }
}

/** §5.3 and rule stale-tlb at a PTL unlock: a cached translation allows more than the entry, and nothing covers it. */
export function checkUnlock(s: StepContext): void {
  if (!s.checks('stale-tlb')) return;
  const { model } = s;
  const entry = s.entry();
  const page = s.page();
  const stale: string[] = [];
  for (let cpu = 0; cpu < s.cpuCount(); cpu++) {
    const tlb = s.tlb(cpu);
    if (!tlb) continue;
    if (tlb.page !== page || !model.hardwareReadable(entry) || (tlb.write && !model.hardwareWritable(entry))) stale.push(s.env.cpuNames[cpu]!);
  }
  if (stale.length === 0) return;
  const { sim } = model;
  const facts = sim.constantFacts([
    'downgrade_unflushed',
    ...(s.pending() > 0 ? ['flush_pending'] : []),
    ...(s.mmapWriteLocked() ? ['mmap_write_locked'] : []),
  ]);
  const hit = sim.hazards.checkTlb(sim.alg, 'pte', facts).find((h) => h.condition === sim.alg.TRUE);
  if (hit) s.report('stale-tlb', `${hit.rule.message} (${stale.join(', ')} still cache${stale.length === 1 ? 's' : ''} the old translation)`);
}

/** A write lands on a page the entry maps with uffd-wp set, after every write-protect completed. */
export function checkProtectedWrite(s: StepContext, page: number): void {
  if (!s.checks('uffd-wp-write')) return;
  const { model } = s;
  if (s.page() !== page || !model.test('userfaultfd_pte_wp', s.entry()) || s.pending() > 0) return;
  s.report('uffd-wp-write', `a write lands on P${page} through a stale TLB entry although its entry is uffd-wp protected and no flush is pending: userfaultfd never sees it`);
}
