// @ddopt/diff-solvers — Differentiable discrete solvers: SATNet's MAXSAT SDP layer, relaxed assignment, QP layers, Sinkhorn (planned).
// The package exists so the layout is visible; its functions land with their own issues.

/** The package version. */
export const version = '0.0.0';
