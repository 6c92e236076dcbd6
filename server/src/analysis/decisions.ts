// A path's branch decisions as people read them (`!(cond)` when not taken), and the test
// that matches paths across the two sides of a patch: a patch that adds a branch splits a
// path but keeps its old decisions, so two paths correspond when one's decisions contain
// the other's.

export interface DecisionLike {
  readonly text: string;
  readonly taken: boolean;
}

export const decisionText = (d: DecisionLike): string => {
  const text = d.text.replace(/\s+/g, ' ');
  return d.taken ? text : `!(${text})`;
};

export const formatDecisions = (decisions: readonly DecisionLike[]): string => decisions.map(decisionText).join(' → ') || '(straight line)';

export function decisionsNest(a: readonly DecisionLike[], b: readonly DecisionLike[]): boolean {
  const [x, y] = [new Set(a.map(decisionText)), new Set(b.map(decisionText))];
  const within = (small: Set<string>, big: Set<string>) => [...small].every((d) => big.has(d));
  return within(x, y) || within(y, x);
}
