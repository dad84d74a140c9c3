;; The lean generator's normals (src/rng/lean.ts, leanNormalsAt) in WebAssembly SIMD.
;;
;; Written for brox; compiled by scripts/build-wasm.mjs (wabt) into src/wasm/lean-normals.wasm.ts,
;; which is committed. The TypeScript twin stays the reference: test/wasm-lean.test.ts checks every
;; normal and sum of squares against it, the log alone against Math.log, and that the committed
;; bytes are this file's.
;;
;; The four i32x4 lanes are four consecutive samples; a step is one pair j of those four (j inner,
;; then the next four samples), so every d fills the lanes, the sums of squares accumulate per lane
;; in the twin's order, and each lane's (cos, sin) pair is one 16-byte store. Past the last sample
;; the lanes repeat it (same values to the same places). A block is done in chunks of up to 64
;; steps, in three loops, so that the out-of-order core overlaps independent steps instead of
;; waiting on one step's long chain (Threefry -> log -> sqrt -> rotation):
;;   A  Threefry-2x32-13 in i32x4, two steps interleaved; u to U (1024 + 32 i), x1 to X (3072 + 16 i);
;;   B  ln u in place ($ln_loop; the tests call it alone);
;;   C  Box-Muller in f64x2, the twin's quarter-turn rotation, stores, sums of squares.
;; Where asked, a second pass gives each sample's radius uniform u (the words of pair j = 1023):
;; loop A alone, one step per four samples, storing its u (exact) where the caller wants it.
;; Bit-identical to the twin in everything but the natural log (within 1 ulp of V8's Math.log;
;; equal on 99.6% of the generator's 2^23 values of u): the words, u, the angle, the sin/cos
;; polynomials (same coefficients, same order, no fused multiply-add in WebAssembly), sqrt, the
;; rotation, and the sums of squares of the values written, in the same order.
(module
  (memory (export "memory") 1)
  ;; [0, 1024): constants (the data segment below: 16-byte values loaded where used, which keeps
  ;; the module under 4 KiB, the most some browsers compile synchronously on a main thread);
  ;; [1024, 8192): the kernel's scratch (U, X); callers' data from heap_base
  (global (export "heap_base") i32 (i32.const 8192))
  ;; constants: v128 values at 16 i (below 1024), loaded where used
  (data (i32.const 0)
    "\cd\3b\7f\66\9e\a0\e6\3f\cd\3b\7f\66\9e\a0\e6\3f" ;; 0: i64x2 0x3fe6a09e667f3bcd 0x3fe6a09e667f3bcd
    "\ff\ff\ff\ff\ff\ff\0f\00\ff\ff\ff\ff\ff\ff\0f\00" ;; 16: i64x2 0x000fffffffffffff 0x000fffffffffffff
    "\00\00\00\00\00\00\f0\3f\00\00\00\00\00\00\f0\3f" ;; 32: f64x2 1 1
    "\00\00\00\00\00\00\00\40\00\00\00\00\00\00\00\40" ;; 48: f64x2 2 2
    "\55\55\55\55\55\55\d5\3f\55\55\55\55\55\55\d5\3f" ;; 64: f64x2 0x1.5555555555555p-2 0x1.5555555555555p-2
    "\9a\99\99\99\99\99\c9\3f\9a\99\99\99\99\99\c9\3f" ;; 80: f64x2 0x1.999999999999ap-3 0x1.999999999999ap-3
    "\92\24\49\92\24\49\c2\3f\92\24\49\92\24\49\c2\3f" ;; 96: f64x2 0x1.2492492492492p-3 0x1.2492492492492p-3
    "\1c\c7\71\1c\c7\71\bc\3f\1c\c7\71\1c\c7\71\bc\3f" ;; 112: f64x2 0x1.c71c71c71c71cp-4 0x1.c71c71c71c71cp-4
    "\46\17\5d\74\d1\45\b7\3f\46\17\5d\74\d1\45\b7\3f" ;; 128: f64x2 0x1.745d1745d1746p-4 0x1.745d1745d1746p-4
    "\14\3b\b1\13\3b\b1\b3\3f\14\3b\b1\13\3b\b1\b3\3f" ;; 144: f64x2 0x1.3b13b13b13b14p-4 0x1.3b13b13b13b14p-4
    "\11\11\11\11\11\11\b1\3f\11\11\11\11\11\11\b1\3f" ;; 160: f64x2 0x1.1111111111111p-4 0x1.1111111111111p-4
    "\1e\1e\1e\1e\1e\1e\ae\3f\1e\1e\1e\1e\1e\1e\ae\3f" ;; 176: f64x2 0x1.e1e1e1e1e1e1ep-5 0x1.e1e1e1e1e1e1ep-5
    "\28\af\a1\bc\86\f2\aa\3f\28\af\a1\bc\86\f2\aa\3f" ;; 192: f64x2 0x1.af286bca1af28p-5 0x1.af286bca1af28p-5
    "\18\86\61\18\86\61\a8\3f\18\86\61\18\86\61\a8\3f" ;; 208: f64x2 0x1.8618618618618p-5 0x1.8618618618618p-5
    "\00\00\fa\fe\42\2e\e6\3f\00\00\fa\fe\42\2e\e6\3f" ;; 224: f64x2 0x1.62e42fefa0000p-1 0x1.62e42fefa0000p-1
    "\3a\3b\9e\bc\9a\f7\7c\3d\3a\3b\9e\bc\9a\f7\7c\3d" ;; 240: f64x2 0x1.cf79abc9e3b3ap-40 0x1.cf79abc9e3b3ap-40
    "\01\00\00\00\01\00\00\00\01\00\00\00\01\00\00\00" ;; 256: i32x4 1 1 1 1
    "\02\00\00\00\02\00\00\00\02\00\00\00\02\00\00\00" ;; 272: i32x4 2 2 2 2
    "\03\00\00\00\03\00\00\00\03\00\00\00\03\00\00\00" ;; 288: i32x4 3 3 3 3
    "\00\00\00\00\01\00\00\00\02\00\00\00\03\00\00\00" ;; 304: i32x4 0 1 2 3
    "\00\00\00\00\00\00\80\3e\00\00\00\00\00\00\80\3e" ;; 320: f64x2 0x1p-23 0x1p-23
    "\00\00\00\00\00\00\70\3e\00\00\00\00\00\00\70\3e" ;; 336: f64x2 0x1p-24 0x1p-24
    "\ff\ff\7f\00\ff\ff\7f\00\ff\ff\7f\00\ff\ff\7f\00" ;; 352: i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff
    "\00\00\00\00\00\00\00\c0\00\00\00\00\00\00\00\c0" ;; 368: f64x2 -2 -2
    "\00\00\00\c0\ff\ff\df\3f\00\00\00\c0\ff\ff\df\3f" ;; 384: f64x2 0x1.fffffcp-2 0x1.fffffcp-2
    "\18\2d\44\54\fb\21\f9\3f\18\2d\44\54\fb\21\f9\3f" ;; 400: f64x2 0x1.921fb54442d18p+0 0x1.921fb54442d18p+0
    "\55\55\55\55\55\55\c5\bf\55\55\55\55\55\55\c5\bf" ;; 416: f64x2 -0x1.5555555555555p-3 -0x1.5555555555555p-3
    "\11\11\11\11\11\11\81\3f\11\11\11\11\11\11\81\3f" ;; 432: f64x2 0x1.1111111111111p-7 0x1.1111111111111p-7
    "\1a\a0\01\1a\a0\01\2a\bf\1a\a0\01\1a\a0\01\2a\bf" ;; 448: f64x2 -0x1.a01a01a01a01ap-13 -0x1.a01a01a01a01ap-13
    "\34\c7\56\a5\e3\1d\c7\3e\34\c7\56\a5\e3\1d\c7\3e" ;; 464: f64x2 0x1.71de3a556c734p-19 0x1.71de3a556c734p-19
    "\00\00\00\00\00\00\e0\bf\00\00\00\00\00\00\e0\bf" ;; 480: f64x2 -0.5 -0.5
    "\55\55\55\55\55\55\a5\3f\55\55\55\55\55\55\a5\3f" ;; 496: f64x2 0x1.5555555555555p-5 0x1.5555555555555p-5
    "\17\6c\c1\16\6c\c1\56\bf\17\6c\c1\16\6c\c1\56\bf" ;; 512: f64x2 -0x1.6c16c16c16c17p-10 -0x1.6c16c16c16c17p-10
    "\1a\a0\01\1a\a0\01\fa\3e\1a\a0\01\1a\a0\01\fa\3e" ;; 528: f64x2 0x1.a01a01a01a01ap-16 0x1.a01a01a01a01ap-16
    "\00\00\00\00\00\00\00\80\00\00\00\00\00\00\00\80") ;; 544: i64x2 0x8000000000000000 0x8000000000000000

  ;; ln x in place for n doubles at ptr (n even; positive normal doubles), two at a time
  (func $ln_loop (param $ptr i32) (param $n i32)
    (local $end i32)
    (local $ixa v128) (local $ka v128) (local $fa v128) (local $ta v128) (local $t2a v128) (local $w2a v128) (local $w4a v128) (local $pa v128)
    (local.set $end (i32.add (local.get $ptr) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
        ;; x = 2^k m, m in [sqrt(1/2), sqrt(2)): ix = bits(x) - bits(sqrt(1/2));
        ;; k = ix >> 52 (the high words >> 20); m's bits = (ix & mantissa) + bits(sqrt(1/2)); f = m - 1 (exact)
        (local.set $ixa (i64x2.sub (v128.load offset=0 (local.get $ptr)) (v128.load offset=0 (i32.const 0) (; i64x2 0x3fe6a09e667f3bcd ;))))
        (local.set $ka (f64x2.convert_low_i32x4_s (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (i32x4.shr_s (local.get $ixa) (i32.const 20)) (local.get $ixa))))
        (local.set $fa (f64x2.sub (i64x2.add (v128.and (local.get $ixa) (v128.load offset=16 (i32.const 0) (; i64x2 0x000fffffffffffff ;))) (v128.load offset=0 (i32.const 0) (; i64x2 0x3fe6a09e667f3bcd ;))) (v128.load offset=32 (i32.const 0) (; f64x2 1 ;))))
        ;; t = f/(2 + f) = (m - 1)/(m + 1), |t| <= 0.1716; ln m = 2 atanh t = 2t + 2t t^2 p(t^2), p(w) = sum w^n/(2n+3), n <= 9
        (local.set $ta (f64x2.div (local.get $fa) (f64x2.add (local.get $fa) (v128.load offset=48 (i32.const 0) (; f64x2 2 ;)))))
        (local.set $t2a (f64x2.mul (local.get $ta) (local.get $ta)))
        ;; p by Estrin's scheme (short dependency chains): (c0 + c1 w) + w^2 (c2 + c3 w) + w^4 ((c4 + c5 w) + w^2 (c6 + c7 w) + w^4 (c8 + c9 w)), c_n = 1/(2n+3)
        (local.set $w2a (f64x2.mul (local.get $t2a) (local.get $t2a)))
        (local.set $w4a (f64x2.mul (local.get $w2a) (local.get $w2a)))
        (local.set $pa
          (f64x2.add
            (f64x2.add (f64x2.add (v128.load offset=64 (i32.const 0) (; f64x2 0x1.5555555555555p-2 ;)) (f64x2.mul (v128.load offset=80 (i32.const 0) (; f64x2 0x1.999999999999ap-3 ;)) (local.get $t2a)))
              (f64x2.mul (local.get $w2a) (f64x2.add (v128.load offset=96 (i32.const 0) (; f64x2 0x1.2492492492492p-3 ;)) (f64x2.mul (v128.load offset=112 (i32.const 0) (; f64x2 0x1.c71c71c71c71cp-4 ;)) (local.get $t2a)))))
            (f64x2.mul (local.get $w4a)
              (f64x2.add
                (f64x2.add (f64x2.add (v128.load offset=128 (i32.const 0) (; f64x2 0x1.745d1745d1746p-4 ;)) (f64x2.mul (v128.load offset=144 (i32.const 0) (; f64x2 0x1.3b13b13b13b14p-4 ;)) (local.get $t2a))) (f64x2.mul (local.get $w2a) (f64x2.add (v128.load offset=160 (i32.const 0) (; f64x2 0x1.1111111111111p-4 ;)) (f64x2.mul (v128.load offset=176 (i32.const 0) (; f64x2 0x1.e1e1e1e1e1e1ep-5 ;)) (local.get $t2a)))))
                (f64x2.mul (local.get $w4a) (f64x2.add (v128.load offset=192 (i32.const 0) (; f64x2 0x1.af286bca1af28p-5 ;)) (f64x2.mul (v128.load offset=208 (i32.const 0) (; f64x2 0x1.8618618618618p-5 ;)) (local.get $t2a))))))))
        ;; 2t = f - t f, so ln m = f - t (f - 2 t^2 p): t's rounding reaches only this correction (~f^2/2 <= 0.21 |f|);
        ;; ln x = k ln2hi + (f - (correction - k ln2lo)), ln2hi = ln 2 to 37 bits (k ln2hi exact), ln2lo = ln 2 - ln2hi
        (v128.store offset=0 (local.get $ptr)
          (f64x2.add
            (f64x2.mul (local.get $ka) (v128.load offset=224 (i32.const 0) (; f64x2 0x1.62e42fefa0000p-1 ;)))
            (f64x2.sub (local.get $fa)
              (f64x2.sub
                (f64x2.mul (local.get $ta)
                  (f64x2.sub (local.get $fa) (f64x2.mul (v128.load offset=48 (i32.const 0) (; f64x2 2 ;)) (f64x2.mul (local.get $t2a) (local.get $pa)))))
                (f64x2.mul (local.get $ka) (v128.load offset=240 (i32.const 0) (; f64x2 0x1.cf79abc9e3b3ap-40 ;)))))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 16)))
        (br $next)))
  )

  (func (export "ln_block") (param $ptr i32) (param $n i32)
    (call $ln_loop (local.get $ptr) (local.get $n)))

  ;; Samples lo0 .. lo0 + count - 1 (one high word: counter c1 = hiBase + j), the d normals of
  ;; sample s at out + 8 (s d + i) and their sum of squares at ss + 8 s; where uPtr is not 0, also
  ;; the radius uniform at u + 8 s: (x0 >>> 9) 2^-23 + 2^-24 of the words of counter
  ;; (lo0 + s, hiBase + 1023), exact (the twin's unitOf(lean.words(k0, k1, index, 1023)[0])).
  ;; Writes nothing past out's count d; up to 3 doubles past ss's count (the repeated last sample's
  ;; lanes) and up to 7 past u's (those and loop A's spare step).
  ;; Two passes of the same chunk loop: the normals (A, B, C), then, where uPtr is not 0, u: A alone
  ;; with one step a sample group (P = 1) at j = 1023, its U stores going straight to u.
  (func (export "lean_normals_block")
    (param $k0 i32) (param $k1 i32) (param $lo0 i32) (param $hiBase i32)
    (param $count i32) (param $d i32) (param $outPtr i32) (param $ssPtr i32) (param $uPtr i32)
    (local $P i32) (local $steps i32) (local $g i32) (local $n i32) (local $nc i32) (local $i i32)
    (local $up i32) (local $xp i32) (local $kp i32) (local $D8 i32) (local $oddd i32)
    (local $sA i32) (local $jA i32) (local $sC i32) (local $jC i32) (local $v i32)
    (local $q0 i32) (local $q1 i32) (local $q2 i32) (local $q3 i32) (local $pj i32)
    (local $um i32) (local $c1 i32)
    (local $ks0 v128) (local $ks1 v128) (local $ks2 v128) (local $ks2p1 v128) (local $ks0p2 v128) (local $ks1p3 v128)
    (local $vc0 v128) (local $vlane v128)
    (local $x0a v128) (local $x1a v128) (local $x0b v128) (local $x1b v128) (local $x1 v128) (local $a v128) (local $b v128)
    (local $rr v128) (local $z v128) (local $z2 v128) (local $sn v128) (local $cs v128) (local $odd v128)
    (local $oc0 v128) (local $os0 v128) (local $oc1 v128) (local $os1 v128) (local $oc v128) (local $os v128)
    (local $acc0 v128) (local $acc1 v128)
    (local.set $oddd (i32.and (local.get $d) (i32.const 1)))
    (local.set $D8 (i32.shl (local.get $d) (i32.const 3)))
    ;; Threefry's key schedule: ks2 = 0x1bd11bda ^ k0 ^ k1; injections after rounds 4, 8 and 12
    (local.set $kp (i32.xor (i32.const 0x1bd11bda) (i32.xor (local.get $k0) (local.get $k1))))
    (local.set $ks0 (i32x4.splat (local.get $k0)))
    (local.set $ks1 (i32x4.splat (local.get $k1)))
    (local.set $ks2 (i32x4.splat (local.get $kp)))
    (local.set $ks2p1 (i32x4.add (local.get $ks2) (v128.load offset=256 (i32.const 0) (; i32x4 1 ;))))
    (local.set $ks0p2 (i32x4.add (local.get $ks0) (v128.load offset=272 (i32.const 0) (; i32x4 2 ;))))
    (local.set $ks1p3 (i32x4.add (local.get $ks1) (v128.load offset=288 (i32.const 0) (; i32x4 3 ;))))
    (local.set $vc0 (i32x4.splat (i32.add (local.get $lo0) (local.get $k0))))
    ;; the lanes' out + 8 (s + min(k, v - 1)) d, v = max(count - s, 1)
    (local.set $v (i32.sub (local.get $count) (local.get $sC)))
    (local.set $v (select (local.get $v) (i32.const 1) (i32.gt_s (local.get $v) (i32.const 0))))
    (local.set $q0 (i32.add (local.get $outPtr) (i32.mul (i32.add (local.get $sC) (i32.const 0)) (local.get $D8))))
    (local.set $q1 (i32.add (local.get $outPtr) (i32.mul (i32.add (local.get $sC) (select (i32.const 1) (i32.sub (local.get $v) (i32.const 1)) (i32.lt_u (i32.const 1) (local.get $v)))) (local.get $D8))))
    (local.set $q2 (i32.add (local.get $outPtr) (i32.mul (i32.add (local.get $sC) (select (i32.const 2) (i32.sub (local.get $v) (i32.const 1)) (i32.lt_u (i32.const 2) (local.get $v)))) (local.get $D8))))
    (local.set $q3 (i32.add (local.get $outPtr) (i32.mul (i32.add (local.get $sC) (select (i32.const 3) (i32.sub (local.get $v) (i32.const 1)) (i32.lt_u (i32.const 3) (local.get $v)))) (local.get $D8))))
    ;; pass um = 0: the normals; pass um = uPtr: u (then uPtr = 0 ends it)
    (loop $pass
      (local.set $P (select (i32.const 1) (i32.shr_u (i32.add (local.get $d) (i32.const 1)) (i32.const 1)) (local.get $um)))
      ;; steps: (4-sample group, pair j), j inner; count rounded up to 4 samples
      (local.set $steps (i32.mul (i32.shr_u (i32.add (local.get $count) (i32.const 3)) (i32.const 2)) (local.get $P)))
      ;; Threefry's x1 before pair j: hiBase + j + k1, j from 1023 in the u pass
      (local.set $c1 (i32.add (i32.add (local.get $hiBase) (local.get $k1)) (select (i32.const 1023) (i32.const 0) (local.get $um))))
      (local.set $g (i32.const 0))
      (local.set $sA (i32.const 0))
      (local.set $jA (i32.const 0))
      ;; lanes' samples: s + min(k, v - 1), v = max(count - s, 1): past the end, copies of the last sample
      (local.set $v (select (local.get $count) (i32.const 1) (i32.gt_s (local.get $count) (i32.const 0))))
      (local.set $vlane (i32x4.min_u (v128.load offset=304 (i32.const 0) (; i32x4 0 ;)) (i32x4.splat (i32.sub (local.get $v) (i32.const 1)))))
      (block $done
        (loop $chunk
          (br_if $done (i32.ge_u (local.get $g) (local.get $steps)))
          (local.set $nc (i32.sub (local.get $steps) (local.get $g)))
          (local.set $nc (select (local.get $nc) (i32.const 64) (i32.lt_u (local.get $nc) (i32.const 64))))
          ;; A runs an even number of steps (a spare one at the very end is never stored: U, or u's overshoot)
          (local.set $n (i32.and (i32.add (local.get $nc) (i32.const 1)) (i32.const -2)))
          (local.set $i (i32.const 0))
          ;; U (1024 + 32 i), or in the u pass u itself (sample s at 8 s: a step is 4 samples, P = 1)
          (local.set $up (select (i32.add (local.get $um) (i32.shl (local.get $g) (i32.const 5))) (i32.const 1024) (local.get $um)))
          (local.set $xp (i32.const 3072))
          ;; A: Threefry-2x32-13 of counters (lo0 + s + lane, hiBase + j) under (k0, k1), steps 2i and 2i + 1
          ;; (the u pass: j = 1023 only)
          (loop $threefry
            (local.set $x0a (i32x4.add (local.get $vc0) (local.get $vlane)))
            (local.set $x1a (i32x4.splat (i32.add (local.get $c1) (local.get $jA))))
            ;; next step: j + 1, or the next four samples
            (local.set $jA (i32.add (local.get $jA) (i32.const 1)))
            (if (i32.eq (local.get $jA) (local.get $P))
              (then
                (local.set $jA (i32.const 0))
                (local.set $sA (i32.add (local.get $sA) (i32.const 4)))
                ;; lanes' samples: s + min(k, v - 1), v = max(count - s, 1): past the end, copies of the last sample
                (local.set $v (i32.sub (local.get $count) (local.get $sA)))
                (local.set $v (select (local.get $v) (i32.const 1) (i32.gt_s (local.get $v) (i32.const 0))))
                (local.set $vlane (i32x4.add (i32x4.splat (local.get $sA))
                  (i32x4.min_u (v128.load offset=304 (i32.const 0) (; i32x4 0 ;)) (i32x4.splat (i32.sub (local.get $v) (i32.const 1))))))))
            (local.set $x0b (i32x4.add (local.get $vc0) (local.get $vlane)))
            (local.set $x1b (i32x4.splat (i32.add (local.get $c1) (local.get $jA))))
            ;; next step: j + 1, or the next four samples
            (local.set $jA (i32.add (local.get $jA) (i32.const 1)))
            (if (i32.eq (local.get $jA) (local.get $P))
              (then
                (local.set $jA (i32.const 0))
                (local.set $sA (i32.add (local.get $sA) (i32.const 4)))
                ;; lanes' samples: s + min(k, v - 1), v = max(count - s, 1): past the end, copies of the last sample
                (local.set $v (i32.sub (local.get $count) (local.get $sA)))
                (local.set $v (select (local.get $v) (i32.const 1) (i32.gt_s (local.get $v) (i32.const 0))))
                (local.set $vlane (i32x4.add (i32x4.splat (local.get $sA))
                  (i32x4.min_u (v128.load offset=304 (i32.const 0) (; i32x4 0 ;)) (i32x4.splat (i32.sub (local.get $v) (i32.const 1))))))))
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $x1a)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $x1b)))
            (local.set $x1a (v128.xor (v128.or (i32x4.shl (local.get $x1a) (i32.const 13)) (i32x4.shr_u (local.get $x1a) (i32.const 19))) (local.get $x0a))) ;; rotl 13
            (local.set $x1b (v128.xor (v128.or (i32x4.shl (local.get $x1b) (i32.const 13)) (i32x4.shr_u (local.get $x1b) (i32.const 19))) (local.get $x0b))) ;; rotl 13
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $x1a)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $x1b)))
            (local.set $x1a (v128.xor (v128.or (i32x4.shl (local.get $x1a) (i32.const 15)) (i32x4.shr_u (local.get $x1a) (i32.const 17))) (local.get $x0a))) ;; rotl 15
            (local.set $x1b (v128.xor (v128.or (i32x4.shl (local.get $x1b) (i32.const 15)) (i32x4.shr_u (local.get $x1b) (i32.const 17))) (local.get $x0b))) ;; rotl 15
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $x1a)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $x1b)))
            (local.set $x1a (v128.xor (v128.or (i32x4.shl (local.get $x1a) (i32.const 26)) (i32x4.shr_u (local.get $x1a) (i32.const 6))) (local.get $x0a))) ;; rotl 26
            (local.set $x1b (v128.xor (v128.or (i32x4.shl (local.get $x1b) (i32.const 26)) (i32x4.shr_u (local.get $x1b) (i32.const 6))) (local.get $x0b))) ;; rotl 26
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $x1a)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $x1b)))
            (local.set $x1a (v128.xor (v128.or (i32x4.shl (local.get $x1a) (i32.const 6)) (i32x4.shr_u (local.get $x1a) (i32.const 26))) (local.get $x0a))) ;; rotl 6
            (local.set $x1b (v128.xor (v128.or (i32x4.shl (local.get $x1b) (i32.const 6)) (i32x4.shr_u (local.get $x1b) (i32.const 26))) (local.get $x0b))) ;; rotl 6
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $ks1)))
            (local.set $x1a (i32x4.add (local.get $x1a) (local.get $ks2p1)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $ks1)))
            (local.set $x1b (i32x4.add (local.get $x1b) (local.get $ks2p1)))
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $x1a)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $x1b)))
            (local.set $x1a (v128.xor (v128.or (i32x4.shl (local.get $x1a) (i32.const 17)) (i32x4.shr_u (local.get $x1a) (i32.const 15))) (local.get $x0a))) ;; rotl 17
            (local.set $x1b (v128.xor (v128.or (i32x4.shl (local.get $x1b) (i32.const 17)) (i32x4.shr_u (local.get $x1b) (i32.const 15))) (local.get $x0b))) ;; rotl 17
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $x1a)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $x1b)))
            (local.set $x1a (v128.xor (v128.or (i32x4.shl (local.get $x1a) (i32.const 29)) (i32x4.shr_u (local.get $x1a) (i32.const 3))) (local.get $x0a))) ;; rotl 29
            (local.set $x1b (v128.xor (v128.or (i32x4.shl (local.get $x1b) (i32.const 29)) (i32x4.shr_u (local.get $x1b) (i32.const 3))) (local.get $x0b))) ;; rotl 29
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $x1a)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $x1b)))
            (local.set $x1a (v128.xor (v128.or (i32x4.shl (local.get $x1a) (i32.const 16)) (i32x4.shr_u (local.get $x1a) (i32.const 16))) (local.get $x0a))) ;; rotl 16
            (local.set $x1b (v128.xor (v128.or (i32x4.shl (local.get $x1b) (i32.const 16)) (i32x4.shr_u (local.get $x1b) (i32.const 16))) (local.get $x0b))) ;; rotl 16
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $x1a)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $x1b)))
            (local.set $x1a (v128.xor (v128.or (i32x4.shl (local.get $x1a) (i32.const 24)) (i32x4.shr_u (local.get $x1a) (i32.const 8))) (local.get $x0a))) ;; rotl 24
            (local.set $x1b (v128.xor (v128.or (i32x4.shl (local.get $x1b) (i32.const 24)) (i32x4.shr_u (local.get $x1b) (i32.const 8))) (local.get $x0b))) ;; rotl 24
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $ks2)))
            (local.set $x1a (i32x4.add (local.get $x1a) (local.get $ks0p2)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $ks2)))
            (local.set $x1b (i32x4.add (local.get $x1b) (local.get $ks0p2)))
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $x1a)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $x1b)))
            (local.set $x1a (v128.xor (v128.or (i32x4.shl (local.get $x1a) (i32.const 13)) (i32x4.shr_u (local.get $x1a) (i32.const 19))) (local.get $x0a))) ;; rotl 13
            (local.set $x1b (v128.xor (v128.or (i32x4.shl (local.get $x1b) (i32.const 13)) (i32x4.shr_u (local.get $x1b) (i32.const 19))) (local.get $x0b))) ;; rotl 13
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $x1a)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $x1b)))
            (local.set $x1a (v128.xor (v128.or (i32x4.shl (local.get $x1a) (i32.const 15)) (i32x4.shr_u (local.get $x1a) (i32.const 17))) (local.get $x0a))) ;; rotl 15
            (local.set $x1b (v128.xor (v128.or (i32x4.shl (local.get $x1b) (i32.const 15)) (i32x4.shr_u (local.get $x1b) (i32.const 17))) (local.get $x0b))) ;; rotl 15
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $x1a)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $x1b)))
            (local.set $x1a (v128.xor (v128.or (i32x4.shl (local.get $x1a) (i32.const 26)) (i32x4.shr_u (local.get $x1a) (i32.const 6))) (local.get $x0a))) ;; rotl 26
            (local.set $x1b (v128.xor (v128.or (i32x4.shl (local.get $x1b) (i32.const 26)) (i32x4.shr_u (local.get $x1b) (i32.const 6))) (local.get $x0b))) ;; rotl 26
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $x1a)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $x1b)))
            (local.set $x1a (v128.xor (v128.or (i32x4.shl (local.get $x1a) (i32.const 6)) (i32x4.shr_u (local.get $x1a) (i32.const 26))) (local.get $x0a))) ;; rotl 6
            (local.set $x1b (v128.xor (v128.or (i32x4.shl (local.get $x1b) (i32.const 6)) (i32x4.shr_u (local.get $x1b) (i32.const 26))) (local.get $x0b))) ;; rotl 6
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $ks0)))
            (local.set $x1a (i32x4.add (local.get $x1a) (local.get $ks1p3)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $ks0)))
            (local.set $x1b (i32x4.add (local.get $x1b) (local.get $ks1p3)))
            (local.set $x0a (i32x4.add (local.get $x0a) (local.get $x1a)))
            (local.set $x0b (i32x4.add (local.get $x0b) (local.get $x1b)))
            (local.set $x1a (v128.xor (v128.or (i32x4.shl (local.get $x1a) (i32.const 17)) (i32x4.shr_u (local.get $x1a) (i32.const 15))) (local.get $x0a))) ;; rotl 17
            (local.set $x1b (v128.xor (v128.or (i32x4.shl (local.get $x1b) (i32.const 17)) (i32x4.shr_u (local.get $x1b) (i32.const 15))) (local.get $x0b))) ;; rotl 17
            ;; step 2i: u = (x0 >>> 9) 2^-23 + 2^-24 (exact) to the log's buffer, x1 to X
            (local.set $a (i32x4.shr_u (local.get $x0a) (i32.const 9)))
            (v128.store offset=0 (local.get $up)
              (f64x2.add (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $a)) (v128.load offset=320 (i32.const 0) (; f64x2 0x1p-23 ;))) (v128.load offset=336 (i32.const 0) (; f64x2 0x1p-24 ;))))
            (v128.store offset=16 (local.get $up)
              (f64x2.add
                (f64x2.mul
                  (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $a) (local.get $a)))
                  (v128.load offset=320 (i32.const 0) (; f64x2 0x1p-23 ;)))
                (v128.load offset=336 (i32.const 0) (; f64x2 0x1p-24 ;))))
            (v128.store offset=0 (local.get $xp) (local.get $x1a))
            ;; step 2i + 1: u = (x0 >>> 9) 2^-23 + 2^-24 (exact) to the log's buffer, x1 to X
            (local.set $a (i32x4.shr_u (local.get $x0b) (i32.const 9)))
            (v128.store offset=32 (local.get $up)
              (f64x2.add (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $a)) (v128.load offset=320 (i32.const 0) (; f64x2 0x1p-23 ;))) (v128.load offset=336 (i32.const 0) (; f64x2 0x1p-24 ;))))
            (v128.store offset=48 (local.get $up)
              (f64x2.add
                (f64x2.mul
                  (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $a) (local.get $a)))
                  (v128.load offset=320 (i32.const 0) (; f64x2 0x1p-23 ;)))
                (v128.load offset=336 (i32.const 0) (; f64x2 0x1p-24 ;))))
            (v128.store offset=16 (local.get $xp) (local.get $x1b))
            (local.set $up (i32.add (local.get $up) (i32.const 64)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 32)))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br_if $threefry (i32.lt_u (local.get $i) (local.get $n))))
          ;; B and C: the normals pass only
          (if (i32.eqz (local.get $um)) (then
            ;; B: ln u in place
            (call $ln_loop (i32.const 1024) (i32.shl (local.get $n) (i32.const 2)))
            (local.set $i (i32.const 0))
            (local.set $up (i32.const 1024))
            (local.set $xp (i32.const 3072))
            ;; C: Box-Muller, one step (4 samples' pair j) an iteration, in two f64x2 halves
            (loop $boxmuller
              (local.set $x1 (v128.load (local.get $xp)))
              (local.set $b (v128.and (i32x4.shr_u (local.get $x1) (i32.const 7)) (v128.load offset=352 (i32.const 0) (; i32x4 0x7fffff ;))))
              ;; ---- items in lanes 0 and 1 ----
              ;; r = sqrt(-2 ln u)
              (local.set $rr (f64x2.sqrt (f64x2.mul (v128.load offset=368 (i32.const 0) (; f64x2 -2 ;)) (v128.load offset=0 (local.get $up)))))
              ;; z = (((x1 >>> 7) & 0x7fffff) 2^-23 - 0.49999994039535522) pi/2, the twin's operations
              (local.set $z
                (f64x2.mul
                  (f64x2.sub
                    (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $b)) (v128.load offset=320 (i32.const 0) (; f64x2 0x1p-23 ;)))
                    (v128.load offset=384 (i32.const 0) (; f64x2 0x1.fffffcp-2 ;)))
                  (v128.load offset=400 (i32.const 0) (; f64x2 0x1.921fb54442d18p+0 ;))))
              (local.set $z2 (f64x2.mul (local.get $z) (local.get $z)))
              ;; sin z = z (1 + z2 (S3 + z2 (S5 + z2 (S7 + z2 S9)))), cos z = 1 + z2 (-1/2 + z2 (C4 + z2 (C6 + z2 C8))):
              ;; the twin's coefficients as exact hex (S3 = -1.6666666666666666e-1, S5 = 8.333333333333333e-3,
              ;; S7 = -1.984126984126984e-4, S9 = 2.7557319223985893e-6, C4 = 4.1666666666666664e-2,
              ;; C6 = -1.388888888888889e-3, C8 = 2.48015873015873e-5) in its order (Horner, no fma)
              (local.set $sn
                (f64x2.mul (local.get $z)
                  (f64x2.add (v128.load offset=32 (i32.const 0) (; f64x2 1 ;))
                    (f64x2.mul (local.get $z2)
                      (f64x2.add (v128.load offset=416 (i32.const 0) (; f64x2 -0x1.5555555555555p-3 ;))
                        (f64x2.mul (local.get $z2)
                          (f64x2.add (v128.load offset=432 (i32.const 0) (; f64x2 0x1.1111111111111p-7 ;))
                            (f64x2.mul (local.get $z2)
                              (f64x2.add (v128.load offset=448 (i32.const 0) (; f64x2 -0x1.a01a01a01a01ap-13 ;))
                                (f64x2.mul (local.get $z2) (v128.load offset=464 (i32.const 0) (; f64x2 0x1.71de3a556c734p-19 ;))))))))))))
              (local.set $cs
                (f64x2.add (v128.load offset=32 (i32.const 0) (; f64x2 1 ;))
                  (f64x2.mul (local.get $z2)
                    (f64x2.add (v128.load offset=480 (i32.const 0) (; f64x2 -0.5 ;))
                      (f64x2.mul (local.get $z2)
                        (f64x2.add (v128.load offset=496 (i32.const 0) (; f64x2 0x1.5555555555555p-5 ;))
                          (f64x2.mul (local.get $z2)
                            (f64x2.add (v128.load offset=512 (i32.const 0) (; f64x2 -0x1.6c16c16c16c17p-10 ;))
                              (f64x2.mul (local.get $z2) (v128.load offset=528 (i32.const 0) (; f64x2 0x1.a01a01a01a01ap-16 ;)))))))))))
              ;; q = x1 >>> 30 quarter turns: swap sin and cos where q is odd (bit 30); cos < 0 where bit 31
              ;; xor bit 30, sin < 0 where bit 31 -- i32 lanes sign-extended to 64-bit masks; exact like the
              ;; twin's multiplications by 1 - 2 bit
              (local.set $odd (i64x2.extend_low_i32x4_s (i32x4.shr_s (i32x4.shl (local.get $x1) (i32.const 1)) (i32.const 31))))
              (local.set $oc
                (v128.xor
                  (f64x2.mul (local.get $rr) (v128.bitselect (local.get $sn) (local.get $cs) (local.get $odd)))
                  (v128.and (i64x2.extend_low_i32x4_s (v128.xor (local.get $x1) (i32x4.shl (local.get $x1) (i32.const 1)))) (v128.load offset=544 (i32.const 0) (; i64x2 0x8000000000000000 ;)))))
              (local.set $os
                (v128.xor
                  (f64x2.mul (local.get $rr) (v128.bitselect (local.get $cs) (local.get $sn) (local.get $odd)))
                  (v128.and (i64x2.extend_low_i32x4_s (local.get $x1)) (v128.load offset=544 (i32.const 0) (; i64x2 0x8000000000000000 ;)))))

              (local.set $oc0 (local.get $oc)) (local.set $os0 (local.get $os))
              ;; ---- items in lanes 2 and 3 ----
              ;; r = sqrt(-2 ln u)
              (local.set $rr (f64x2.sqrt (f64x2.mul (v128.load offset=368 (i32.const 0) (; f64x2 -2 ;)) (v128.load offset=16 (local.get $up)))))
              ;; z = (((x1 >>> 7) & 0x7fffff) 2^-23 - 0.49999994039535522) pi/2, the twin's operations
              (local.set $z
                (f64x2.mul
                  (f64x2.sub
                    (f64x2.mul (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $b) (local.get $b))) (v128.load offset=320 (i32.const 0) (; f64x2 0x1p-23 ;)))
                    (v128.load offset=384 (i32.const 0) (; f64x2 0x1.fffffcp-2 ;)))
                  (v128.load offset=400 (i32.const 0) (; f64x2 0x1.921fb54442d18p+0 ;))))
              (local.set $z2 (f64x2.mul (local.get $z) (local.get $z)))
              ;; sin z = z (1 + z2 (S3 + z2 (S5 + z2 (S7 + z2 S9)))), cos z = 1 + z2 (-1/2 + z2 (C4 + z2 (C6 + z2 C8))):
              ;; the twin's coefficients as exact hex (S3 = -1.6666666666666666e-1, S5 = 8.333333333333333e-3,
              ;; S7 = -1.984126984126984e-4, S9 = 2.7557319223985893e-6, C4 = 4.1666666666666664e-2,
              ;; C6 = -1.388888888888889e-3, C8 = 2.48015873015873e-5) in its order (Horner, no fma)
              (local.set $sn
                (f64x2.mul (local.get $z)
                  (f64x2.add (v128.load offset=32 (i32.const 0) (; f64x2 1 ;))
                    (f64x2.mul (local.get $z2)
                      (f64x2.add (v128.load offset=416 (i32.const 0) (; f64x2 -0x1.5555555555555p-3 ;))
                        (f64x2.mul (local.get $z2)
                          (f64x2.add (v128.load offset=432 (i32.const 0) (; f64x2 0x1.1111111111111p-7 ;))
                            (f64x2.mul (local.get $z2)
                              (f64x2.add (v128.load offset=448 (i32.const 0) (; f64x2 -0x1.a01a01a01a01ap-13 ;))
                                (f64x2.mul (local.get $z2) (v128.load offset=464 (i32.const 0) (; f64x2 0x1.71de3a556c734p-19 ;))))))))))))
              (local.set $cs
                (f64x2.add (v128.load offset=32 (i32.const 0) (; f64x2 1 ;))
                  (f64x2.mul (local.get $z2)
                    (f64x2.add (v128.load offset=480 (i32.const 0) (; f64x2 -0.5 ;))
                      (f64x2.mul (local.get $z2)
                        (f64x2.add (v128.load offset=496 (i32.const 0) (; f64x2 0x1.5555555555555p-5 ;))
                          (f64x2.mul (local.get $z2)
                            (f64x2.add (v128.load offset=512 (i32.const 0) (; f64x2 -0x1.6c16c16c16c17p-10 ;))
                              (f64x2.mul (local.get $z2) (v128.load offset=528 (i32.const 0) (; f64x2 0x1.a01a01a01a01ap-16 ;)))))))))))
              ;; q = x1 >>> 30 quarter turns: swap sin and cos where q is odd (bit 30); cos < 0 where bit 31
              ;; xor bit 30, sin < 0 where bit 31 -- i32 lanes sign-extended to 64-bit masks; exact like the
              ;; twin's multiplications by 1 - 2 bit
              (local.set $odd (i64x2.extend_high_i32x4_s (i32x4.shr_s (i32x4.shl (local.get $x1) (i32.const 1)) (i32.const 31))))
              (local.set $oc
                (v128.xor
                  (f64x2.mul (local.get $rr) (v128.bitselect (local.get $sn) (local.get $cs) (local.get $odd)))
                  (v128.and (i64x2.extend_high_i32x4_s (v128.xor (local.get $x1) (i32x4.shl (local.get $x1) (i32.const 1)))) (v128.load offset=544 (i32.const 0) (; i64x2 0x8000000000000000 ;)))))
              (local.set $os
                (v128.xor
                  (f64x2.mul (local.get $rr) (v128.bitselect (local.get $cs) (local.get $sn) (local.get $odd)))
                  (v128.and (i64x2.extend_high_i32x4_s (local.get $x1)) (v128.load offset=544 (i32.const 0) (; i64x2 0x8000000000000000 ;)))))

              (local.set $oc1 (local.get $oc)) (local.set $os1 (local.get $os))
              ;; sums of squares in the twin's order: a^2 then b^2 per pair, restarted at j = 0
              (if (local.get $jC)
                (then
                  (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $oc0) (local.get $oc0))))
                  (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $oc1) (local.get $oc1)))))
                (else
                  (local.set $acc0 (f64x2.mul (local.get $oc0) (local.get $oc0)))
                  (local.set $acc1 (f64x2.mul (local.get $oc1) (local.get $oc1)))))
              (if (i32.and (i32.eq (local.get $jC) (i32.sub (local.get $P) (i32.const 1))) (local.get $oddd))
                (then
                  ;; an odd d's last coordinate: cos only
                  (f64.store (i32.add (local.get $q0) (local.get $pj)) (f64x2.extract_lane 0 (local.get $oc0)))
                  (f64.store (i32.add (local.get $q1) (local.get $pj)) (f64x2.extract_lane 1 (local.get $oc0)))
                  (f64.store (i32.add (local.get $q2) (local.get $pj)) (f64x2.extract_lane 0 (local.get $oc1)))
                  (f64.store (i32.add (local.get $q3) (local.get $pj)) (f64x2.extract_lane 1 (local.get $oc1))))
                (else
                  (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $os0) (local.get $os0))))
                  (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $os1) (local.get $os1))))
                  (v128.store (i32.add (local.get $q0) (local.get $pj)) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $oc0) (local.get $os0)))
                  (v128.store (i32.add (local.get $q1) (local.get $pj)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $oc0) (local.get $os0)))
                  (v128.store (i32.add (local.get $q2) (local.get $pj)) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $oc1) (local.get $os1)))
                  (v128.store (i32.add (local.get $q3) (local.get $pj)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $oc1) (local.get $os1)))))
              ;; next step; after a sample's last pair its sum goes to ss (4 lanes, two stores)
              (local.set $jC (i32.add (local.get $jC) (i32.const 1)))
              (local.set $pj (i32.add (local.get $pj) (i32.const 16)))
              (if (i32.eq (local.get $jC) (local.get $P))
                (then
                  (v128.store (i32.add (local.get $ssPtr) (i32.shl (local.get $sC) (i32.const 3))) (local.get $acc0))
                  (v128.store offset=16 (i32.add (local.get $ssPtr) (i32.shl (local.get $sC) (i32.const 3))) (local.get $acc1))
                  (local.set $jC (i32.const 0))
                  (local.set $pj (i32.const 0))
                  (local.set $sC (i32.add (local.get $sC) (i32.const 4)))
                  ;; the lanes' out + 8 (s + min(k, v - 1)) d, v = max(count - s, 1)
                  (local.set $v (i32.sub (local.get $count) (local.get $sC)))
                  (local.set $v (select (local.get $v) (i32.const 1) (i32.gt_s (local.get $v) (i32.const 0))))
                  (local.set $q0 (i32.add (local.get $outPtr) (i32.mul (i32.add (local.get $sC) (i32.const 0)) (local.get $D8))))
                  (local.set $q1 (i32.add (local.get $outPtr) (i32.mul (i32.add (local.get $sC) (select (i32.const 1) (i32.sub (local.get $v) (i32.const 1)) (i32.lt_u (i32.const 1) (local.get $v)))) (local.get $D8))))
                  (local.set $q2 (i32.add (local.get $outPtr) (i32.mul (i32.add (local.get $sC) (select (i32.const 2) (i32.sub (local.get $v) (i32.const 1)) (i32.lt_u (i32.const 2) (local.get $v)))) (local.get $D8))))
                  (local.set $q3 (i32.add (local.get $outPtr) (i32.mul (i32.add (local.get $sC) (select (i32.const 3) (i32.sub (local.get $v) (i32.const 1)) (i32.lt_u (i32.const 3) (local.get $v)))) (local.get $D8))))))
              (local.set $up (i32.add (local.get $up) (i32.const 32)))
              (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $boxmuller (i32.lt_u (local.get $i) (local.get $nc))))))
          (local.set $g (i32.add (local.get $g) (local.get $nc)))
          (br $chunk)))
      ;; then u, where asked
      (if (local.get $uPtr)
        (then
          (local.set $um (local.get $uPtr))
          (local.set $uPtr (i32.const 0))
          (br $pass))))
  )
)
