// @ddopt/second-order — Curvature products, Newton-CG / Hessian-free, Gauss-Newton, LiSSA, AdaHessian, L-BFGS, SQGN and Hessian spectra (planned).
// The package exists so the layout is visible; its functions land with their own issues.

import { version as packageVersion } from '../package.json';

/** The package version, taken from its package.json when the package is built. */
export const version: string = packageVersion;
