/**
 * The source of the cpu backend's WebAssembly gemm: WebAssembly text (WAT) with 128-bit SIMD,
 * written out per float width by the functions below (the micro-kernel is unrolled over its
 * register tile). `scripts/build-wasm.ts` compiles it with wabt into `gemm-module.ts`.
 *
 * Exports, per width W ∈ {f64, f32} (all addresses are byte offsets into the imported memory):
 * - `pack_b_W(b, k, n, kb, out)`: packs row-major B (k×n) into k-blocks of kb rows, each a row of
 *   NR-column slivers (kc × NR values, zero-padded past column n): block pc starts at
 *   element pc·npad, sliver jr of it at pc·npad + jr·kc, npad = n rounded up to NR.
 * - `unfold_W(x, c, h, w, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow, kb, out)`: conv2d's unfolded input
 *   written in pack_b's layout (see unfold below); `unfold_t_W(x, c, h, w, kh, kw, sh, sw, pt, pl, dh,
 *   dw, oh, ow, out)` its transpose, row-major (see unfoldT).
 * - `gemm_W(a, pb, c, k, n, kb, i0, i1, work)`: rows [i0, i1) of C = A·B, A row-major with k
 *   columns, B packed by pack_b, C row-major with n columns; `work` is this thread's scratch
 *   (WORK_BYTES). Every element of C is the sum over k-blocks in order of its k-block sums,
 *   each accumulated from +0 in order of p: the same order as gemm-core.ts, whatever i0 and i1.
 *
 * - `symv_f64(a, lda, n, v, y)`: y = B·v for symmetric B stored by its lower triangle (see symv below;
 *   float64 only: the linalg routines' Householder tridiagonalisation).
 *
 * No fused multiply-add (WebAssembly SIMD has none outside relaxed SIMD, whose rounding differs
 * between machines): every product and sum is rounded as in JavaScript, so float64 results are
 * bit-identical to the JavaScript kernel and the same on every machine.
 */
import { KC, MAX_PAGES, MC, TILES, type Tile } from './layout.js';

interface Width {
  /** Suffix of the exported names. */
  name: 'f64' | 'f32';
  /** Scalar and vector types. */
  t: 'f64' | 'f32';
  v: 'f64x2' | 'f32x4';
  /** Integer type of the same width, for bit-exact copies. */
  int: 'i64' | 'i32';
  splat: 'v128.load64_splat' | 'v128.load32_splat';
  tile: Tile;
}

const WIDTHS: Width[] = [
  { name: 'f64', t: 'f64', v: 'f64x2', int: 'i64', splat: 'v128.load64_splat', tile: TILES.float64 },
  { name: 'f32', t: 'f32', v: 'f32x4', int: 'i32', splat: 'v128.load32_splat', tile: TILES.float32 },
];

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const min = (a: string, b: string) => `(select ${a} ${b} (i32.lt_u ${a} ${b}))`;
const get = (x: string) => `(local.get $${x})`;
const locals = (names: string[], type: string) => names.map((x) => `(local $${x} ${type})`).join(' ');

/**
 * micro_W(ap, bp, kc, c, ldc, first): the MR×NR tile of C at c (row stride ldc bytes) gets
 * Σ_p ap[p·MR + i] · bp[p·NR + j] over kc ≥ 1 steps, stored when `first`, else added.
 */
function micro(w: Width): string {
  const { bytes, mr, nr } = w.tile;
  const lanes = 16 / bytes;
  const nv = nr / lanes;
  const acc = (i: number, j: number) => `c${i}_${j}`;
  const accs = range(mr).flatMap((i) => range(nv).map((j) => acc(i, j)));
  const step = [
    ...range(nv).map((j) => `(local.set $b${j} (v128.load offset=${j * 16} ${get('bp')}))`),
    ...range(mr).flatMap((i) => [
      `(local.set $a (${w.splat} offset=${i * bytes} ${get('ap')}))`,
      ...range(nv).map((j) => `(local.set $${acc(i, j)} (${w.v}.add ${get(acc(i, j))} (${w.v}.mul ${get('a')} ${get(`b${j}`)})))`),
    ]),
  ];
  const at = (i: number, j: number) => `offset=${j * 16} (i32.add ${get('c')} (i32.mul ${get('ldc')} (i32.const ${i})))`;
  const store = range(mr).flatMap((i) => range(nv).map((j) => `(v128.store ${at(i, j)} ${get(acc(i, j))})`));
  const add = range(mr).flatMap((i) => range(nv).map((j) => `(v128.store ${at(i, j)} (${w.v}.add (v128.load ${at(i, j)}) ${get(acc(i, j))}))`));
  return `
  (func $micro_${w.name} (param $ap i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $first i32)
    (local $end i32) (local $a v128) ${locals(range(nv).map((j) => `b${j}`), 'v128')} ${locals(accs, 'v128')}
    (local.set $end (i32.add ${get('bp')} (i32.mul ${get('kc')} (i32.const ${nr * bytes}))))
    (loop $p
      ${step.join('\n      ')}
      (local.set $ap (i32.add ${get('ap')} (i32.const ${mr * bytes})))
      (local.set $bp (i32.add ${get('bp')} (i32.const ${nr * bytes})))
      (br_if $p (i32.lt_u ${get('bp')} ${get('end')})))
    (if ${get('first')}
      (then
        ${store.join('\n        ')})
      (else
        ${add.join('\n        ')})))`;
}

