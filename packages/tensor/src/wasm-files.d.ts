// tfjs-backend-wasm's binaries as the browser build imports them: base64 text (esbuild's base64 loader).
declare module '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm' {
  const base64: string;
  export default base64;
}
declare module '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm' {
  const base64: string;
  export default base64;
}
