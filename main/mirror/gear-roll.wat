;; The inner loop of FastCDC (chunker.ts), in WebAssembly for its native 64-bit arithmetic: about
;; twice the speed of the same loop in JavaScript. chunker.ts embeds the binary this compiles to
;; (wabt, default features); test/mirror/chunker.test.ts checks the two agree.
;;
;; Memory: the gear table (256 little-endian i64) at offset 0, the data to chunk after it.
(module
  (memory (export "memory") 1)
  ;; The Gear hash, carried from one roll to the next; the caller resets it at each chunk.
  (global $hash (export "hash") (mut i64) (i64.const 0))
  ;; Rolls the hash over the bytes at [from, to): hash = (hash << 1) + gear[byte]. Returns the
  ;; offset of the first byte after which no bit of `mask` is set in the hash, or `to`.
  (func (export "roll") (param $from i32) (param $to i32) (param $mask i64) (result i32)
    (local $h i64)
    (local.set $h (global.get $hash))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $from) (local.get $to)))
        (local.set $h
          (i64.add
            (i64.shl (local.get $h) (i64.const 1))
            (i64.load (i32.shl (i32.load8_u (local.get $from)) (i32.const 3)))))
        (br_if $done (i64.eqz (i64.and (local.get $h) (local.get $mask))))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $next)))
    (global.set $hash (local.get $h))
    (local.get $from)))