/** edge_W(tile, c, ldc, h, w, first): the valid h×w corner of an MR×NR tile into C (stored or added). */
function edge(w: Width): string {
  const { bytes, nr } = w.tile;
  return `
  (func $edge_${w.name} (param $tile i32) (param $c i32) (param $ldc i32) (param $h i32) (param $w i32) (param $first i32)
    (local $i i32) (local $j i32) (local $src i32) (local $dst i32)
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u ${get('i')} ${get('h')}))
      (local.set $j (i32.const 0))
      (block $cols_done (loop $cols
        (br_if $cols_done (i32.ge_u ${get('j')} ${get('w')}))
        (local.set $src (i32.add ${get('tile')} (i32.mul (i32.add (i32.mul ${get('i')} (i32.const ${nr})) ${get('j')}) (i32.const ${bytes}))))
        (local.set $dst (i32.add (i32.add ${get('c')} (i32.mul ${get('i')} ${get('ldc')})) (i32.mul ${get('j')} (i32.const ${bytes}))))
        (if ${get('first')}
          (then (${w.t}.store ${get('dst')} (${w.t}.load ${get('src')})))
          (else (${w.t}.store ${get('dst')} (${w.t}.add (${w.t}.load ${get('dst')}) (${w.t}.load ${get('src')})))))
        (local.set $j (i32.add ${get('j')} (i32.const 1)))
        (br $cols)))
      (local.set $i (i32.add ${get('i')} (i32.const 1)))
      (br $rows))))`;
}

/** pack_b_W(b, k, n, kb, out): see the module comment. */
function packB(w: Width): string {
  const { bytes, nr } = w.tile;
  const nv = (nr * bytes) / 16;
  const copy = range(nv).map((j) => `(v128.store offset=${j * 16} ${get('out')} (v128.load offset=${j * 16} ${get('src')}))`);
  return `
  (func $pack_b_${w.name} (export "pack_b_${w.name}") (param $b i32) (param $k i32) (param $n i32) (param $kb i32) (param $out i32)
    (local $pc i32) (local $kc i32) (local $jr i32) (local $w i32) (local $src i32) (local $p i32) (local $j i32) (local $row i32)
    (local.set $row (i32.mul ${get('n')} (i32.const ${bytes})))
    (block $pc_done (loop $pcs
      (br_if $pc_done (i32.ge_u ${get('pc')} ${get('k')}))
      (local.set $kc ${min(get('kb'), `(i32.sub ${get('k')} ${get('pc')})`)})
      (local.set $jr (i32.const 0))
      (block $jr_done (loop $jrs
        (br_if $jr_done (i32.ge_u ${get('jr')} ${get('n')}))
        (local.set $w ${min(`(i32.const ${nr})`, `(i32.sub ${get('n')} ${get('jr')})`)})
        (local.set $src (i32.add ${get('b')} (i32.mul (i32.add (i32.mul ${get('pc')} ${get('n')}) ${get('jr')}) (i32.const ${bytes}))))
        (local.set $p (i32.const 0))
        (if (i32.eq ${get('w')} (i32.const ${nr}))
          (then
            (loop $full
              ${copy.join('\n              ')}
              (local.set $out (i32.add ${get('out')} (i32.const ${nr * bytes})))
              (local.set $src (i32.add ${get('src')} ${get('row')}))
              (local.set $p (i32.add ${get('p')} (i32.const 1)))
              (br_if $full (i32.lt_u ${get('p')} ${get('kc')}))))
          (else
            (loop $part
              (local.set $j (i32.const 0))
              (loop $col
                (if (i32.lt_u ${get('j')} ${get('w')})
                  (then (${w.int}.store (i32.add ${get('out')} (i32.mul ${get('j')} (i32.const ${bytes}))) (${w.int}.load (i32.add ${get('src')} (i32.mul ${get('j')} (i32.const ${bytes}))))))
                  (else (${w.int}.store (i32.add ${get('out')} (i32.mul ${get('j')} (i32.const ${bytes}))) (${w.int}.const 0))))
                (local.set $j (i32.add ${get('j')} (i32.const 1)))
                (br_if $col (i32.lt_u ${get('j')} (i32.const ${nr}))))
              (local.set $out (i32.add ${get('out')} (i32.const ${nr * bytes})))
              (local.set $src (i32.add ${get('src')} ${get('row')}))
              (local.set $p (i32.add ${get('p')} (i32.const 1)))
              (br_if $part (i32.lt_u ${get('p')} ${get('kc')})))))
        (local.set $jr (i32.add ${get('jr')} (i32.const ${nr})))
        (br $jrs)))
      (local.set $pc (i32.add ${get('pc')} ${get('kc')}))
      (br $pcs))))`;
}

