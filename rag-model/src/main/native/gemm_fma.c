/*
 * Prompt (prefill) products in fp32 on AVX-512 FMA: Y[T, N] = X[T, K] · W[N, K]ᵀ + bias, X fp32 and W fp16, fp32 or
 * int8 with group scales, as kernels.h declares (gw_gemm_fma). For processors without AMX.
 *
 * Why not libtorch's: its fp32 products need an fp32 copy of each fp16 or int8 weight, written per product, and on
 * AMD processors torch's linear runs MKL's generic AVX2 path (130-150 GFLOP/s on the development machine's EPYC,
 * CpuGemm). The rounding is fp32's alone: fp16 and fp32 weights are exact in fp32 (an int8 weight times its scale is
 * rounded once, as the engine's dequantized copy is), and each output is one fp32 sum.
 *
 * Method (the register-blocked product of BLIS and its peers). A block of Y of MR rows × 32 outputs lives in 2·MR
 * zmm registers. X is packed once per product into blocks of MR rows laid out [columns][MR], so that the kernel reads
 * one stream with constant offsets (reading MR rows in place needs MR pointers, more than the integer registers
 * hold, and GCC spills them into the innermost loop). W is packed per block of 32 output rows and a slice of columns into a panel
 * [columns][32] of fp32, converted from its dtype while packing and transposed 16×16 in registers, so one column's 32
 * weights are two aligned loads; each row contributes one broadcast of x[t, j] per column and two FMAs. Each thread
 * owns whole blocks of W's rows, packs one panel (L1/L2) and passes every block of X's rows over it. A wide input
 * (the MLP's down projection) goes in slices of about 1 MiB of packed X, which then stays in L2 while the blocks of
 * W pass over it; later slices start from the sums Y holds. On two Intel Xeon cores this runs at 268-309 GFLOP/s,
 * libtorch's MKL sgemm at 231-316 on fp32 weights it need not convert (PromptProductBench, docs/benchmarks.md).
 */
#define _GNU_SOURCE
#include "kernels.h"
#include "pool.h"
#include "weights.h"

#include <string.h>

#ifdef GW_HAVE_AVX512_PACK

/* Outputs per block (two zmm of fp32) and rows of X per block: 2·MR accumulators, 2 weights, 1 broadcast. */
#define NR 32
#define MR 14
/* Columns per slice, but one slice for an input up to 1.5 times as wide: a panel of W takes 64 to 768 KiB */
#define MIN_SLICE 512
#define MAX_SLICE 4096

typedef struct {
    weight_view w;
    const float *x;
    int t, tp;          /* rows, and rows rounded up to MR */
    const float *bias;
    float *y;
    int slice;          /* columns per slice, a multiple of NR */
    float *xp;          /* X packed: slice at k0, rows [t0, t0 + MR) at xp + k0·tp + t0·kc, as [kc][MR] */
    char *part_scratch; /* per part: one packed panel [slice][NR] */
    size_t part_bytes;
} fma_args;

/* Columns [k0, k0 + kc) of W's rows [n0, n0 + 32) as panel[j][i] = W[n0 + i, k0 + j] (zero past n and k). */
PACK_AVX512 static void pack_panel(const weight_view *v, int n0, int k0, int kc, float *panel) {
    for (int c = 0; c < kc; c += 32) {
        for (int half = 0; half < 2; half++) {
            __m512i lo[16], hi[16];
            for (int j = 0; j < 16; j++) {
                weight_prefetch(v, n0 + 16 * half + j, k0 + c + PACK_AHEAD);
                __m512 f0, f1;
                weight_load32(v, n0 + 16 * half + j, k0 + c, &f0, &f1);
                lo[j] = _mm512_castps_si512(f0);
                hi[j] = _mm512_castps_si512(f1);
            }
            transpose16(lo);
            transpose16(hi);
            int columns = kc - c < 32 ? kc - c : 32;
            for (int i = 0; i < columns; i++) {
                __m512i col = i < 16 ? lo[i] : hi[i - 16];
                _mm512_store_si512((__m512i *)(panel + (size_t)(c + i) * NR + 16 * half), col);
            }
        }
    }
}

/* Rows [t0, t0 + MR) of X, columns [k0, k0 + kc), as [kc][MR] at out (rows past T are zero). */
PACK_AVX512 static void pack_rows(const fma_args *a, int t0, int k0, int kc, float *out) {
    int rows = a->t - t0 < MR ? a->t - t0 : MR;
    for (int c = 0; c < kc; c += 16) {
        int left = kc - c;
        __mmask16 m = left >= 16 ? 0xffff : (__mmask16)((1u << left) - 1);
        __m512i r[16];
        for (int i = 0; i < 16; i++) {
            r[i] = i < rows ? _mm512_castps_si512(_mm512_maskz_loadu_ps(m, a->x + (size_t)(t0 + i) * a->w.k + k0 + c))
                            : _mm512_setzero_si512();
        }
        transpose16(r);
        int columns = left < 16 ? left : 16;
        for (int i = 0; i < columns; i++) {
            _mm512_mask_storeu_epi32(out + (size_t)(c + i) * MR, (__mmask16)((1u << MR) - 1), r[i]);
        }
    }
}

PACK_AVX512 static void pack_x_part(const void *raw, int part, int parts) {
    const fma_args *a = raw;
    int b0, b1;
    gw_split(a->tp / MR, part, parts, 1, &b0, &b1);
    for (int k0 = 0; k0 < a->w.k; k0 += a->slice) {
        int kc = a->w.k - k0 < a->slice ? a->w.k - k0 : a->slice;
        for (int b = b0; b < b1; b++) {
            pack_rows(a, b * MR, k0, kc, a->xp + (size_t)k0 * a->tp + (size_t)b * MR * kc);
        }
    }
}

