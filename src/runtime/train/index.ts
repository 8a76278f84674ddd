// backprop-ts training helpers: seeded random numbers, parameter initialisers, functions over
// parameter trees, and optimizers (SGD, momentum, Adam) that update any tree `grad` can differentiate.
export { Random, mulberry32 } from "./random.js";
export {
  tensor, zeros, uniform, normal, fans, glorotUniform, heUniform, glorotNormal, heNormal,
  type Storage, type Tensor, type Source, type FanOptions,
} from "./init.js";
export {
  mapTree, zipTree, addTree, subTree, scaleTree, zerosLike, cloneTree, forEachNumber, countNumbers,
  dotTree, normTree, clipByNorm, maxAbsTree,
} from "./tree.js";
export {
  sgd, momentum, adam,
  type Optimizer, type LearningRate, type SgdOptions, type MomentumOptions, type AdamOptions,
} from "./optim.js";