/**
 * pack_a_W(a, k, mc, kc, out): rows [0, mc) and columns [0, kc) of A at a (row stride k
 * elements) as MR-row slivers, column by column (sliver s holds rows s·MR.. at out + s·MR·kc),
 * rows past mc zero.
 */
function packA(w: Width): string {
  const { bytes, mr } = w.tile;
  return `
  (func $pack_a_${w.name} (param $a i32) (param $k i32) (param $mc i32) (param $kc i32) (param $out i32)
    (local $ir i32) (local $h i32) (local $i i32) (local $src i32) (local $dst i32) (local $end i32) (local $row i32)
    (local.set $row (i32.mul ${get('k')} (i32.const ${bytes})))
    (block $ir_done (loop $irs
      (br_if $ir_done (i32.ge_u ${get('ir')} ${get('mc')}))
      (local.set $h ${min(`(i32.const ${mr})`, `(i32.sub ${get('mc')} ${get('ir')})`)})
      (local.set $i (i32.const 0))
      (loop $is
        (local.set $dst (i32.add ${get('out')} (i32.mul ${get('i')} (i32.const ${bytes}))))
        (local.set $end (i32.add ${get('dst')} (i32.mul ${get('kc')} (i32.const ${mr * bytes}))))
        (if (i32.lt_u ${get('i')} ${get('h')})
          (then
            (local.set $src (i32.add ${get('a')} (i32.mul (i32.add ${get('ir')} ${get('i')}) ${get('row')})))
            (loop $copy
              (${w.int}.store ${get('dst')} (${w.int}.load ${get('src')}))
              (local.set $src (i32.add ${get('src')} (i32.const ${bytes})))
              (local.set $dst (i32.add ${get('dst')} (i32.const ${mr * bytes})))
              (br_if $copy (i32.lt_u ${get('dst')} ${get('end')}))))
          (else
            (loop $zero
              (${w.int}.store ${get('dst')} (${w.int}.const 0))
              (local.set $dst (i32.add ${get('dst')} (i32.const ${mr * bytes})))
              (br_if $zero (i32.lt_u ${get('dst')} ${get('end')})))))
        (local.set $i (i32.add ${get('i')} (i32.const 1)))
        (br_if $is (i32.lt_u ${get('i')} (i32.const ${mr}))))
      (local.set $out (i32.add ${get('out')} (i32.mul ${get('kc')} (i32.const ${mr * bytes}))))
      (local.set $ir (i32.add ${get('ir')} (i32.const ${mr})))
      (br $irs))))`;
}

