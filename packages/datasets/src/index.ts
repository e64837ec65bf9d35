// @ddopt/datasets — Iris, MNIST, IDX and CIFAR-10 readers, generators, label noise, batching.
export type { Dataset } from './types.js';
export { iris } from './iris.js';
export { mnist, type MnistOptions } from './mnist.js';
export { batches, type BatchOptions, type Columns } from './batches.js';
export { trainTestSplit, type SplitOptions } from './split.js';
export { fitStandardization, standardize, type Standardization } from './standardize.js';
export { nakkiranRegression, teacherStudentData, type NakkiranOptions, type TeacherStudentOptions } from './generators/regression.js';
export { twoSpirals, xor, circles, gaussianBlobs, type ToyOptions, type GaussianBlobsOptions } from './generators/toy.js';
export { labelNoise, type LabelNoiseOptions } from './label-noise.js';
export { parseIdx, readIdx, mnistFromIdx, type IdxArray, type MnistIdxOptions } from './readers/idx.js';
export { parseCifar10, readCifar10, cifar10, CIFAR10_CLASSES } from './readers/cifar10.js';
export { sudoku, sudokuToBits, sudokuPermutation, permuteSudokuBits, countSudokuSolutions, type SudokuOptions, type SudokuSize } from './generators/sudoku.js';
export { visualSudoku } from './generators/visual-sudoku.js';
