// The playgrounds by name, each loaded on demand so a page only downloads the one it shows.
export type PlaygroundName = 'race' | 'momentum' | 'train' | 'double-descent' | 'experiments' | 'curvature' | 'sudoku';

type Mount = (root: HTMLElement) => () => void;

const loaders: Record<PlaygroundName, () => Promise<Mount>> = {
  race: async () => (await import('./race.js')).mountRace,
  momentum: async () => (await import('./momentum.js')).mountMomentum,
  train: async () => (await import('./train.js')).mountTrain,
  'double-descent': async () => (await import('./double-descent.js')).mountDoubleDescent,
  experiments: async () => (await import('./experiments.js')).mountExperiments,
  curvature: async () => (await import('./curvature.js')).mountCurvature,
  sudoku: async () => (await import('./sudoku.js')).mountSudoku,
};

/** The mount function of a playground; throws naming the known ones for an unknown name. */
export function loadPlayground(name: PlaygroundName): Promise<Mount> {
  const load = loaders[name];
  if (!load) return Promise.reject(new RangeError(`loadPlayground: unknown playground "${name}"; known: ${Object.keys(loaders).join(', ')}`));
  return load();
}