/** gemm_W(a, pb, c, k, n, kb, i0, i1, work): see the module comment. Loop order of BLIS: pc, ic, jr, ir. */
function gemm(w: Width): string {
  const { bytes, mr, nr } = w.tile;
  const mul = (...xs: string[]) => xs.reduce((x, y) => `(i32.mul ${x} ${y})`);
  const add = (...xs: string[]) => xs.reduce((x, y) => `(i32.add ${x} ${y})`);
  const c = (x: number) => `(i32.const ${x})`;
  const names = ['npad', 'rows', 'parts', 'mb', 'pc', 'kc', 'ic', 'mc', 'jr', 'w', 'ir', 'h', 'bsl', 'cp', 'asl', 'first', 'ldc', 'tile'];
  return `
  (func $gemm_${w.name} (export "gemm_${w.name}") (param $a i32) (param $pb i32) (param $c i32) (param $k i32) (param $n i32) (param $kb i32) (param $i0 i32) (param $i1 i32) (param $work i32)
    ${locals(names, 'i32')}
    (if (i32.ge_u ${get('i0')} ${get('i1')}) (then (return)))
    (local.set $npad ${mul(`(i32.div_u ${add(get('n'), c(nr - 1))} ${c(nr)})`, c(nr))})
    (local.set $ldc ${mul(get('n'), c(bytes))})
    (local.set $tile ${add(get('work'), c(MC * KC * 8))})
    ;; Row blocks of equal size (a multiple of MR): rows split into ceil(rows / MC) parts.
    (local.set $rows (i32.sub ${get('i1')} ${get('i0')}))
    (local.set $parts (i32.div_u ${add(get('rows'), c(MC - 1))} ${c(MC)}))
    (local.set $mb ${mul(`(i32.div_u ${add(`(i32.div_u ${add(get('rows'), `(i32.sub ${get('parts')} ${c(1)})`)} ${get('parts')})`, c(mr - 1))} ${c(mr)})`, c(mr))})
    (local.set $first ${c(1)})
    (block $pc_done (loop $pcs
      (br_if $pc_done (i32.ge_u ${get('pc')} ${get('k')}))
      (local.set $kc ${min(get('kb'), `(i32.sub ${get('k')} ${get('pc')})`)})
      (local.set $ic ${get('i0')})
      (block $ic_done (loop $ics
        (br_if $ic_done (i32.ge_u ${get('ic')} ${get('i1')}))
        (local.set $mc ${min(get('mb'), `(i32.sub ${get('i1')} ${get('ic')})`)})
        (call $pack_a_${w.name} ${add(get('a'), mul(add(mul(get('ic'), get('k')), get('pc')), c(bytes)))} ${get('k')} ${get('mc')} ${get('kc')} ${get('work')})
        (local.set $jr ${c(0)})
        (block $jr_done (loop $jrs
          (br_if $jr_done (i32.ge_u ${get('jr')} ${get('n')}))
          (local.set $w ${min(c(nr), `(i32.sub ${get('n')} ${get('jr')})`)})
          (local.set $bsl ${add(get('pb'), mul(add(mul(get('pc'), get('npad')), mul(get('jr'), get('kc'))), c(bytes)))})
          (local.set $ir ${c(0)})
          (block $ir_done (loop $irs
            (br_if $ir_done (i32.ge_u ${get('ir')} ${get('mc')}))
            (local.set $h ${min(c(mr), `(i32.sub ${get('mc')} ${get('ir')})`)})
            (local.set $cp ${add(get('c'), mul(add(mul(add(get('ic'), get('ir')), get('n')), get('jr')), c(bytes)))})
            (local.set $asl ${add(get('work'), mul(get('ir'), get('kc'), c(bytes)))})
            (if (i32.and (i32.eq ${get('h')} ${c(mr)}) (i32.eq ${get('w')} ${c(nr)}))
              (then (call $micro_${w.name} ${get('asl')} ${get('bsl')} ${get('kc')} ${get('cp')} ${get('ldc')} ${get('first')}))
              (else
                (call $micro_${w.name} ${get('asl')} ${get('bsl')} ${get('kc')} ${get('tile')} ${c(nr * bytes)} ${c(1)})
                (call $edge_${w.name} ${get('tile')} ${get('cp')} ${get('ldc')} ${get('h')} ${get('w')} ${get('first')})))
            (local.set $ir (i32.add ${get('ir')} ${c(mr)}))
            (br $irs)))
          (local.set $jr (i32.add ${get('jr')} ${c(nr)}))
          (br $jrs)))
        (local.set $ic (i32.add ${get('ic')} ${get('mb')}))
        (br $ics)))
      (local.set $first ${c(0)})
      (local.set $pc (i32.add ${get('pc')} ${get('kc')}))
      (br $pcs))))`;
}

/**
 * unfold_W(x, c, h, w, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow, kb, out): conv2d's unfolded input
 * (im2col of c planes h×w at x; kernel kh×kw, stride sh×sw, top/left padding pt/pl, dilation
 * dh×dw, output oh×ow) written straight into pack_b's layout at out, as im2col.ts's
 * im2colPacked does, for outputs whose rows are whole NR-wide slivers (ow a multiple of NR; the
 * caller checks). Slivers inside the input row at stride 1 are NR·bytes copied as vectors;
 * padding rows are vector zeros; slivers over a padding edge go element by element.
 */
