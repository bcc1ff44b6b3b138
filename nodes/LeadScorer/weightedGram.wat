;; The XᵀWX kernel of the Lead Scorer's training (irls.ts), in WebAssembly with 128-bit SIMD.
;;
;; Source of the bytes in weightedGram.wasm.ts: `npm run wasm` assembles this file with wabt,
;; and test/unit/lead/weightedGram.test.ts checks that the shipped bytes are exactly that.
;;
;; addWeightedProducts(wt, t, dense, rows, width, stride, size):
;;   dense[j·width + k] += Σ_{r < size} WT[j·stride + r] · T[k·stride + r]
;; for every j < rows (taken in pairs) and k ≤ j + 1 (taken in fours); WT and T hold a block of
;; rows column by column. wt, t and dense are byte addresses; the rest count float64 values.
;; `size` must be even (the caller pads with a zero weight): each step takes two rows at once,
;; one per f64x2 lane. Eight running sums (2 result rows × 4 result columns) stay in registers,
;; as in the JavaScript version in irls.ts; the two lanes are added together at the end.
;; Multiply and add stay separate instructions (no fused multiply-add), so every machine gets
;; the same bits.
(module
  (memory (export "memory") 1)
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
