// @ddopt/theory — Closed forms and checks from deep-learning theory: ReLU kernels, NTK Gram matrices, spurious minima, double descent (planned).
// The package exists so the layout is visible; its functions land with their own issues.

/** The package version. */
export const version = '0.0.0';
