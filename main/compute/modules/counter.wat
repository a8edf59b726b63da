;; A checkpointable job of many steps. Input: u32 steps, u32 iterations per step. Each
;; iteration mixes the count into a 64-bit accumulator; the output is the accumulator
;; (8 bytes, little-endian). Its state is the count and the accumulator (16 bytes).
(module
  (import "gridnode" "memory" (memory 1))
  (import "gridnode" "progress" (func $progress (param f64)))

  (global $total (mut i64) (i64.const 0))
  (global $perStep (mut i64) (i64.const 0))
  (global $done (mut i64) (i64.const 0))
  (global $acc (mut i64) (i64.const 0))

  (func (export "count") (param $in i32) (param $len i32)
    (if (i32.lt_u (local.get $len) (i32.const 8)) (then unreachable))
    (global.set $perStep (i64.extend_i32_u (i32.load offset=4 (local.get $in))))
    (global.set $total (i64.mul (i64.extend_i32_u (i32.load (local.get $in))) (global.get $perStep)))
    (global.set $done (i64.const 0))
    (global.set $acc (i64.const 0)))

  (func (export "step") (result i32)
    (local $end i64)
    (local.set $end (i64.add (global.get $done) (global.get $perStep)))
    (if (i64.gt_u (local.get $end) (global.get $total)) (then (local.set $end (global.get $total))))
    (block $finished
      (loop $next
        (br_if $finished (i64.ge_u (global.get $done) (local.get $end)))
        (global.set $acc
          (i64.add
            (i64.mul (global.get $acc) (i64.const 6364136223846793005))
            (i64.xor (global.get $done) (i64.const 1442695040888963407))))
        (global.set $done (i64.add (global.get $done) (i64.const 1)))
        (br $next)))
    (call $progress
      (f64.div (f64.convert_i64_u (global.get $done)) (f64.convert_i64_u (global.get $total))))
    (i64.ge_u (global.get $done) (global.get $total)))

  ;; State and output live on the module's own page 0.
  (func (export "checkpoint") (result i32 i32)
    (i64.store (i32.const 0) (global.get $done))
    (i64.store (i32.const 8) (global.get $acc))
    (i32.const 0)
    (i32.const 16))

  (func (export "restore") (param $state i32) (param $len i32)
    (if (i32.ne (local.get $len) (i32.const 16)) (then unreachable))
    (global.set $done (i64.load (local.get $state)))
    (global.set $acc (i64.load offset=8 (local.get $state))))

  (func (export "output") (result i32 i32)
    (i64.store (i32.const 16) (global.get $acc))
    (i32.const 16)
    (i32.const 8)))
