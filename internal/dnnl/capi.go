//go:build cgo && linux && amd64 && dnnl

package dnnl

/*
#cgo LDFLAGS: -ldnnl -lgomp
#include <stdlib.h>
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>

extern void omp_set_num_threads(int);
extern int omp_get_max_threads(void);

static dnnl_status_t wd_mem_alloc(dnnl_memory_t *m, const dnnl_memory_desc_t *md, dnnl_engine_t e) {
	return dnnl_memory_create(m, md, e, DNNL_MEMORY_ALLOCATE);
}

static const char *wd_impl(const_dnnl_primitive_desc_t pd) {
	const char *s = NULL;
	if (dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &s) != dnnl_success) return "?";
	return s;
}
*/
import "C"

import (
	"fmt"
	"sort"
	"strings"
	"unsafe"
)

// Available reports whether this build contains the oneDNN executor.
func Available() bool { return true }

// md is a oneDNN memory descriptor (a plain C struct, copied by value).
type md = C.dnnl_memory_desc_t

// pdesc is a primitive descriptor.
type pdesc = C.dnnl_primitive_desc_t

// Format tags used here.
const (
	tagAny     C.dnnl_format_tag_t = C.dnnl_format_tag_any
	tagNHWC    C.dnnl_format_tag_t = C.dnnl_nhwc
	tagNCHW    C.dnnl_format_tag_t = C.dnnl_nchw
	tagNChw8c  C.dnnl_format_tag_t = C.dnnl_nChw8c
	tagNChw16c C.dnnl_format_tag_t = C.dnnl_nChw16c
	tagHWIO    C.dnnl_format_tag_t = C.dnnl_hwio
	tagA       C.dnnl_format_tag_t = C.dnnl_a
	tagAB      C.dnnl_format_tag_t = C.dnnl_ab
)

// ctx holds the CPU engine and stream every primitive of a net uses, and
// the OpenMP team size of the thread that calls them.
type ctx struct {
	eng     C.dnnl_engine_t
	stream  C.dnnl_stream_t
	threads int
}

// check turns a oneDNN status into an error naming what failed.
func check(st C.dnnl_status_t, what string) error {
	if st == C.dnnl_success {
		return nil
	}
	return fmt.Errorf("onednn: %s: %s", what, C.GoString(C.dnnl_status2str(st)))
}

// newCtx creates the CPU engine and an in-order stream.
func newCtx() (*ctx, error) {
	c := &ctx{threads: int(C.omp_get_max_threads())}
	if err := check(C.dnnl_engine_create(&c.eng, C.dnnl_cpu, 0), "engine"); err != nil {
		return nil, err
	}
	if err := check(C.dnnl_stream_create(&c.stream, c.eng, C.dnnl_stream_default_flags), "stream"); err != nil {
		C.dnnl_engine_destroy(c.eng)
		return nil, err
	}
	return c, nil
}

func (c *ctx) close() {
	C.dnnl_stream_destroy(c.stream)
	C.dnnl_engine_destroy(c.eng)
}

// setThreads sets the OpenMP team size of the calling OS thread.
func setThreads(n int) { C.omp_set_num_threads(C.int(n)) }

// dims converts Go ints to a oneDNN dims array.
func dims(v ...int) (d C.dnnl_dims_t) {
	for i, x := range v {
		d[i] = C.dnnl_dim_t(x)
	}
	return d
}

// newMD describes an f32 tensor of the given dims in a format tag
// (C.dnnl_format_tag_any lets a primitive choose).
func newMD(tag C.dnnl_format_tag_t, v ...int) md {
	var m md
	d := dims(v...)
	C.dnnl_memory_desc_init_by_tag(&m, C.int(len(v)), &d[0], C.dnnl_f32, tag)
	return m
}

// serialBytes is the size below which reorders run on one thread (a
// 3x3x128x128 weight tensor is 590 KB).
const serialBytes = 1 << 20

// sameMD reports whether two descriptors describe the same layout.
func sameMD(a, b *md) bool { return C.dnnl_memory_desc_equal(a, b) != 0 }

// mdSize is the byte size of memory described by m.
func mdSize(m *md) int { return int(C.dnnl_memory_desc_get_size(m)) }

