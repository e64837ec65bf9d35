import { cnnClosedForm } from './000-survey/cnn-closed-form.js';
import { gramDynamics } from './000-survey/gram-dynamics.js';
import { quadraticActivations } from './000-survey/quadratic-activations.js';
import { descentLemma } from './001-lecture/descent-lemma.js';
import { lossLandscape } from './001-lecture/loss-landscape.js';
import { modeConnectivity } from './001-lecture/mode-connectivity.js';
import { safranShamir } from './001-lecture/safran-shamir.js';
import { saddleEscape } from './001-lecture/saddle-escape.js';
import { dmmAssignment } from './003-discrete/dmm-assignment.js';
import { qpLayer } from './003-discrete/qp-layer.js';
import { satnetSudoku } from './003-discrete/satnet-sudoku.js';
import { deepDoubleDescent } from './003-double-descent/deep-double-descent.js';
import { doubleDescent } from './003-double-descent/double-descent.js';
import { epochWiseDoubleDescent } from './003-double-descent/epoch-wise-double-descent.js';
import { residualCifar } from './003-resnet/residual-cifar.js';
import { shallowNetAlgorithms } from './003-shallow-nets/shallow-net-algorithms.js';
import { identityMapping } from './004-talk/identity-mapping.js';
import { optimizerRace } from './003-momentum/optimizer-race.js';
import { adahessianLrRobustness } from './003-second-order/adahessian-lr-robustness.js';
import { hessianSpectrum } from './003-second-order/hessian-spectrum.js';
import { secondOrderRace } from './003-second-order/second-order-race.js';
import type { Experiment } from './contract.js';

/** Every registered experiment, in the order `ddopt reproduce` runs them and its report shows them. */
export const experiments: Experiment[] = [optimizerRace, descentLemma, saddleEscape, doubleDescent, deepDoubleDescent, epochWiseDoubleDescent, lossLandscape, modeConnectivity, safranShamir, cnnClosedForm, gramDynamics, quadraticActivations, shallowNetAlgorithms, identityMapping, secondOrderRace, adahessianLrRobustness, hessianSpectrum, residualCifar, satnetSudoku, dmmAssignment, qpLayer];

/** The registered experiment with this id; throws naming the known ids otherwise. */
export function experimentById(id: string): Experiment {
  const found = experiments.find((e) => e.id === id);
  if (!found) throw new RangeError(`experimentById: unknown experiment "${id}"; known experiments: ${experiments.map((e) => e.id).join(', ')}`);
  return found;
}