function unfold(w: Width): string {
  const { bytes, nr } = w.tile;
  const nv = (nr * bytes) / 16;
  const c = (x: number) => `(i32.const ${x})`;
  const names = ['rows', 'npad', 'r', 'ci', 'i', 'j', 'pc', 'kc', 'step', 'dst', 'p', 'ih', 'inside', 'rowAt', 'q0', 'iw0', 't', 'iw', 'plane', 'plen'];
  const zeros = range(nv).map((v) => `(v128.store offset=${v * 16} ${get('dst')} (v128.const i64x2 0 0))`);
  const copy = range(nv).map((v) => `(v128.store offset=${v * 16} ${get('dst')} (v128.load offset=${v * 16} (i32.add ${get('rowAt')} (i32.mul ${get('iw0')} ${c(bytes)}))))`);
  return `
  (func $unfold_${w.name} (export "unfold_${w.name}") (param $x i32) (param $c i32) (param $h i32) (param $w i32) (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32) (param $dh i32) (param $dw i32) (param $oh i32) (param $ow i32) (param $kb i32) (param $out i32)
    ${locals(names, 'i32')}
    (local.set $rows (i32.mul (i32.mul ${get('c')} ${get('kh')}) ${get('kw')}))
    (local.set $npad (i32.mul ${get('oh')} ${get('ow')}))
    (local.set $plen (i32.mul (i32.mul ${get('h')} ${get('w')}) ${c(bytes)}))
    (local.set $plane ${get('x')})
    (block $c_done (loop $cs
      (br_if $c_done (i32.ge_u ${get('ci')} ${get('c')}))
      (local.set $i ${c(0)})
      (block $i_done (loop $is
        (br_if $i_done (i32.ge_u ${get('i')} ${get('kh')}))
        (local.set $j ${c(0)})
        (block $j_done (loop $js
          (br_if $j_done (i32.ge_u ${get('j')} ${get('kw')}))
          (local.set $pc (i32.mul (i32.div_u ${get('r')} ${get('kb')}) ${get('kb')}))
          (local.set $kc ${min(get('kb'), `(i32.sub ${get('rows')} ${get('pc')})`)})
          (local.set $step (i32.mul ${get('kc')} ${c(nr * bytes)}))
          (local.set $dst (i32.add ${get('out')} (i32.mul (i32.add (i32.mul ${get('pc')} ${get('npad')}) (i32.mul (i32.sub ${get('r')} ${get('pc')}) ${c(nr)})) ${c(bytes)})))
          (local.set $p ${c(0)})
          (block $p_done (loop $ps
            (br_if $p_done (i32.ge_u ${get('p')} ${get('oh')}))
            (local.set $ih (i32.sub (i32.add (i32.mul ${get('p')} ${get('sh')}) (i32.mul ${get('i')} ${get('dh')})) ${get('pt')}))
            (local.set $inside (i32.and (i32.ge_s ${get('ih')} ${c(0)}) (i32.lt_s ${get('ih')} ${get('h')})))
            (local.set $rowAt (i32.add ${get('plane')} (i32.mul (i32.mul ${get('ih')} ${get('w')}) ${c(bytes)})))
            (local.set $q0 ${c(0)})
            (block $q_done (loop $qs
              (br_if $q_done (i32.ge_u ${get('q0')} ${get('ow')}))
              (local.set $iw0 (i32.sub (i32.add (i32.mul ${get('q0')} ${get('sw')}) (i32.mul ${get('j')} ${get('dw')})) ${get('pl')}))
              (if (i32.eqz ${get('inside')})
                (then
                  ${zeros.join('\n                  ')})
                (else
                  (if (i32.and (i32.eq ${get('sw')} ${c(1)}) (i32.and (i32.ge_s ${get('iw0')} ${c(0)}) (i32.le_s (i32.add ${get('iw0')} ${c(nr)}) ${get('w')})))
                    (then
                      ${copy.join('\n                      ')})
                    (else
                      (local.set $t ${c(0)})
                      (loop $ts
                        (local.set $iw (i32.add ${get('iw0')} (i32.mul ${get('t')} ${get('sw')})))
                        (if (i32.and (i32.ge_s ${get('iw')} ${c(0)}) (i32.lt_s ${get('iw')} ${get('w')}))
                          (then (${w.int}.store (i32.add ${get('dst')} (i32.mul ${get('t')} ${c(bytes)})) (${w.int}.load (i32.add ${get('rowAt')} (i32.mul ${get('iw')} ${c(bytes)})))))
                          (else (${w.int}.store (i32.add ${get('dst')} (i32.mul ${get('t')} ${c(bytes)})) (${w.int}.const 0))))
                        (local.set $t (i32.add ${get('t')} ${c(1)}))
                        (br_if $ts (i32.lt_u ${get('t')} ${c(nr)})))))))
              (local.set $dst (i32.add ${get('dst')} ${get('step')}))
              (local.set $q0 (i32.add ${get('q0')} ${c(nr)}))
              (br $qs)))
            (local.set $p (i32.add ${get('p')} ${c(1)}))
            (br $ps)))
          (local.set $r (i32.add ${get('r')} ${c(1)}))
          (local.set $j (i32.add ${get('j')} ${c(1)}))
          (br $js)))
        (local.set $i (i32.add ${get('i')} ${c(1)}))
        (br $is)))
      (local.set $plane (i32.add ${get('plane')} ${get('plen')}))
      (local.set $ci (i32.add ${get('ci')} ${c(1)}))
      (br $cs))))`;
}

