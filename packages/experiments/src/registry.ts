import type { Experiment } from '../experiment.js';
import { descentLemma } from './descent-lemma.js';
import { doubleDescent } from './double-descent.js';
import { optimizerRace } from './optimizer-race.js';
import { saddleEscape } from './saddle-escape.js';

/** Every experiment `ddopt reproduce` knows, in the order they run and appear in the report. */
export const experiments: Experiment[] = [optimizerRace, descentLemma, saddleEscape, doubleDescent];
