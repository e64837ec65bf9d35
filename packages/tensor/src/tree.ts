// Pytrees: nested plain objects and arrays with Tensor leaves (see tree/structure.ts for the rules).
export { type PyTree, type TreeDef, treeFlatten, treeUnflatten, treeDefLeafCount } from './tree/structure.js';
export { treeMap, treeLeaves, treeZip } from './tree/map.js';
export { treeAdd, treeSub, treeScale, treeDot, treeNorm, treeZerosLike } from './tree/math.js';
