export { seedSgd, seedSgdm, seedNag, seedAdagrad, seedAdadelta, seedRmsprop, seedAdam, seedNadam, seedQhm, seedDemon } from './forms.js';
