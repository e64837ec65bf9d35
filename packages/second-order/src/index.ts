// @ddopt/second-order — Curvature products, Newton-CG / Hessian-free, Gauss-Newton, LiSSA, AdaHessian, L-BFGS, SQGN and Hessian spectra (planned).
// The package exists so the layout is visible; its functions land with their own issues.

/** The package version. */
export const version = '0.0.0';
