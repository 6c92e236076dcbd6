export type { Assignment, Bool, BoolAlgebra, PortableFormulas, VariablePlacement } from './algebra';
export { BddLimitError, BddManager } from './bdd';

import type { BoolAlgebra } from './algebra';
import { BddManager } from './bdd';

/** A fresh solver; each analysis owns one. */
export function createAlgebra(): BoolAlgebra {
  return new BddManager();
}
