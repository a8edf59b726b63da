;; A CPU-bound job of parameterised length: input is a u32 number of rounds of xorshift32
;; (about 10 ms for a few million rounds; the benchmark calibrates), output the final
;; state as 4 bytes, little-endian.
(module
  (import "gridnode" "memory" (memory 1))

  (func (export "busy") (param $in i32) (param $len i32) (result i32 i32)
    (local $rounds i32)
    (local $x i32)
    (if (i32.lt_u (local.get $len) (i32.const 4)) (then unreachable))
    (local.set $rounds (i32.load (local.get $in)))
    (local.set $x (i32.const 0x9e3779b9))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $rounds)))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
        (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
        (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))
        (br $next)))
    (i32.store (i32.const 0) (local.get $x))
    (i32.const 0)
    (i32.const 4)))
