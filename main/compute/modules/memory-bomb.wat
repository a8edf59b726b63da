;; A hostile job: it grows its memory 1 MiB at a time, touching every new megabyte, until the
;; host refuses; then it traps, as a real allocator does when memory runs out (it does not
;; call gridnode.out_of_memory: the host must recognise the trap at its limit by itself).
(module
  (import "gridnode" "memory" (memory 1))

  (func (export "bomb") (param i32 i32) (result i32 i32)
    (local $old i32)
    (loop $more
      (local.set $old (memory.grow (i32.const 16)))
      (if (i32.eq (local.get $old) (i32.const -1)) (then unreachable))
      (i32.store8 (i32.mul (local.get $old) (i32.const 65536)) (i32.const 1))
      (br $more))
    unreachable))
