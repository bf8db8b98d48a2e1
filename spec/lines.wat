;; Whole lines of a text/event-stream body, decoded and classified in one pass (WHATWG HTML §9.2.6).
;; Source of spec/lines-wasm.ts (scripts/build-lines-wasm.ts assembles it; a test keeps the two equal).
;;
;; scan(i, end, out8, out, rec, recEnd) reads the bytes [i, end), which start in the UTF-8 decoder's
;; initial state and whose last byte is a line end (LF or CR), so the decoder is back in its initial
;; state there too. Their text is, while every byte is ASCII, the bytes as they came, or once it
;; differs from them (a data line joined, below) bytes written from `out8`; from the first other
;; byte on, UTF-16 code units written from `out` (the text so far widened). For each line it:
;;   - decodes the bytes with the Encoding Standard's UTF-8 decoder (https://encoding.spec.whatwg.org/#utf-8-decoder,
;;     its lower and upper boundaries included); every error writes one U+FFFD and the byte that
;;     ended the bad sequence is read again, as the standard says. Text that is valid UTF-8 goes
;;     sixteen bytes at a time (each block validated first; the code points of its sequences of
;;     one to three bytes packed with the table that pack(at) writes); the rest (four-byte
;;     sequences, errors) sequence by sequence;
;;   - leaves out the prefix of a `data:` line that follows another ended by LF, so that the values
;;     of consecutive data lines are one piece of text joined by LF, as the data buffer joins them;
;;   - writes a record of four i32 at `rec`: kind and flags, start, value start, end (positions in
;;     the text; end excludes the line end).
;; Kinds: 0 blank line, 1 `data:`, 2 `id:` (its value without U+0000), 3 `event:`, 4 comment (starts
;; with a colon), 5 any other line. Flags: 8 the line ends with a CR not followed by LF; 16 the line
;; ends with a CR that is the last byte (an LF may follow in the next bytes).
;; The lines of a simple event (comments, `event:`, `id:` and consecutive `data:` lines, then a blank
;; line, none with a flag) get one record of eight i32 instead: kind 6 with the number of lines from
;; bit 5 on, then start and end of the data (the joined values), of the event type and of the id
;; values (-1 when absent; the last of each counts).
;; It stops at `end`, or at a line start once the records reach `recEnd`, and returns the number of
;; four-i32 records written; the four i32 before `rec` then hold where it stopped, the length of the
;; text, the U+FFFD written, and where the text is (0: the bytes as they came, 1: bytes at `out8`,
;; 2: code units at `out`), read as memory (cheaper from JS than globals); the 32 bytes before
;; those hold the event being read. Memory after `end` must hold 18 readable bytes; `out8` and `out` must have room
;; for 16 bytes and code units beyond one per byte; pack(at) must have written its 4 KiB table (see
;; there) where the scan writes nothing.
(module
  (memory (export "memory") 1)
  (global $replaced (mut i32) (i32.const 0))
  ;; Where pack() wrote its table: for each 8-bit mask, the swizzle that moves the 16-bit lanes
  ;; it selects to the front, in order.
  (global $pack (mut i32) (i32.const 0))

  (func (export "pack") (param $at i32)
    (local $m i32) (local $l i32) (local $p i32)
    (global.set $pack (local.get $at))
    (loop $masks
      (local.set $p (i32.add (local.get $at) (i32.shl (local.get $m) (i32.const 4))))
      (local.set $l (i32.const 0))
      (loop $lanes
        (if (i32.and (local.get $m) (i32.shl (i32.const 1) (local.get $l)))
          (then
            (i32.store16 (local.get $p) (i32.or (i32.shl (local.get $l) (i32.const 1)) (i32.shl (i32.add (i32.shl (local.get $l) (i32.const 1)) (i32.const 1)) (i32.const 8))))
            (local.set $p (i32.add (local.get $p) (i32.const 2)))))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br_if $lanes (i32.lt_u (local.get $l) (i32.const 8))))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br_if $masks (i32.lt_u (local.get $m) (i32.const 256)))))

  (func (export "scan") (param $i i32) (param $end i32) (param $out8 i32) (param $out i32) (param $rec i32) (param $recEnd i32) (result i32)
    (local $o i32) (local $b i32) (local $c1 i32) (local $c2 i32) (local $c3 i32) (local $lower i32) (local $upper i32)
    (local $start i32) (local $value i32) (local $kind i32) (local $mask i32) (local $v v128)
    (local $first i32) (local $prev i32) (local $copy i32) (local $w i32) (local $cp i32) (local $lineAt i32) (local $end16 i32)
    (local $rec0 i32) (local $gRec i32) (local $gOk i32) (local $g i32)
    (local $k i32) (local $kh i32) (local $n1 v128) (local $n2 v128) (local $l2 v128) (local $l3 v128) (local $t v128) (local $u v128) (local $hn v128)
    ;; Constants of the blocks below, set once (V8 would build each at every use).
    (local $kl1 v128) (local $kl2 v128) (local $kl3 v128) (local $xc0 v128) (local $xe0 v128)
    (local $xlf v128) (local $xcr v128) (local $x0b v128) (local $x0e v128) (local $x0f v128) (local $x80 v128) (local $x3f v128) (local $x7c0 v128)
    (local.set $o (local.get $out))
    (local.set $kl1 (v128.const i8x16 2 2 2 2 2 2 2 2 128 128 128 128 33 1 21 73))
    (local.set $kl2 (v128.const i8x16 231 163 131 131 139 203 203 203 203 203 203 203 203 219 203 203))
    (local.set $kl3 (v128.const i8x16 1 1 1 1 1 1 1 1 230 174 186 186 1 1 1 1))
    (local.set $xc0 (i8x16.splat (i32.const 0xc0)))
    (local.set $xe0 (i8x16.splat (i32.const 0xe0)))
    (local.set $xlf (i8x16.splat (i32.const 0x0a)))
    (local.set $xcr (i8x16.splat (i32.const 0x0d)))
    (local.set $x0b (i8x16.splat (i32.const 0x0b)))
    (local.set $x0e (i8x16.splat (i32.const 0x0e)))
    (local.set $x0f (i8x16.splat (i32.const 0x0f)))
    (local.set $x80 (i8x16.splat (i32.const 0x80)))
    (local.set $x3f (i16x8.splat (i32.const 0x3f)))
    (local.set $x7c0 (i16x8.splat (i32.const 0x7c0)))
    (local.set $first (local.get $i))
    (local.set $prev (i32.const -1))
    (local.set $rec0 (local.get $rec))
    ;; The event being read (start and end of its data, type and id values) is kept in the 24
    ;; bytes below the results, not in locals: the decoding loops keep their registers.
    (local.set $g (i32.sub (local.get $rec) (i32.const 48)))
    (local.set $gRec (local.get $rec))
    (local.set $gOk (i32.const 1))
    (i32.store offset=0 (local.get $g) (i32.const -1))
    (i32.store offset=8 (local.get $g) (i32.const -1))
    (i32.store offset=16 (local.get $g) (i32.const -1))
    (global.set $replaced (i32.const 0))
    (block $done
      (loop $line
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (br_if $done (i32.ge_u (local.get $rec) (local.get $recEnd)))
        (local.set $start (i32.shr_u (i32.sub (local.get $o) (local.get $out)) (i32.const 1)))
        (local.set $value (local.get $start))
        (local.set $lineAt (local.get $i))
        (local.set $b (i32.load8_u (local.get $i)))
        (block $eol
          ;; A blank line: its line end is its first byte.
          (local.set $kind (i32.const 0))
          (br_if $eol (i32.or (i32.eq (local.get $b) (i32.const 0x0a)) (i32.eq (local.get $b) (i32.const 0x0d))))
          (local.set $kind (i32.const 5))
          ;; The field names that nearly every line carries, each with the colon right after it
          ;; (none of them contains a colon, so it is the line's first); then one U+0020 skipped.
          (if (i32.eq (i32.load (local.get $i)) (i32.const 0x61746164)) ;; "data"
            (then (if (i32.eq (i32.load8_u offset=4 (local.get $i)) (i32.const 0x3a))
              (then (local.set $kind (i32.const 1))
                    (local.set $value (i32.add (local.get $start)
                      (i32.add (i32.const 5) (i32.eq (i32.load8_u offset=5 (local.get $i)) (i32.const 0x20))))))))
            (else (if (i32.eq (i32.load16_u (local.get $i)) (i32.const 0x6469)) ;; "id"
              (then (if (i32.eq (i32.load8_u offset=2 (local.get $i)) (i32.const 0x3a))
                (then (local.set $kind (i32.const 2))
                      (local.set $value (i32.add (local.get $start)
                        (i32.add (i32.const 3) (i32.eq (i32.load8_u offset=3 (local.get $i)) (i32.const 0x20))))))))
              (else (if (i32.eq (i32.load (local.get $i)) (i32.const 0x6e657665)) ;; "even"
                (then (if (i32.eq (i32.load16_u offset=4 (local.get $i)) (i32.const 0x3a74)) ;; "t:"
                  (then (local.set $kind (i32.const 3))
                        (local.set $value (i32.add (local.get $start)
                          (i32.add (i32.const 6) (i32.eq (i32.load8_u offset=6 (local.get $i)) (i32.const 0x20))))))))
                (else (if (i32.eq (local.get $b) (i32.const 0x3a)) (then (local.set $kind (i32.const 4))))))))))
          ;; A `data:` line right after another: its value follows the other's in the text, after
          ;; the one LF between them, so that the values of consecutive data lines are one piece of
          ;; text, as the data buffer joins them (the prefix is not written).
          (if (i32.and (i32.eq (local.get $kind) (i32.const 1)) (i32.eq (local.get $prev) (i32.const 1)))
            (then
              (if (i32.eqz (i32.or (local.get $w) (local.get $copy)))
                (then
                  ;; The text is no longer the bytes as they came: the bytes so far are copied.
                  (local.set $copy (i32.const 1))
                  (local.set $c1 (local.get $first))
                  (local.set $c2 (local.get $out8))
                  (loop $copying
                    (v128.store (local.get $c2) (v128.load (local.get $c1)))
                    (local.set $c1 (i32.add (local.get $c1) (i32.const 16)))
                    (local.set $c2 (i32.add (local.get $c2) (i32.const 16)))
                    (br_if $copying (i32.lt_u (local.get $c1) (local.get $i))))))
              (local.set $i (i32.add (local.get $i) (i32.sub (local.get $value) (local.get $start))))
              (local.set $value (local.get $start))))
          ;; The line's bytes up to its end.
          (loop $run
            ;; Sixteen bytes at a time while they are ASCII and no line end: stored whole, as
            ;; code units, or (while every byte so far is ASCII) as bytes once the text differs
            ;; from the bytes that came; of a block with a line end or a non-ASCII byte, what
            ;; precedes it stands.
            (local.set $v (v128.load (local.get $i)))
            (if (local.get $w)
              (then (v128.store (local.get $o) (i16x8.extend_low_i8x16_u (local.get $v)))
                    (v128.store offset=16 (local.get $o) (i16x8.extend_high_i8x16_u (local.get $v))))
              (else (if (local.get $copy) (then (v128.store (i32.add (local.get $out8) (i32.shr_u (i32.sub (local.get $o) (local.get $out)) (i32.const 1))) (local.get $v))))))
            (local.set $mask (i8x16.bitmask (v128.or (local.get $v)
              (v128.or (i8x16.eq (local.get $v) (local.get $xlf))
                       (i8x16.eq (local.get $v) (local.get $xcr))))))
            (if (i32.eqz (local.get $mask))
              (then (local.set $i (i32.add (local.get $i) (i32.const 16)))
                    (local.set $o (i32.add (local.get $o) (i32.const 32)))
                    (br $run)))
            (local.set $mask (i32.ctz (local.get $mask)))
            (local.set $i (i32.add (local.get $i) (local.get $mask)))
            (local.set $o (i32.add (local.get $o) (i32.shl (local.get $mask) (i32.const 1))))
            (local.set $b (i32.load8_u (local.get $i)))
            (br_if $eol (i32.lt_u (local.get $b) (i32.const 0x80)))
            (if (i32.eqz (local.get $w))
              (then
                ;; The first non-ASCII byte: the text so far (the bytes copied, or as they came)
                ;; becomes code units.
                (local.set $w (i32.const 1))
                (local.set $c1 (select (local.get $out8) (local.get $first) (local.get $copy)))
                (local.set $c2 (local.get $out))
                (loop $widen
                  (local.set $v (v128.load (local.get $c1)))
                  (v128.store (local.get $c2) (i16x8.extend_low_i8x16_u (local.get $v)))
                  (v128.store offset=16 (local.get $c2) (i16x8.extend_high_i8x16_u (local.get $v)))
                  (local.set $c1 (i32.add (local.get $c1) (i32.const 16)))
                  (local.set $c2 (i32.add (local.get $c2) (i32.const 32)))
                  (br_if $widen (i32.lt_u (local.get $c1) (i32.add (select (local.get $out8) (local.get $first) (local.get $copy))
                                                                    (i32.shr_u (i32.sub (local.get $o) (local.get $out)) (i32.const 1))))))))
            ;; Non-ASCII text, sixteen bytes at a time while they are valid UTF-8 (below); the
            ;; rest (a four-byte sequence, an error, the start of the scan) sequence by sequence.
            (block $sequences
              (loop $blocks
                ;; The check reads the three bytes before the block: they must be of this scan.
                (br_if $sequences (i32.lt_u (local.get $i) (i32.add (local.get $first) (i32.const 3))))
                (local.set $v (v128.load (local.get $i)))
                (local.set $n1 (v128.load offset=1 (local.get $i)))
                (local.set $n2 (v128.load offset=2 (local.get $i)))
                ;; Lead bytes by their high four bits: above 11 (C–F) two or more bytes, above 13
                ;; (E–F; $xcr holds 13) three or more, above 14 (F) four.
                (local.set $hn (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $x0f)))
                (local.set $l2 (i8x16.gt_s (local.get $hn) (local.get $x0b)))
                (local.set $l3 (i8x16.gt_s (local.get $hn) (local.get $xcr)))
                ;; The block ends at a line end or a four-byte lead ($kh), or before a sequence
                ;; that runs past its sixteen bytes ($k).
                (local.set $kh (i32.ctz (i32.or (i32.const 0x10000) (i8x16.bitmask (v128.or
                  (i8x16.gt_s (local.get $hn) (local.get $x0e))
                  (v128.or (i8x16.eq (local.get $v) (local.get $xlf))
                           (i8x16.eq (local.get $v) (local.get $xcr))))))))
                (local.set $k (i32.ctz (i32.or (i32.const 0x10000) (i32.or
                  (i32.and (i8x16.bitmask (local.get $l2)) (i32.const 0x8000))
                  (i32.and (i8x16.bitmask (local.get $l3)) (i32.const 0x4000))))))
                (local.set $k (select (local.get $k) (local.get $kh) (i32.lt_u (local.get $k) (local.get $kh))))
                ;; Valid UTF-8 up to and with the byte at $k, each byte judged with the three
                ;; before it (Keiser and Lemire, "Validating UTF-8 In Less Than One Instruction
                ;; Per Byte", 2021): a nonzero lane is an error; otherwise the decoder's
                ;; boundaries hold and the sequences below are whole.
                (local.set $t (v128.load (i32.sub (local.get $i) (i32.const 1))))
                (local.set $t (v128.xor
                  (v128.and (v128.and
                    (i8x16.swizzle (local.get $kl1) (v128.and (i16x8.shr_u (local.get $t) (i32.const 4)) (local.get $x0f)))
                    (i8x16.swizzle (local.get $kl2) (v128.and (local.get $t) (local.get $x0f))))
                    (i8x16.swizzle (local.get $kl3) (local.get $hn)))
                  ;; A continuation byte two after a three-byte lead. (Four-byte leads end the
                  ;; block, so no byte three after one is judged here.)
                  (v128.and (local.get $x80) (i8x16.ge_u (v128.load (i32.sub (local.get $i) (i32.const 2))) (local.get $xe0)))))
                (br_if $sequences (i32.and (i32.xor (i8x16.bitmask (i8x16.eq (local.get $t) (v128.const i64x2 0 0))) (i32.const 0xffff))
                                           (i32.sub (i32.shl (i32.const 2) (local.get $k)) (i32.const 1))))
                ;; Every lane's code point as if a sequence started there (its bytes are there),
                ;; kept for the lanes where one does (not a continuation byte) before $k: the low
                ;; eight lanes, then the same steps for the high eight (inline: V8 does not inline
                ;; a call here, and one cost a fifth of the scan).
                (local.set $mask (i32.and (i32.xor (i8x16.bitmask (i8x16.lt_s (local.get $v) (local.get $xc0))) (i32.const 0xffff))
                                          (i32.sub (i32.shl (i32.const 1) (local.get $k)) (i32.const 1))))
                (local.set $t (i16x8.extend_low_i8x16_u (local.get $v)))
                (local.set $u (i16x8.extend_low_i8x16_u (local.get $n1)))
                (local.set $u (v128.and (local.get $u) (local.get $x3f)))
                (local.set $u (v128.bitselect
                  (v128.or (v128.or (i16x8.shl (local.get $t) (i32.const 12)) (i16x8.shl (local.get $u) (i32.const 6)))
                           (v128.and (i16x8.extend_low_i8x16_u (local.get $n2)) (local.get $x3f)))
                  (v128.bitselect (v128.or (v128.and (i16x8.shl (local.get $t) (i32.const 6)) (local.get $x7c0)) (local.get $u))
                                  (local.get $t) (i16x8.extend_low_i8x16_s (local.get $l2)))
                  (i16x8.extend_low_i8x16_s (local.get $l3))))
                (v128.store (local.get $o) (i8x16.swizzle (local.get $u)
                  (v128.load (i32.add (global.get $pack) (i32.shl (i32.and (local.get $mask) (i32.const 0xff)) (i32.const 4))))))
                (local.set $o (i32.add (local.get $o) (i32.shl (i32.popcnt (i32.and (local.get $mask) (i32.const 0xff))) (i32.const 1))))
                (local.set $t (i16x8.extend_high_i8x16_u (local.get $v)))
                (local.set $u (i16x8.extend_high_i8x16_u (local.get $n1)))
                (local.set $u (v128.and (local.get $u) (local.get $x3f)))
                (local.set $u (v128.bitselect
                  (v128.or (v128.or (i16x8.shl (local.get $t) (i32.const 12)) (i16x8.shl (local.get $u) (i32.const 6)))
                           (v128.and (i16x8.extend_high_i8x16_u (local.get $n2)) (local.get $x3f)))
                  (v128.bitselect (v128.or (v128.and (i16x8.shl (local.get $t) (i32.const 6)) (local.get $x7c0)) (local.get $u))
                                  (local.get $t) (i16x8.extend_high_i8x16_s (local.get $l2)))
                  (i16x8.extend_high_i8x16_s (local.get $l3))))
                (v128.store (local.get $o) (i8x16.swizzle (local.get $u)
                  (v128.load (i32.add (global.get $pack) (i32.shl (i32.shr_u (local.get $mask) (i32.const 8)) (i32.const 4))))))
                (local.set $o (i32.add (local.get $o) (i32.shl (i32.popcnt (i32.shr_u (local.get $mask) (i32.const 8))) (i32.const 1))))
                (local.set $i (i32.add (local.get $i) (local.get $k)))
                ;; On past a sequence that runs over the block; stopped at a line end or a
                ;; four-byte lead, which the steps below take.
                (br_if $blocks (i32.or (i32.lt_u (local.get $k) (local.get $kh)) (i32.eq (local.get $kh) (i32.const 16))))))
            ;; Where the blocks stopped: a line end, ASCII (after an error the blocks went back to),
            ;; or a sequence for the steps below.
            (local.set $b (i32.load8_u (local.get $i)))
            (br_if $eol (i32.or (i32.eq (local.get $b) (i32.const 0x0a)) (i32.eq (local.get $b) (i32.const 0x0d))))
            (br_if $run (i32.lt_u (local.get $b) (i32.const 0x80)))
            ;; Non-ASCII: sequence by sequence while the bytes are not ASCII.
            (loop $sequence
              (block $next
                ;; Whole valid sequences first, read four bytes at once (b0 b1 b2 b3 from the low
                ;; end); the checks accept exactly what the decoder's boundaries accept. A run of
                ;; sequences of one length (a word in one script) stays in its own loop.
                (local.set $c3 (i32.load (local.get $i)))
                (if (i32.lt_u (local.get $b) (i32.const 0xe0))
                  (then
                    (loop $two
                      ;; 110xxxxx 10xxxxxx, from U+0080 on (C0 and C1 are never lead bytes).
                      (if (i32.and (i32.ge_u (local.get $b) (i32.const 0xc2))
                                   (i32.eq (i32.and (local.get $c3) (i32.const 0xc0e0)) (i32.const 0x80c0)))
                        (then
                          (i32.store16 (local.get $o) (i32.or (i32.shl (i32.and (local.get $c3) (i32.const 0x1f)) (i32.const 6))
                                                              (i32.and (i32.shr_u (local.get $c3) (i32.const 8)) (i32.const 0x3f))))
                          (local.set $i (i32.add (local.get $i) (i32.const 2)))
                          (local.set $o (i32.add (local.get $o) (i32.const 2)))
                          (local.set $c3 (i32.load (local.get $i)))
                          (local.set $b (i32.and (local.get $c3) (i32.const 0xff)))
                          (br_if $two (i32.eq (i32.and (local.get $b) (i32.const 0xe0)) (i32.const 0xc0)))
                          (br $next)))))
                  (else
                    (if (i32.lt_u (local.get $b) (i32.const 0xf0))
                      (then
                        (loop $three
                          ;; 1110xxxx 10xxxxxx 10xxxxxx, from U+0800 on, no surrogates.
                          (local.set $cp (i32.or (i32.or
                            (i32.shl (i32.and (local.get $c3) (i32.const 0x0f)) (i32.const 12))
                            (i32.and (i32.shr_u (local.get $c3) (i32.const 2)) (i32.const 0xfc0)))
                            (i32.and (i32.shr_u (local.get $c3) (i32.const 16)) (i32.const 0x3f))))
                          (if (i32.and (i32.and (i32.eq (i32.and (local.get $c3) (i32.const 0xc0c0f0)) (i32.const 0x8080e0))
                                                (i32.ge_u (local.get $cp) (i32.const 0x800)))
                                       (i32.ne (i32.and (local.get $cp) (i32.const 0xf800)) (i32.const 0xd800)))
                            (then
                              (i32.store16 (local.get $o) (local.get $cp))
                              (local.set $i (i32.add (local.get $i) (i32.const 3)))
                              (local.set $o (i32.add (local.get $o) (i32.const 2)))
                              (local.set $c3 (i32.load (local.get $i)))
                              (br_if $three (i32.eq (i32.and (local.get $c3) (i32.const 0xf0)) (i32.const 0xe0)))
                              (br $next)))))
                      (else
                        (loop $four
                          ;; 11110xxx and three 10xxxxxx, U+10000 to U+10FFFF: a surrogate pair.
                          (local.set $cp (i32.or (i32.or (i32.or
                            (i32.shl (i32.and (local.get $c3) (i32.const 0x07)) (i32.const 18))
                            (i32.and (i32.shl (local.get $c3) (i32.const 4)) (i32.const 0x3f000)))
                            (i32.and (i32.shr_u (local.get $c3) (i32.const 10)) (i32.const 0xfc0)))
                            (i32.and (i32.shr_u (local.get $c3) (i32.const 24)) (i32.const 0x3f))))
                          (if (i32.and (i32.and (i32.eq (i32.and (local.get $c3) (i32.const 0xc0c0c0f8)) (i32.const 0x808080f0))
                                                (i32.ge_u (local.get $cp) (i32.const 0x10000)))
                                       (i32.le_u (local.get $cp) (i32.const 0x10ffff)))
                            (then
                              (i32.store16 (local.get $o) (i32.add (i32.const 0xd7c0) (i32.shr_u (local.get $cp) (i32.const 10))))
                              (i32.store16 offset=2 (local.get $o) (i32.or (i32.const 0xdc00) (i32.and (local.get $cp) (i32.const 0x3ff))))
                              (local.set $i (i32.add (local.get $i) (i32.const 4)))
                              (local.set $o (i32.add (local.get $o) (i32.const 4)))
                              (local.set $c3 (i32.load (local.get $i)))
                              (br_if $four (i32.eq (i32.and (local.get $c3) (i32.const 0xf8)) (i32.const 0xf0)))
                              (br $next))))))))
                ;; A sequence that is not whole and valid: its lead byte again, for the steps below.
                (local.set $b (i32.load8_u (local.get $i)))
                ;; Anything else: the decoder's steps, byte by byte.
                (block $bad
                  (if (i32.lt_u (local.get $b) (i32.const 0xe0))
                    (then
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      ;; 80–C1 are never a lead byte; C2–DF take one continuation byte.
                      (br_if $bad (i32.lt_u (local.get $b) (i32.const 0xc2)))
                      (local.set $c1 (i32.load8_u (local.get $i)))
                      (br_if $bad (i32.ne (i32.and (local.get $c1) (i32.const 0xc0)) (i32.const 0x80)))
                      (i32.store16 (local.get $o) (i32.or (i32.shl (i32.and (local.get $b) (i32.const 0x1f)) (i32.const 6))
                                                          (i32.and (local.get $c1) (i32.const 0x3f))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (local.set $o (i32.add (local.get $o) (i32.const 2)))
                      (br $next)))
                  (if (i32.lt_u (local.get $b) (i32.const 0xf0))
                    (then
                      ;; E0 needs A0–BF next, ED 80–9F (no surrogates); each byte that breaks the
                      ;; sequence is read again.
                      (local.set $lower (select (i32.const 0xa0) (i32.const 0x80) (i32.eq (local.get $b) (i32.const 0xe0))))
                      (local.set $upper (select (i32.const 0x9f) (i32.const 0xbf) (i32.eq (local.get $b) (i32.const 0xed))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (local.set $c1 (i32.load8_u (local.get $i)))
                      (br_if $bad (i32.or (i32.lt_u (local.get $c1) (local.get $lower)) (i32.gt_u (local.get $c1) (local.get $upper))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (local.set $c2 (i32.load8_u (local.get $i)))
                      (br_if $bad (i32.ne (i32.and (local.get $c2) (i32.const 0xc0)) (i32.const 0x80)))
                      (i32.store16 (local.get $o) (i32.or (i32.or
                        (i32.shl (i32.and (local.get $b) (i32.const 0x0f)) (i32.const 12))
                        (i32.shl (i32.and (local.get $c1) (i32.const 0x3f)) (i32.const 6)))
                        (i32.and (local.get $c2) (i32.const 0x3f))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (local.set $o (i32.add (local.get $o) (i32.const 2)))
                      (br $next)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  ;; F5–FF are never a lead byte.
                  (br_if $bad (i32.ge_u (local.get $b) (i32.const 0xf5)))
                  ;; F0 needs 90–BF next (from U+10000 on), F4 80–8F (up to U+10FFFF).
                  (local.set $lower (select (i32.const 0x90) (i32.const 0x80) (i32.eq (local.get $b) (i32.const 0xf0))))
                  (local.set $upper (select (i32.const 0x8f) (i32.const 0xbf) (i32.eq (local.get $b) (i32.const 0xf4))))
                  (local.set $c1 (i32.load8_u (local.get $i)))
                  (br_if $bad (i32.or (i32.lt_u (local.get $c1) (local.get $lower)) (i32.gt_u (local.get $c1) (local.get $upper))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (local.set $c2 (i32.load8_u (local.get $i)))
                  (br_if $bad (i32.ne (i32.and (local.get $c2) (i32.const 0xc0)) (i32.const 0x80)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (local.set $c3 (i32.load8_u (local.get $i)))
                  (br_if $bad (i32.ne (i32.and (local.get $c3) (i32.const 0xc0)) (i32.const 0x80)))
                  ;; The code point (from U+10000 on) as a surrogate pair.
                  (local.set $c1 (i32.or (i32.or (i32.or
                    (i32.shl (i32.and (local.get $b) (i32.const 0x07)) (i32.const 18))
                    (i32.shl (i32.and (local.get $c1) (i32.const 0x3f)) (i32.const 12)))
                    (i32.shl (i32.and (local.get $c2) (i32.const 0x3f)) (i32.const 6)))
                    (i32.and (local.get $c3) (i32.const 0x3f))))
                  (i32.store16 (local.get $o) (i32.add (i32.const 0xd7c0) (i32.shr_u (local.get $c1) (i32.const 10))))
                  (i32.store16 offset=2 (local.get $o) (i32.or (i32.const 0xdc00) (i32.and (local.get $c1) (i32.const 0x3ff))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (local.set $o (i32.add (local.get $o) (i32.const 4)))
                  (br $next))
                ;; An error: one U+FFFD; $i is at the byte that ended the bad sequence.
                (i32.store16 (local.get $o) (i32.const 0xfffd))
                (local.set $o (i32.add (local.get $o) (i32.const 2)))
                (global.set $replaced (i32.add (global.get $replaced) (i32.const 1))))
              (local.set $b (i32.load8_u (local.get $i)))
              ;; At an ASCII byte, back to the blocks of sixteen (and the valid text after it).
              (br_if $sequence (i32.ge_u (local.get $b) (i32.const 0x80))))
            (br $run)))
        ;; An id whose value contains U+0000 is ignored (§9.2.6 "process the field"): such a
        ;; line is left to the general path. (A 00 byte is only ever U+0000 in UTF-8.)
        (if (i32.eq (local.get $kind) (i32.const 2))
          (then
            (local.set $c1 (i32.add (local.get $lineAt) (i32.sub (local.get $value) (local.get $start))))
            (block $clean
              (loop $nul
                (br_if $clean (i32.ge_u (local.get $c1) (local.get $i)))
                ;; Sixteen bytes at a time; a 00 byte counts before the line end.
                (local.set $c2 (i8x16.bitmask (i8x16.eq (v128.load (local.get $c1)) (v128.const i64x2 0 0))))
                (if (i32.and (i32.ne (local.get $c2) (i32.const 0))
                             (i32.lt_u (i32.add (local.get $c1) (i32.ctz (local.get $c2))) (local.get $i)))
                  (then (local.set $kind (i32.const 5)) (local.set $value (local.get $start)) (br $clean)))
                (local.set $c1 (i32.add (local.get $c1) (i32.const 16)))
                (br $nul)))))
        ;; A line end at $i ($b is LF or CR): its code units (CR, LF or both), then the record. A
        ;; data line ended by LF alone may be joined by the next (see above).
        (local.set $end16 (i32.shr_u (i32.sub (local.get $o) (local.get $out)) (i32.const 1)))
        (i32.store16 (local.get $o) (local.get $b))
        (i32.store8 (i32.add (local.get $out8) (i32.shr_u (i32.sub (local.get $o) (local.get $out)) (i32.const 1))) (local.get $b))
        (local.set $o (i32.add (local.get $o) (i32.const 2)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $prev (select (local.get $kind) (i32.const -1) (i32.eq (local.get $b) (i32.const 0x0a))))
        (if (i32.eq (local.get $b) (i32.const 0x0d))
          (then
            (if (i32.ge_u (local.get $i) (local.get $end))
              (then (local.set $kind (i32.or (local.get $kind) (i32.const 16))))
              (else
                (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x0a))
                  (then (i32.store16 (local.get $o) (i32.const 0x0a))
                        (i32.store8 (i32.add (local.get $out8) (i32.shr_u (i32.sub (local.get $o) (local.get $out)) (i32.const 1))) (i32.const 0x0a))
                        (local.set $o (i32.add (local.get $o) (i32.const 2)))
                        (local.set $i (i32.add (local.get $i) (i32.const 1))))
                  (else (local.set $kind (i32.or (local.get $kind) (i32.const 8)))))))))
        (if (i32.and (i32.eqz (local.get $kind)) (i32.and (local.get $gOk) (i32.gt_u (local.get $rec) (local.get $gRec))))
          (then
            ;; A blank line after lines that make one simple event: their records become one.
            (i32.store (local.get $gRec) (i32.or (i32.const 6)
              (i32.shl (i32.add (i32.shr_u (i32.sub (local.get $rec) (local.get $gRec)) (i32.const 4)) (i32.const 1)) (i32.const 5))))
            (i32.store offset=4 (local.get $gRec) (i32.load offset=0 (local.get $g)))
            (i32.store offset=8 (local.get $gRec) (i32.load offset=4 (local.get $g)))
            (i32.store offset=12 (local.get $gRec) (i32.load offset=8 (local.get $g)))
            (i32.store offset=16 (local.get $gRec) (i32.load offset=12 (local.get $g)))
            (i32.store offset=20 (local.get $gRec) (i32.load offset=16 (local.get $g)))
            (i32.store offset=24 (local.get $gRec) (i32.load offset=20 (local.get $g)))
            (local.set $rec (i32.add (local.get $gRec) (i32.const 32))))
          (else
            (i32.store (local.get $rec) (local.get $kind))
            (i32.store offset=4 (local.get $rec) (local.get $start))
            (i32.store offset=8 (local.get $rec) (local.get $value))
            (i32.store offset=12 (local.get $rec) (local.get $end16))
            (local.set $rec (i32.add (local.get $rec) (i32.const 16)))))
        ;; What the lines since the last blank line make: one simple event while each is a
        ;; comment, `event:`, `id:` or `data:` (the data lines consecutive), with no CR of note.
        (if (i32.eqz (local.get $kind))
          (then
            (local.set $gRec (local.get $rec))
            (local.set $gOk (i32.const 1))
            (i32.store offset=0 (local.get $g) (i32.const -1))
            (i32.store offset=8 (local.get $g) (i32.const -1))
            (i32.store offset=16 (local.get $g) (i32.const -1)))
          (else
            (if (i32.eq (local.get $kind) (i32.const 1))
              (then
                ;; Data lines count while they are consecutive: their values are one piece then.
                (if (i32.eq (i32.load offset=0 (local.get $g)) (i32.const -1))
                  (then (i32.store offset=0 (local.get $g) (local.get $value)))
                  (else (if (i32.ne (local.get $value) (i32.add (i32.load offset=4 (local.get $g)) (i32.const 1))) (then (local.set $gOk (i32.const 0))))))
                (i32.store offset=4 (local.get $g) (local.get $end16))))
            (if (i32.eq (local.get $kind) (i32.const 3))
              (then (i32.store offset=8 (local.get $g) (local.get $value)) (i32.store offset=12 (local.get $g) (local.get $end16))))
            (if (i32.eq (local.get $kind) (i32.const 2))
              (then (i32.store offset=16 (local.get $g) (local.get $value)) (i32.store offset=20 (local.get $g) (local.get $end16))))
            (if (i32.ge_u (local.get $kind) (i32.const 5)) (then (local.set $gOk (i32.const 0))))))
        (br $line)))
    (i32.store offset=0 (i32.sub (local.get $rec0) (i32.const 16)) (local.get $i))
    (i32.store offset=4 (i32.sub (local.get $rec0) (i32.const 16)) (i32.shr_u (i32.sub (local.get $o) (local.get $out)) (i32.const 1)))
    (i32.store offset=8 (i32.sub (local.get $rec0) (i32.const 16)) (global.get $replaced))
    (i32.store offset=12 (i32.sub (local.get $rec0) (i32.const 16)) (select (i32.const 2) (local.get $copy) (local.get $w)))
    (i32.shr_u (i32.sub (local.get $rec) (local.get $rec0)) (i32.const 4)))
)