/*
 * Y[t0 + r, n0 + i] (+)= sum over the panel's kc columns of x[t0 + r, k0 + j] · panel[j][i], for r < rows and
 * n0 + i < n: from the bias (or zero) when `first`, else from what Y holds.
 */
PACK_AVX512 static void multiply_block(const fma_args *a, const float *panel, int k0, int kc, int t0, int n0,
                                       int first) {
    int rows = a->t - t0 < MR ? a->t - t0 : MR;
    int left = a->w.n - n0;
    __mmask16 m0 = left >= 16 ? 0xffff : (__mmask16)((1u << (left > 0 ? left : 0)) - 1);
    __mmask16 m1 = left >= 32 ? 0xffff : (__mmask16)((1u << (left > 16 ? left - 16 : 0)) - 1);
    const float *xp = a->xp + (size_t)k0 * a->tp + (size_t)t0 * kc;
    __m512 acc[MR][2];
    __m512 b0 = _mm512_setzero_ps(), b1 = _mm512_setzero_ps();
    if (first && a->bias != NULL) {
        b0 = _mm512_maskz_loadu_ps(m0, a->bias + n0);
        b1 = _mm512_maskz_loadu_ps(m1, a->bias + n0 + 16);
    }
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
        /* rows past T are zero in the packed X: computed, never stored */
        if (first || r >= rows) {
            acc[r][0] = b0;
            acc[r][1] = b1;
        } else {
            const float *y = a->y + (size_t)(t0 + r) * a->w.n + n0;
            acc[r][0] = _mm512_maskz_loadu_ps(m0, y);
            acc[r][1] = _mm512_maskz_loadu_ps(m1, y + 16);
        }
    }
    for (int j = 0; j < kc; j++) {
        __m512 w0 = _mm512_load_ps(panel + (size_t)j * NR);
        __m512 w1 = _mm512_load_ps(panel + (size_t)j * NR + 16);
#pragma GCC unroll 16
        for (int r = 0; r < MR; r++) {
            __m512 x = _mm512_set1_ps(xp[(size_t)j * MR + r]);
            acc[r][0] = _mm512_fmadd_ps(x, w0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(x, w1, acc[r][1]);
        }
    }
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
        if (r < rows) {
            float *y = a->y + (size_t)(t0 + r) * a->w.n + n0;
            _mm512_mask_storeu_ps(y, m0, acc[r][0]);
            _mm512_mask_storeu_ps(y + 16, m1, acc[r][1]);
        }
    }
}

PACK_AVX512 static void fma_part(const void *raw, int part, int parts) {
    const fma_args *a = raw;
    int b0, b1;
    gw_split((a->w.n + NR - 1) / NR, part, parts, 1, &b0, &b1);
    float *panel = (float *)(a->part_scratch + (size_t)part * a->part_bytes);
    for (int k0 = 0; k0 < a->w.k; k0 += a->slice) {
        int kc = a->w.k - k0 < a->slice ? a->w.k - k0 : a->slice;
        for (int b = b0; b < b1; b++) {
            pack_panel(&a->w, b * NR, k0, kc, panel);
            for (int t0 = 0; t0 < a->t; t0 += MR) {
                multiply_block(a, panel, k0, kc, t0, b * NR, k0 == 0);
            }
        }
    }
}

int gw_gemm_fma(gw_pool *pool, int dtype, const void *w, const float *scales, int group, int n, int k,
                const float *x, int t, const float *bias, float *y) {
    if (pool->isa < ISA_AVX512) {
        return GW_GEMM_UNAVAILABLE;
    }
    if (dtype == GW_Q8 && (group <= 0 || group % 16 != 0 || k % group != 0)) {
        return GW_GEMM_UNAVAILABLE;
    }
    if (t <= 0 || n <= 0 || k <= 0) {
        return GW_GEMM_OK;
    }
    fma_args a;
    memset(&a, 0, sizeof a);
    a.w = (weight_view){dtype, w, scales, group, n, k};
    a.x = x;
    a.t = t;
    a.bias = bias;
    a.y = y;
    a.tp = (t + MR - 1) / MR * MR;
    /* about 1 MiB of packed X per slice, where a wide input (the MLP's down projection) needs slices at all */
    size_t columns = ((size_t)1 << 20) / ((size_t)a.tp * sizeof(float)) / NR * NR;
    columns = columns < MIN_SLICE ? MIN_SLICE : columns > MAX_SLICE ? MAX_SLICE : columns;
    a.slice = (size_t)k <= columns + columns / 2 ? k : (int)columns;
    a.part_bytes = (size_t)a.slice * NR * sizeof(float);
    size_t xbytes = ((size_t)a.tp * k * sizeof(float) + 63) / 64 * 64;
    char *scratch = gw_pool_scratch(pool, xbytes + a.part_bytes * (size_t)gw_pool_threads(pool));
    if (scratch == NULL) {
        return GW_GEMM_NO_MEMORY;
    }
    a.xp = (float *)scratch;
    a.part_scratch = scratch + xbytes;
    gw_pool_run(pool, pack_x_part, &a);
    gw_pool_run(pool, fma_part, &a);
    return GW_GEMM_OK;
}

#else

int gw_gemm_fma(gw_pool *pool, int dtype, const void *w, const float *scales, int group, int n, int k,
                const float *x, int t, const float *bias, float *y) {
    (void)pool, (void)dtype, (void)w, (void)scales, (void)group, (void)n, (void)k, (void)x, (void)t, (void)bias,
        (void)y;
    return GW_GEMM_UNAVAILABLE;
}

#endif
