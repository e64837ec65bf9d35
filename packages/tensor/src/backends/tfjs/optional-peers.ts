import { peerDependencies } from '../../../package.json';

type TfjsPackage = '@tensorflow/tfjs-core' | '@tensorflow/tfjs-backend-wasm' | '@tensorflow/tfjs-backend-webgl';

/** The tfjs version the wasm and webgl backends are built and tested against (tensor's optional peers). */
export const TFJS_VERSION: string = peerDependencies['@tensorflow/tfjs-core'];

/**
 * The error a backend subpath gives when tfjs packages it needs are not installed: tfjs is an
 * optional peer dependency of @ddopt/tensor (most installs run on cpu and never load it), so the
 * message names the packages and the command that installs them.
 */
export function missingTfjsError(entry: '@ddopt/tensor/wasm' | '@ddopt/tensor/webgl', missing: readonly TfjsPackage[], cause?: unknown): Error {
  const wanted = missing.map((p) => `${p}@${peerDependencies[p]}`).join(' ');
  return new Error(
    `${entry} needs ${missing.join(' and ')}, optional peer ${missing.length > 1 ? 'dependencies' : 'dependency'} of @ddopt/tensor that ${missing.length > 1 ? 'are' : 'is'} not installed; ` +
      `install ${missing.length > 1 ? 'them' : 'it'} with: npm install ${wanted}`,
    { cause },
  );
}

/** Whether `e` says that the module `name` itself could not be found (not one of its imports). */
export function isNotFound(e: unknown, name: string): boolean {
  const err = e as { code?: string; message?: string } | null;
  if (err === null || typeof err !== 'object') return false;
  const code = err.code;
  return (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && typeof err.message === 'string' && err.message.includes(`'${name}'`);
}
