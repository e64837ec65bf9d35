// ddopt — every ddopt library package from one import: `import { tensor, grad, adam, mlp } from 'ddopt'`.
// The packages export disjoint names (packages/ddopt/test/no-collisions.test.ts checks it), so
// nothing here is renamed; import `@ddopt/<name>` directly to load less.
export * from '@ddopt/tensor';
export * from '@ddopt/autograd';
export * from '@ddopt/layers';
export * from '@ddopt/optimizers';
export * from '@ddopt/second-order';
export * from '@ddopt/diff-solvers';
export * from '@ddopt/datasets';
export * from '@ddopt/theory';
export * from '@ddopt/experiments';