/**
 * unfold_t_W(x, c, h, w, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow, out): the transpose of im2col's
 * matrix, row-major [oh·ow, c·kh·kw] at out, as im2col.ts's im2colT writes it: per output position,
 * per channel and kernel row, kw input values (vector copies when the run lies inside the input row
 * at dilation 1), zeros in the padding.
 */
function unfoldT(w: Width): string {
  const { bytes } = w.tile;
  const lanes = 16 / bytes;
  const c = (x: number) => `(i32.const ${x})`;
  const names = ['p', 'q', 'col0', 'ci', 'plane', 'plen', 'i', 'ih', 'src', 'dst', 't', 'iw', 'run'];
  return `
  (func $unfold_t_${w.name} (export "unfold_t_${w.name}") (param $x i32) (param $c i32) (param $h i32) (param $w i32) (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32) (param $dh i32) (param $dw i32) (param $oh i32) (param $ow i32) (param $out i32)
    ${locals(names, 'i32')}
    (local.set $plen (i32.mul (i32.mul ${get('h')} ${get('w')}) ${c(bytes)}))
    (local.set $run (i32.mul ${get('kw')} ${c(bytes)}))
    (local.set $dst ${get('out')})
    (block $p_done (loop $ps
      (br_if $p_done (i32.ge_u ${get('p')} ${get('oh')}))
      (local.set $q ${c(0)})
      (block $q_done (loop $qs
        (br_if $q_done (i32.ge_u ${get('q')} ${get('ow')}))
        (local.set $col0 (i32.sub (i32.mul ${get('q')} ${get('sw')}) ${get('pl')}))
        (local.set $plane ${get('x')})
        (local.set $ci ${c(0)})
        (block $c_done (loop $cs
          (br_if $c_done (i32.ge_u ${get('ci')} ${get('c')}))
          (local.set $i ${c(0)})
          (block $i_done (loop $is
            (br_if $i_done (i32.ge_u ${get('i')} ${get('kh')}))
            (local.set $ih (i32.sub (i32.add (i32.mul ${get('p')} ${get('sh')}) (i32.mul ${get('i')} ${get('dh')})) ${get('pt')}))
            (local.set $t ${c(0)})
            (if (i32.and (i32.ge_s ${get('ih')} ${c(0)}) (i32.lt_s ${get('ih')} ${get('h')}))
              (then
                (local.set $src (i32.add ${get('plane')} (i32.mul (i32.add (i32.mul ${get('ih')} ${get('w')}) ${get('col0')}) ${c(bytes)})))
                (if (i32.and (i32.eq ${get('dw')} ${c(1)}) (i32.and (i32.ge_s ${get('col0')} ${c(0)}) (i32.le_s (i32.add ${get('col0')} ${get('kw')}) ${get('w')})))
                  (then
                    ;; The whole run inside the row: vectors, then the tail.
                    (block $v_done (loop $vs
                      (br_if $v_done (i32.gt_u (i32.add ${get('t')} ${c(lanes)}) ${get('kw')}))
                      (v128.store (i32.add ${get('dst')} (i32.mul ${get('t')} ${c(bytes)})) (v128.load (i32.add ${get('src')} (i32.mul ${get('t')} ${c(bytes)}))))
                      (local.set $t (i32.add ${get('t')} ${c(lanes)}))
                      (br $vs)))
                    (block $s_done (loop $ss
                      (br_if $s_done (i32.ge_u ${get('t')} ${get('kw')}))
                      (${w.int}.store (i32.add ${get('dst')} (i32.mul ${get('t')} ${c(bytes)})) (${w.int}.load (i32.add ${get('src')} (i32.mul ${get('t')} ${c(bytes)}))))
                      (local.set $t (i32.add ${get('t')} ${c(1)}))
                      (br $ss))))
                  (else
                    (block $e_done (loop $es
                      (br_if $e_done (i32.ge_u ${get('t')} ${get('kw')}))
                      (local.set $iw (i32.add ${get('col0')} (i32.mul ${get('t')} ${get('dw')})))
                      (if (i32.and (i32.ge_s ${get('iw')} ${c(0)}) (i32.lt_s ${get('iw')} ${get('w')}))
                        (then (${w.int}.store (i32.add ${get('dst')} (i32.mul ${get('t')} ${c(bytes)})) (${w.int}.load (i32.add ${get('plane')} (i32.mul (i32.add (i32.mul ${get('ih')} ${get('w')}) ${get('iw')}) ${c(bytes)})))))
                        (else (${w.int}.store (i32.add ${get('dst')} (i32.mul ${get('t')} ${c(bytes)})) (${w.int}.const 0))))
                      (local.set $t (i32.add ${get('t')} ${c(1)}))
                      (br $es))))))
              (else
                (block $z_done (loop $zs
                  (br_if $z_done (i32.ge_u ${get('t')} ${get('kw')}))
                  (${w.int}.store (i32.add ${get('dst')} (i32.mul ${get('t')} ${c(bytes)})) (${w.int}.const 0))
                  (local.set $t (i32.add ${get('t')} ${c(1)}))
                  (br $zs)))))
            (local.set $dst (i32.add ${get('dst')} ${get('run')}))
            (local.set $i (i32.add ${get('i')} ${c(1)}))
            (br $is)))
          (local.set $plane (i32.add ${get('plane')} ${get('plen')}))
          (local.set $ci (i32.add ${get('ci')} ${c(1)}))
          (br $cs)))
        (local.set $q (i32.add ${get('q')} ${c(1)}))
        (br $qs)))
      (local.set $p (i32.add ${get('p')} ${c(1)}))
      (br $ps))))`;
}

