// @ddopt/experiments — the seed documents' experiments, their result contract, figures and runner.
// Browser-safe: no Node-only API and no file output (the `ddopt` CLI writes reports).
export { RUN_BACKENDS, breathe, silentProgress } from './contract.js';
export type { Axis, Experiment, ExperimentResult, GridPoint, JobConfig, JobOutput, JobRecord, SweepDefinition, FigureSpec, Progress, Rule, RunBackend, RunConfig, RunMode, Series, Table, Verdict } from './contract.js';
export { experimentById, experiments } from './registry.js';
export { runExperiment, type ExperimentRecord } from './run.js';
export { canonicalPoint, checkGrid, jobKey, jobSeed, runSweepInline } from './sweep.js';
export { renderFigure } from './figure.js';
export { cnnClosedForm } from './000-survey/cnn-closed-form.js';
export { gramDynamics } from './000-survey/gram-dynamics.js';
export { quadraticActivations } from './000-survey/quadratic-activations.js';
export { descentLemma } from './001-lecture/descent-lemma.js';
export { saddleEscape } from './001-lecture/saddle-escape.js';
export { safranShamir } from './001-lecture/safran-shamir.js';
export { satnetSudoku } from './003-discrete/satnet-sudoku.js';
export { satnetSudokuTrainer, sudokuDigits, sudokuInputMask, type SatnetSudokuParams, type SatnetSudokuTrainer, type SatnetSudokuTrainerOptions, type SudokuBatch, type SudokuDigitNet } from './003-discrete/satnet-sudoku-trainer.js';
export { dmmAssignment } from './003-discrete/dmm-assignment.js';
export { qpLayer } from './003-discrete/qp-layer.js';
export { doubleDescent } from './003-double-descent/double-descent.js';
export { deepDoubleDescent } from './003-double-descent/deep-double-descent.js';
export { epochWiseDoubleDescent } from './003-double-descent/epoch-wise-double-descent.js';
export { optimizerRace } from './003-momentum/optimizer-race.js';
export { shallowNetAlgorithms } from './003-shallow-nets/shallow-net-algorithms.js';
export { identityMapping } from './004-talk/identity-mapping.js';
export { secondOrderRace } from './003-second-order/second-order-race.js';
export { adahessianLrRobustness } from './003-second-order/adahessian-lr-robustness.js';
export { hessianSpectrum } from './003-second-order/hessian-spectrum.js';
