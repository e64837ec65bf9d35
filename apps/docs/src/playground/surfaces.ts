// The 2-D surfaces of the optimizer race. Each is written once with @ddopt/tensor ops on x and y
// of any (equal) shape: the optimizers differentiate it at a point (scalars), the contour plot
// evaluates it on a grid (vectors) with the same code.
import { type Tensor, add, exp, mul, square, sub } from '@ddopt/tensor';
import type { LrKind } from './methods.js';

export interface SurfaceParams {
  /** ε of the lecture's valley (w₂ − w₁²)² + εw₁²; negative makes the origin a saddle. */
  eps: number;
  /** Condition number κ of the quadratic ½(x² + κy²). */
  kappa: number;
}

export interface Surface {
  id: string;
  label: string;
  formula: string;
  x: [number, number];
  y: [number, number];
  start: [number, number];
  /** Learning rates that work from `start`, per kind of method (the presets of the page). */
  lr: Record<LrKind, number>;
  f(x: Tensor, y: Tensor, p: SurfaceParams): Tensor;
}

export const SURFACES: readonly Surface[] = [
  {
    id: 'rosenbrock',
    label: 'Rosenbrock',
    formula: '(1 − x)² + 100(y − x²)²',
    x: [-2, 2],
    y: [-1, 3],
    start: [-1.5, 2.5],
    lr: { sgd: 1e-3, adaptive: 0.05, adadelta: 1, unit: 1 },
    f: (x, y) => add(square(sub(1, x)), mul(100, square(sub(y, square(x))))),
  },
  {
    id: 'beale',
    label: 'Beale',
    formula: '(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
    x: [-4.5, 4.5],
    y: [-4.5, 4.5],
    start: [1, 1.5],
    lr: { sgd: 1e-3, adaptive: 0.05, adadelta: 1, unit: 1 },
    f: (x, y) => {
      const term = (c: number, yk: Tensor) => square(add(sub(c, x), mul(x, yk)));
      return add(add(term(1.5, y), term(2.25, square(y))), term(2.625, mul(square(y), y)));
    },
  },
  {
    id: 'valley',
    label: 'Lecture valley (w₂ − w₁²)² + εw₁²',
    formula: '(y − x²)² + εx² (ε < 0: a saddle at the origin)',
    x: [-2, 2],
    y: [-1, 3],
    start: [1.5, 0.5],
    lr: { sgd: 0.01, adaptive: 0.05, adadelta: 1, unit: 1 },
    f: (x, y, p) => add(square(sub(y, square(x))), mul(p.eps, square(x))),
  },
  {
    id: 'quadratic',
    label: 'Badly conditioned quadratic',
    formula: '½(x² + κy²)',
    x: [-2, 2],
    y: [-2, 2],
    start: [-1.8, 1.2],
    lr: { sgd: 0.02, adaptive: 0.05, adadelta: 1, unit: 1 },
    f: (x, y, p) => mul(0.5, add(square(x), mul(p.kappa, square(y)))),
  },
  {
    id: 'two-minima',
    label: 'Two minima',
    formula: '(x² − 1)² + 2(y − x/2)² + 0.3x − 0.6·exp(−(x − 1)² − y²)',
    x: [-2, 2],
    y: [-2, 2],
    start: [0.2, 1.6],
    lr: { sgd: 0.02, adaptive: 0.05, adadelta: 1, unit: 1 },
    f: (x, y) => {
      const wells = add(square(sub(square(x), 1)), mul(2, square(sub(y, mul(0.5, x)))));
      const bump = mul(-0.6, exp(sub(0, add(square(sub(x, 1)), square(y)))));
      return add(add(wells, mul(0.3, x)), bump);
    },
  },
];

/** The surface with this id; throws naming the known ids otherwise. */
export function surfaceById(id: string): Surface {
  const s = SURFACES.find((x) => x.id === id);
  if (!s) throw new RangeError(`surfaceById: unknown surface "${id}"; known: ${SURFACES.map((x) => x.id).join(', ')}`);
  return s;
}
