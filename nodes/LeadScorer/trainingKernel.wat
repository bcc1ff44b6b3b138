;; The inner loops of the Lead Scorer's training (irls.ts), in WebAssembly with 128-bit SIMD.
;;
;; Source of the bytes in trainingKernel.wasm.ts: `npm run wasm` assembles this file with wabt,
;; and test/unit/lead/trainingKernel.test.ts checks that the shipped bytes are exactly that.
;;
;; Memory (see trainingKernel.ts): the design's numeric block X (row-major, q values per row),
;; then one block of rows copied column by column: T (plain) and WT (weighted), `stride` values
;; per column, column 0 of T all ones (the intercept) and column 0 of WT the working weights.
;; Addresses are in bytes; counts and strides in float64 values. A block's `size` is rounded up
;; to even by the caller, who pads with a zero weight: the SIMD steps take two rows at once, one
;; per f64x2 lane. Multiply and add stay separate instructions (no fused multiply-add), so every
;; machine gets the same bits.
(module
  (memory (export "memory") 1)

  ;; dense[j·width + k] += Σ_{b < size} WT[j·stride + b] · T[k·stride + b] for every j < rows
  ;; (taken in pairs) and k ≤ j + 1 (taken in fours). Eight running sums (2 result rows × 4 result
  ;; columns) stay in registers; the two lanes are added together at the end.
  (func (export "addWeightedProducts")
    (param $wt i32) (param $t i32) (param $dense i32)
    (param $rows i32) (param $width i32) (param $stride i32) (param $size i32)
    (local $j i32) (local $k i32) (local $r i32) (local $end i32) (local $strideBytes i32)
    (local $oj i32) (local $oj1 i32) (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local $at i32)
    (local $wa v128) (local $wb v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $strideBytes (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $end (i32.shl (local.get $size) (i32.const 3)))
    (local.set $j (i32.const 0))
    (block $rowsDone (loop $eachRowPair
      (br_if $rowsDone (i32.ge_s (local.get $j) (local.get $rows)))
      (local.set $oj (i32.add (local.get $wt) (i32.mul (local.get $j) (local.get $strideBytes))))
      (local.set $oj1 (i32.add (local.get $oj) (local.get $strideBytes)))
      (local.set $k (i32.const 0))
      (block $columnsDone (loop $eachColumnQuad
        (br_if $columnsDone (i32.gt_s (local.get $k) (i32.add (local.get $j) (i32.const 1))))
        (local.set $o0 (i32.add (local.get $t) (i32.mul (local.get $k) (local.get $strideBytes))))
        (local.set $o1 (i32.add (local.get $o0) (local.get $strideBytes)))
        (local.set $o2 (i32.add (local.get $o1) (local.get $strideBytes)))
        (local.set $o3 (i32.add (local.get $o2) (local.get $strideBytes)))
        (local.set $a0 (v128.const f64x2 0 0)) (local.set $a1 (v128.const f64x2 0 0))
        (local.set $a2 (v128.const f64x2 0 0)) (local.set $a3 (v128.const f64x2 0 0))
        (local.set $b0 (v128.const f64x2 0 0)) (local.set $b1 (v128.const f64x2 0 0))
        (local.set $b2 (v128.const f64x2 0 0)) (local.set $b3 (v128.const f64x2 0 0))
        (local.set $r (i32.const 0))
        (block $blockDone (loop $eachTwoRows
          (br_if $blockDone (i32.ge_s (local.get $r) (local.get $end)))
          (local.set $wa (v128.load (i32.add (local.get $oj) (local.get $r))))
          (local.set $wb (v128.load (i32.add (local.get $oj1) (local.get $r))))
          (local.set $t0 (v128.load (i32.add (local.get $o0) (local.get $r))))
          (local.set $t1 (v128.load (i32.add (local.get $o1) (local.get $r))))
          (local.set $t2 (v128.load (i32.add (local.get $o2) (local.get $r))))
          (local.set $t3 (v128.load (i32.add (local.get $o3) (local.get $r))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $wa) (local.get $t0))))
          (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $wa) (local.get $t1))))
          (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $wa) (local.get $t2))))
          (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $wa) (local.get $t3))))
          (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $wb) (local.get $t0))))
          (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $wb) (local.get $t1))))
          (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $wb) (local.get $t2))))
          (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (local.get $wb) (local.get $t3))))
          (local.set $r (i32.add (local.get $r) (i32.const 16)))
          (br $eachTwoRows)))
        (local.set $at (i32.add (local.get $dense)
          (i32.shl (i32.add (i32.mul (local.get $j) (local.get $width)) (local.get $k)) (i32.const 3))))
        (call $addSums (local.get $at) (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3))
        (call $addSums (i32.add (local.get $at) (i32.shl (local.get $width) (i32.const 3)))
          (local.get $b0) (local.get $b1) (local.get $b2) (local.get $b3))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $eachColumnQuad)))
      (local.set $j (i32.add (local.get $j) (i32.const 2)))
      (br $eachRowPair))))
