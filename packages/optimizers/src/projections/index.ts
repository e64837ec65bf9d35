export { type Projection, type ProjectionSpec, projectTree } from './projection.js';
export { box, l2Ball, linfBall, l1Ball, simplex, halfspace, hyperplane, affine } from './sets.js';
export { projectOnto, projected } from './project-onto.js';
