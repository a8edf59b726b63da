;; Renders one tile of the Mandelbrot set as RGBA pixels.
;; Input (44 bytes, little-endian): f64 x0, f64 y0, f64 step (the complex plane's units per
;; pixel), u32 left, u32 top (the tile's position in the whole image), u32 width, u32 height,
;; u32 maxIterations. Pixel (px, py) of the tile is the point x0 + (left + px)·step,
;; y0 + (top + py)·step: coordinates come from the whole image's pixel index, so a tile's
;; pixels are bit-identical to the same pixels rendered as one big tile.
;; Output: width·height·4 bytes, row by row.
(module
  (import "gridnode" "memory" (memory 1))
  (import "gridnode" "progress" (func $progress (param f64)))
  (import "gridnode" "out_of_memory" (func $out_of_memory))

  (func $color (param $n i32) (param $max i32) (result i32)
    (if (result i32) (i32.ge_u (local.get $n) (local.get $max))
      (then (i32.const 0xff000000))
      (else
        (i32.or
          (i32.or
            (i32.and (i32.mul (local.get $n) (i32.const 7)) (i32.const 0xff))
            (i32.shl (i32.and (i32.mul (local.get $n) (i32.const 3)) (i32.const 0xff)) (i32.const 8)))
          (i32.or
            (i32.shl (i32.and (i32.add (i32.const 96) (i32.mul (local.get $n) (i32.const 11))) (i32.const 0xff)) (i32.const 16))
            (i32.const 0xff000000))))))

  (func $escape (param $cx f64) (param $cy f64) (param $max i32) (result i32)
    (local $zx f64) (local $zy f64) (local $xx f64) (local $yy f64) (local $n i32)
    (block $out
      (loop $iterate
        (br_if $out (i32.ge_u (local.get $n) (local.get $max)))
        (local.set $xx (f64.mul (local.get $zx) (local.get $zx)))
        (local.set $yy (f64.mul (local.get $zy) (local.get $zy)))
        (br_if $out (f64.gt (f64.add (local.get $xx) (local.get $yy)) (f64.const 4)))
        (local.set $zy (f64.add (f64.mul (f64.mul (f64.const 2) (local.get $zx)) (local.get $zy)) (local.get $cy)))
        (local.set $zx (f64.add (f64.sub (local.get $xx) (local.get $yy)) (local.get $cx)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $iterate)))
    (local.get $n))

  (func (export "render") (param $in i32) (param $len i32) (result i32 i32)
    (local $x0 f64) (local $y0 f64) (local $step f64)
    (local $left i32) (local $top i32) (local $width i32) (local $height i32) (local $max i32)
    (local $out i32) (local $need i64) (local $have i64)
    (local $px i32) (local $py i32) (local $cy f64) (local $pixel i32)
    (if (i32.lt_u (local.get $len) (i32.const 44)) (then unreachable))
    (local.set $x0 (f64.load (local.get $in)))
    (local.set $y0 (f64.load offset=8 (local.get $in)))
    (local.set $step (f64.load offset=16 (local.get $in)))
    (local.set $left (i32.load offset=24 (local.get $in)))
    (local.set $top (i32.load offset=28 (local.get $in)))
    (local.set $width (i32.load offset=32 (local.get $in)))
    (local.set $height (i32.load offset=36 (local.get $in)))
    (local.set $max (i32.load offset=40 (local.get $in)))

    ;; The pixels go right after the input; grow the memory to hold them.
    (local.set $out (i32.and (i32.add (i32.add (local.get $in) (local.get $len)) (i32.const 7)) (i32.const -8)))
    (local.set $need
      (i64.add (i64.extend_i32_u (local.get $out))
        (i64.mul (i64.mul (i64.extend_i32_u (local.get $width)) (i64.extend_i32_u (local.get $height))) (i64.const 4))))
    (local.set $have (i64.mul (i64.extend_i32_u (memory.size)) (i64.const 65536)))
    (if (i64.gt_u (local.get $need) (local.get $have))
      (then
        (if (i64.gt_u (local.get $need) (i64.const 0xffffffff)) (then (call $out_of_memory)))
        (if (i32.eq
              (memory.grow (i32.wrap_i64 (i64.div_u (i64.add (i64.sub (local.get $need) (local.get $have)) (i64.const 65535)) (i64.const 65536))))
              (i32.const -1))
          (then (call $out_of_memory)))))

    (local.set $pixel (local.get $out))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $py) (local.get $height)))
        (local.set $cy (f64.add (local.get $y0) (f64.mul (f64.convert_i32_u (i32.add (local.get $top) (local.get $py))) (local.get $step))))
        (local.set $px (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $px) (local.get $width)))
            (i32.store (local.get $pixel)
              (call $color
                (call $escape
                  (f64.add (local.get $x0) (f64.mul (f64.convert_i32_u (i32.add (local.get $left) (local.get $px))) (local.get $step)))
                  (local.get $cy)
                  (local.get $max))
                (local.get $max)))
            (local.set $pixel (i32.add (local.get $pixel) (i32.const 4)))
            (local.set $px (i32.add (local.get $px) (i32.const 1)))
            (br $cols)))
        (local.set $py (i32.add (local.get $py) (i32.const 1)))
        (call $progress (f64.div (f64.convert_i32_u (local.get $py)) (f64.convert_i32_u (local.get $height))))
        (br $rows)))
    (local.get $out)
    (i32.wrap_i64 (i64.sub (local.get $need) (i64.extend_i32_u (local.get $out))))))