/**
 * symv_f64(a, lda, n, v, y): y = B·v for the symmetric n×n float64 B at a (row stride lda bytes)
 * given by its lower triangle (row r read at columns 0..r only; the rest is never touched): each
 * stored element is loaded once for both its row's and its column's contribution. Rows go in
 * pairs, so each y[q] is loaded and stored once per pair; the columns of a pair in f64x2 vectors
 * (r even, so a pair's off-diagonal run 0..r is whole vectors). y (n values) is overwritten.
 */
function symv(): string {
  const c = (x: number) => `(i32.const ${x})`;
  const hsum = (x: string) => `(f64.add (f64x2.extract_lane 0 ${get(x)}) (f64x2.extract_lane 1 ${get(x)}))`;
  return `
  (func $symv_f64 (export "symv_f64") (param $a i32) (param $lda i32) (param $n i32) (param $v i32) (param $y i32)
    (local $r i32) (local $q i32) (local $end i32) (local $row0 i32) (local $row1 i32) (local $d10 f64)
    (local $v0 v128) (local $v1 v128) (local $s0 v128) (local $s1 v128) (local $x0 v128) (local $x1 v128) (local $vq v128)
    (local.set $end (i32.add ${get('y')} (i32.mul ${get('n')} ${c(8)})))
    (local.set $q ${get('y')})
    (block $z_done (loop $zs
      (br_if $z_done (i32.ge_u ${get('q')} ${get('end')}))
      (f64.store ${get('q')} (f64.const 0))
      (local.set $q (i32.add ${get('q')} ${c(8)}))
      (br $zs)))
    (local.set $row0 ${get('a')})
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.gt_u (i32.add ${get('r')} ${c(2)}) ${get('n')}))
      (local.set $row1 (i32.add ${get('row0')} ${get('lda')}))
      (local.set $v0 (v128.load64_splat (i32.add ${get('v')} (i32.mul ${get('r')} ${c(8)}))))
      (local.set $v1 (v128.load64_splat offset=8 (i32.add ${get('v')} (i32.mul ${get('r')} ${c(8)}))))
      (local.set $s0 (v128.const i64x2 0 0))
      (local.set $s1 (v128.const i64x2 0 0))
      (local.set $end (i32.mul ${get('r')} ${c(8)}))
      (local.set $q ${c(0)})
      (block $q_done (loop $qs
        (br_if $q_done (i32.ge_u ${get('q')} ${get('end')}))
        (local.set $x0 (v128.load (i32.add ${get('row0')} ${get('q')})))
        (local.set $x1 (v128.load (i32.add ${get('row1')} ${get('q')})))
        (local.set $vq (v128.load (i32.add ${get('v')} ${get('q')})))
        (local.set $s0 (f64x2.add ${get('s0')} (f64x2.mul ${get('x0')} ${get('vq')})))
        (local.set $s1 (f64x2.add ${get('s1')} (f64x2.mul ${get('x1')} ${get('vq')})))
        (v128.store (i32.add ${get('y')} ${get('q')})
          (f64x2.add (v128.load (i32.add ${get('y')} ${get('q')})) (f64x2.add (f64x2.mul ${get('x0')} ${get('v0')}) (f64x2.mul ${get('x1')} ${get('v1')}))))
        (local.set $q (i32.add ${get('q')} ${c(16)}))
        (br $qs)))
      ;; The 2×2 diagonal block: B[r][r], B[r+1][r] (= B[r][r+1]) and B[r+1][r+1].
      (local.set $d10 (f64.load (i32.add ${get('row1')} ${get('end')})))
      (f64.store (i32.add ${get('y')} ${get('end')})
        (f64.add (f64.load (i32.add ${get('y')} ${get('end')}))
          (f64.add (f64.add ${hsum('s0')} (f64.mul (f64.load (i32.add ${get('row0')} ${get('end')})) (f64x2.extract_lane 0 ${get('v0')})))
            (f64.mul ${get('d10')} (f64x2.extract_lane 0 ${get('v1')})))))
      (f64.store offset=8 (i32.add ${get('y')} ${get('end')})
        (f64.add (f64.load offset=8 (i32.add ${get('y')} ${get('end')}))
          (f64.add (f64.add ${hsum('s1')} (f64.mul ${get('d10')} (f64x2.extract_lane 0 ${get('v0')})))
            (f64.mul (f64.load offset=8 (i32.add ${get('row1')} ${get('end')})) (f64x2.extract_lane 0 ${get('v1')})))))
      (local.set $row0 (i32.add ${get('row1')} ${get('lda')}))
      (local.set $r (i32.add ${get('r')} ${c(2)}))
      (br $rows)))
    ;; An odd last row alone.
    (if (i32.lt_u ${get('r')} ${get('n')})
      (then
        (local.set $v0 (v128.load64_splat (i32.add ${get('v')} (i32.mul ${get('r')} ${c(8)}))))
        (local.set $s0 (v128.const i64x2 0 0))
        (local.set $end (i32.mul ${get('r')} ${c(8)}))
        (local.set $q ${c(0)})
        (block $t_done (loop $ts
          (br_if $t_done (i32.ge_u ${get('q')} ${get('end')}))
          (local.set $x0 (v128.load (i32.add ${get('row0')} ${get('q')})))
          (local.set $s0 (f64x2.add ${get('s0')} (f64x2.mul ${get('x0')} (v128.load (i32.add ${get('v')} ${get('q')})))))
          (v128.store (i32.add ${get('y')} ${get('q')}) (f64x2.add (v128.load (i32.add ${get('y')} ${get('q')})) (f64x2.mul ${get('x0')} ${get('v0')})))
          (local.set $q (i32.add ${get('q')} ${c(16)}))
          (br $ts)))
        (f64.store (i32.add ${get('y')} ${get('end')})
          (f64.add (f64.load (i32.add ${get('y')} ${get('end')}))
            (f64.add ${hsum('s0')} (f64.mul (f64.load (i32.add ${get('row0')} ${get('end')})) (f64x2.extract_lane 0 ${get('v0')}))))))))`;
}

/** The module's text; `shared` declares the imported memory shared (for worker threads). */
export function gemmWat(shared: boolean): string {
  const body = WIDTHS.map((w) => [micro(w), edge(w), packB(w), packA(w), gemm(w), unfold(w), unfoldT(w)].join('\n')).join('\n');
  return `;; Generated by gemm-wat.ts: the cpu backend's SIMD gemm (see that file).
(module
  (import "env" "memory" (memory 1 ${MAX_PAGES}${shared ? ' shared' : ''}))
${body}
${symv()})
`;
}