// outLayout names the layout a primitive writes (its destination, else
// its source or weights gradient), e.g. "aBcd16b" for nChw16c.
func outLayout(pd pdesc) string {
	for _, q := range []C.dnnl_query_t{C.dnnl_query_dst_md, C.dnnl_query_diff_src_md, C.dnnl_query_diff_weights_md} {
		if m := C.dnnl_primitive_desc_query_md(C.const_dnnl_primitive_desc_t(pd), q, 0); m != nil && m.ndims > 0 {
			return mdTag(m)
		}
	}
	return "?"
}

// mdTag names m's blocked layout: dimensions a, b, ... outermost first,
// blocked ones in capitals, then the inner blocks ("aBcd16b").
func mdTag(m *md) string {
	if m.format_kind != C.dnnl_blocked {
		return "?"
	}
	nd := int(m.ndims)
	blk := (*C.dnnl_blocking_desc_t)(unsafe.Pointer(&m.format_desc))
	var b strings.Builder
	order := make([]int, nd)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return blk.strides[order[i]] > blk.strides[order[j]] })
	blocked := map[int]bool{}
	for i := 0; i < int(blk.inner_nblks); i++ {
		blocked[int(blk.inner_idxs[i])] = true
	}
	for _, d := range order {
		if blocked[d] {
			b.WriteByte(byte('A' + d))
		} else {
			b.WriteByte(byte('a' + d))
		}
	}
	for i := 0; i < int(blk.inner_nblks); i++ {
		fmt.Fprintf(&b, "%d%c", int(blk.inner_blks[i]), 'a'+int(blk.inner_idxs[i]))
	}
	return b.String()
}

// queryMD returns a primitive descriptor's memory descriptor (what, index).
func queryMD(pd C.const_dnnl_primitive_desc_t, what C.dnnl_query_t, i int) md {
	return *C.dnnl_primitive_desc_query_md(pd, what, C.int(i))
}

// memory is a oneDNN memory object with a library-allocated buffer.
type memory struct {
	m    C.dnnl_memory_t
	desc md
	n    int // float32 elements the buffer holds
}

// alloc creates memory for m (zero-sized descriptors give a nil object).
func (c *ctx) alloc(m md) (*memory, error) {
	out := &memory{desc: m, n: mdSize(&m) / 4}
	if err := check(C.wd_mem_alloc(&out.m, &m, c.eng), "memory"); err != nil {
		return nil, err
	}
	return out, nil
}

// floats views the memory's buffer as a Go slice (C memory: never moved).
func (m *memory) floats() []float32 {
	var p unsafe.Pointer
	C.dnnl_memory_get_data_handle(m.m, &p)
	return unsafe.Slice((*float32)(p), m.n)
}

func (m *memory) free() { C.dnnl_memory_destroy(m.m) }

// prim is a created primitive and its implementation name.
type prim struct {
	p    C.dnnl_primitive_t
	impl string
	// serial primitives run on one thread: they are too small to gain
	// from a team, and every parallel region costs a barrier, which on a
	// machine loaded by other processes waits for a descheduled thread.
	serial bool
}

// create makes the primitive of pd, refusing oneDNN's reference kernels.
// The caller still owns pd.
func (c *ctx) create(pd C.dnnl_primitive_desc_t, what string) (*prim, error) {
	impl := implName(pd)
	if strings.HasPrefix(impl, "ref") {
		return nil, fmt.Errorf("onednn: %s: only the reference kernel %q fits (refused: 100-1000x slower)", what, impl)
	}
	p := &prim{impl: impl}
	if err := check(C.dnnl_primitive_create(&p.p, C.const_dnnl_primitive_desc_t(pd)), what); err != nil {
		return nil, err
	}
	return p, nil
}

// directJIT reports whether a convolution descriptor runs a direct JIT
// kernel: the alternatives (im2col + GEMM, reference loops) are several
// times slower on these shapes.
func directJIT(pd C.dnnl_primitive_desc_t) bool { return strings.HasPrefix(implName(pd), "jit") }

// implName is the name of the kernel pd would run, e.g. "jit:avx512_core".
func implName(pd C.dnnl_primitive_desc_t) string {
	return C.GoString(C.wd_impl(C.const_dnnl_primitive_desc_t(pd)))
}