;; T[(1 + j)·stride + b] = X[b·q + j] for b < size, j < q: rows to columns, two rows by two
  ;; fields at a time (two loads, two lane shuffles, two stores). An odd block also copies the
  ;; row after it into the pad row, which gets zero weight.
  (func (export "loadRows") (param $x i32) (param $q i32) (param $size i32) (param $t i32) (param $stride i32)
    (local $b i32) (local $j i32) (local $src i32) (local $src1 i32) (local $dst i32) (local $strideBytes i32)
    (local $rowBytes i32) (local $pairs i32) (local $v0 v128) (local $v1 v128)
    (local.set $strideBytes (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $rowBytes (i32.shl (local.get $q) (i32.const 3)))
    (local.set $pairs (i32.and (local.get $q) (i32.const -2)))
    (local.set $b (i32.const 0))
    (block $rowsDone (loop $eachTwoRows
      (br_if $rowsDone (i32.ge_s (local.get $b) (local.get $size)))
      (local.set $src (i32.add (local.get $x) (i32.mul (local.get $b) (local.get $rowBytes))))
      (local.set $src1 (i32.add (local.get $src) (local.get $rowBytes)))
      (local.set $dst (i32.add (i32.add (local.get $t) (local.get $strideBytes)) (i32.shl (local.get $b) (i32.const 3))))
      (local.set $j (i32.const 0))
      (block $fieldsDone (loop $eachTwoFields
        (br_if $fieldsDone (i32.ge_s (local.get $j) (local.get $pairs)))
        (local.set $v0 (v128.load (local.get $src)))
        (local.set $v1 (v128.load (local.get $src1)))
        ;; (row b field j, row b+1 field j) and (row b field j+1, row b+1 field j+1)
        (v128.store (local.get $dst)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
        (v128.store (i32.add (local.get $dst) (local.get $strideBytes))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $src1 (i32.add (local.get $src1) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $strideBytes) (i32.const 1))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $eachTwoFields)))
      (if (i32.lt_s (local.get $j) (local.get $q)) (then ;; the last field when q is odd
        (f64.store (local.get $dst) (f64.load (local.get $src)))
        (f64.store offset=8 (local.get $dst) (f64.load (local.get $src1)))))
      (local.set $b (i32.add (local.get $b) (i32.const 2)))
      (br $eachTwoRows))))

  ;; out[b] = Σ_{c < columns} beta[c] · T[c·stride + b] for b < size: the block's linear predictor.
  (func (export "predictBlock") (param $t i32) (param $beta i32) (param $out i32) (param $columns i32) (param $stride i32) (param $size i32)
    (local $b i32) (local $c i32) (local $end i32) (local $strideBytes i32) (local $column i32) (local $sum v128)
    (local.set $strideBytes (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $end (i32.shl (local.get $size) (i32.const 3)))
    (local.set $b (i32.const 0))
    (block $rowsDone (loop $eachTwoRows
      (br_if $rowsDone (i32.ge_s (local.get $b) (local.get $end)))
      (local.set $sum (v128.const f64x2 0 0))
      (local.set $column (i32.add (local.get $t) (local.get $b)))
      (local.set $c (i32.const 0))
      (block $columnsDone (loop $eachColumn
        (br_if $columnsDone (i32.ge_s (local.get $c) (local.get $columns)))
        (local.set $sum (f64x2.add (local.get $sum)
          (f64x2.mul (v128.load (local.get $column)) (f64x2.splat (f64.load (i32.add (local.get $beta) (i32.shl (local.get $c) (i32.const 3))))))))
        (local.set $column (i32.add (local.get $column) (local.get $strideBytes)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $eachColumn)))
      (v128.store (i32.add (local.get $out) (local.get $b)) (local.get $sum))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br $eachTwoRows))))

  ;; WT[j·stride + b] = WT[b] · T[j·stride + b] for first ≤ j < last, b < size: weighted columns.
  (func (export "weightColumns") (param $wt i32) (param $t i32) (param $first i32) (param $last i32) (param $stride i32) (param $size i32)
    (local $j i32) (local $b i32) (local $end i32) (local $strideBytes i32) (local $offset i32)
    (local.set $strideBytes (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $end (i32.shl (local.get $size) (i32.const 3)))
    (local.set $j (local.get $first))
    (block $columnsDone (loop $eachColumn
      (br_if $columnsDone (i32.ge_s (local.get $j) (local.get $last)))
      (local.set $offset (i32.mul (local.get $j) (local.get $strideBytes)))
      (local.set $b (i32.const 0))
      (block $rowsDone (loop $eachTwoRows
        (br_if $rowsDone (i32.ge_s (local.get $b) (local.get $end)))
        (v128.store (i32.add (i32.add (local.get $wt) (local.get $offset)) (local.get $b))
          (f64x2.mul (v128.load (i32.add (local.get $wt) (local.get $b)))
            (v128.load (i32.add (i32.add (local.get $t) (local.get $offset)) (local.get $b)))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $eachTwoRows)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $eachColumn))))

  ;; out[k] += Σ_{b < size} R[b] · T[k·stride + b] for k < columns: one weighted row against the
  ;; columns (the gradient, from the residuals, when XᵀWX is not needed).
  (func (export "addRowProducts") (param $r i32) (param $t i32) (param $out i32) (param $columns i32) (param $stride i32) (param $size i32)
    (local $k i32) (local $b i32) (local $end i32) (local $strideBytes i32) (local $column i32) (local $sum v128) (local $at i32)
    (local.set $strideBytes (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $end (i32.shl (local.get $size) (i32.const 3)))
    (local.set $k (i32.const 0))
    (block $columnsDone (loop $eachColumn
      (br_if $columnsDone (i32.ge_s (local.get $k) (local.get $columns)))
      (local.set $column (i32.add (local.get $t) (i32.mul (local.get $k) (local.get $strideBytes))))
      (local.set $sum (v128.const f64x2 0 0))
      (local.set $b (i32.const 0))
      (block $rowsDone (loop $eachTwoRows
        (br_if $rowsDone (i32.ge_s (local.get $b) (local.get $end)))
        (local.set $sum (f64x2.add (local.get $sum)
          (f64x2.mul (v128.load (i32.add (local.get $r) (local.get $b))) (v128.load (i32.add (local.get $column) (local.get $b))))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $eachTwoRows)))
      (local.set $at (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3))))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
        (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $eachColumn))))

  ;; dense[at + i] += (lane 0 + lane 1) of sum i, for the four sums of one result row.
  (func $addSums (param $at i32) (param $s0 v128) (param $s1 v128) (param $s2 v128) (param $s3 v128)
    (f64.store offset=0 (local.get $at) (f64.add (f64.load offset=0 (local.get $at))
      (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0)))))
    (f64.store offset=8 (local.get $at) (f64.add (f64.load offset=8 (local.get $at))
      (f64.add (f64x2.extract_lane 0 (local.get $s1)) (f64x2.extract_lane 1 (local.get $s1)))))
    (f64.store offset=16 (local.get $at) (f64.add (f64.load offset=16 (local.get $at))
      (f64.add (f64x2.extract_lane 0 (local.get $s2)) (f64x2.extract_lane 1 (local.get $s2)))))
    (f64.store offset=24 (local.get $at) (f64.add (f64.load offset=24 (local.get $at))
      (f64.add (f64x2.extract_lane 0 (local.get $s3)) (f64x2.extract_lane 1 (local.get $s3))))))
)
