;; A hostile job: it never returns. The host must stop it at its wall-time limit.
(module
  (import "gridnode" "memory" (memory 1))

  (func (export "forever") (param i32 i32) (result i32 i32)
    (loop $spin (br $spin))
    unreachable))