// newPD creates a primitive descriptor for an op descriptor (a Go pointer
// to a C descriptor struct), with optional attributes and forward hint.
func (c *ctx) newPD(op unsafe.Pointer, attr C.dnnl_primitive_attr_t, hint C.dnnl_primitive_desc_t, what string) (C.dnnl_primitive_desc_t, error) {
	var pd C.dnnl_primitive_desc_t
	err := check(C.dnnl_primitive_desc_create(&pd, C.const_dnnl_op_desc_t(op), C.const_dnnl_primitive_attr_t(attr), c.eng, C.const_dnnl_primitive_desc_t(hint)), what)
	return pd, err
}

func freePD(pd C.dnnl_primitive_desc_t) { C.dnnl_primitive_desc_destroy(pd) }

func (p *prim) free() { C.dnnl_primitive_destroy(p.p) }

// arg pairs an execution argument kind with its memory.
type arg struct {
	kind int
	mem  *memory
}

// call is one primitive execution with its arguments, built once.
type call struct {
	p    *prim
	args []C.dnnl_exec_arg_t
}

// newCall binds p to its arguments (nil memories are skipped).
func newCall(p *prim, args ...arg) call {
	c := call{p: p}
	for _, a := range args {
		if a.mem != nil {
			c.args = append(c.args, C.dnnl_exec_arg_t{arg: C.int(a.kind), memory: a.mem.m})
		}
	}
	return c
}

// run executes the call on the stream.
func (c *ctx) run(k call) error {
	if k.p.serial && c.threads > 1 {
		setThreads(1)
		defer setThreads(c.threads)
	}
	return check(C.dnnl_primitive_execute(k.p.p, c.stream, C.int(len(k.args)), &k.args[0]), k.p.impl)
}

// wait blocks until the stream's work is done.
func (c *ctx) wait() error { return check(C.dnnl_stream_wait(c.stream), "stream wait") }

// reorder creates a reorder primitive from src to dst layout.
func (c *ctx) reorder(src, dst md) (*prim, error) {
	var pd C.dnnl_primitive_desc_t
	if err := check(C.dnnl_reorder_primitive_desc_create(&pd, &src, c.eng, &dst, c.eng, nil), "reorder"); err != nil {
		return nil, err
	}
	defer C.dnnl_primitive_desc_destroy(pd)
	p, err := c.create(pd, "reorder")
	if err == nil {
		p.serial = mdSize(&src) < serialBytes
	}
	return p, err
}

// add creates dst = src0 + src1 for tensors of layout m (in place when
// dst is src0).
func (c *ctx) add(m md) (*prim, error) {
	var bd C.dnnl_binary_desc_t
	if err := check(C.dnnl_binary_desc_init(&bd, C.dnnl_binary_add, &m, &m, &m), "add"); err != nil {
		return nil, err
	}
	pd, err := c.newPD(unsafe.Pointer(&bd), nil, nil, "add")
	if err != nil {
		return nil, err
	}
	defer freePD(pd)
	return c.create(pd, "add")
}

// Execution argument kinds.
const (
	argSrc       = C.DNNL_ARG_SRC
	argSrc1      = C.DNNL_ARG_SRC_1
	argDst       = C.DNNL_ARG_DST
	argW         = C.DNNL_ARG_WEIGHTS
	argBias      = C.DNNL_ARG_BIAS
	argDiffSrc   = C.DNNL_ARG_DIFF_SRC
	argDiffDst   = C.DNNL_ARG_DIFF_DST
	argDiffW     = C.DNNL_ARG_DIFF_WEIGHTS
	argDiffBias  = C.DNNL_ARG_DIFF_BIAS
	argMean      = C.DNNL_ARG_MEAN
	argVar       = C.DNNL_ARG_VARIANCE
	argSS        = C.DNNL_ARG_SCALE_SHIFT
	argDiffSS    = C.DNNL_ARG_DIFF_SCALE_SHIFT
	argWorkspace = C.DNNL_ARG_WORKSPACE
	argFrom      = C.DNNL_ARG_FROM
	argTo        = C.DNNL_ARG_TO
)
