/*
 * Prompt (prefill) products on Intel AMX: Y[T, N] = X[T, K] · W[N, K]ᵀ + bias, with X fp32 and W fp16, fp32 or int8
 * with group scales, as kernels.h declares.
 *
 * Why: a prefill is matrix-matrix products, compute-bound. libtorch's fp32 GEMM reaches about 290 GFLOP/s on two
 * Sapphire/Granite Rapids cores, while the AMX tile unit multiplies bf16 at several TFLOP/s; DJL cannot hold bf16
 * arrays at all (the JVM aborts), so libtorch's own bf16 path is out of reach (docs/benchmarks.md).
 *
 * Method. Operands are rounded to bf16 (8 significant bits), products accumulate in fp32. With passes = 3 each
 * operand is also split into a high and a low bf16 part, v = hi + lo, and Y = Xhi·Whi + Xhi·Wlo + Xlo·Whi: the
 * dropped Xlo·Wlo term and the rounding of lo leave about 16 significant bits, and fp16 weights (11 bits) split
 * exactly, so the result is as accurate as fp16 weights allow. A weight block whose lo part is all zero (a bf16
 * checkpoint held in fp16) skips Xhi·Wlo.
 *
 * Layout. X is converted once per product into bf16 rows [Tp, Kp] (T and K rounded up to 32, zero-padded); a
 * tile of 16 rows × 32 columns of it is an A operand as it lies. W is packed per block of 32 output rows and 32
 * columns into two B tiles in AMX's pair-interleaved ("VNNI") layout: tile row i holds, for each of 16 outputs n, the
 * columns 2i and 2i + 1 as one 32-bit pair, which is a 16×16 transpose of 32-bit pairs. Each thread takes whole
 * 32-row blocks of W, packs one block (L2-resident) and multiplies it with every 32-row block of X, keeping a 32×32
 * block of Y in the four accumulator tiles. Columns go in slices of about 1 MiB of converted X, so that X is read
 * from L2 rather than L3 for each block of W (a wide input, such as the MLP's down projection, is several slices;
 * later slices start from the sums Y holds).
 */
#define _GNU_SOURCE
#include "kernels.h"
#include "amx.h"
#include "pool.h"
#include "weights.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#ifdef GW_HAVE_AMX

#define ARCH_REQ_XCOMP_PERM 0x1023
#define XFEATURE_XTILEDATA 18

static int detect_amx(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        return 0;
    }
    int amx = (d >> 24 & 1) && (d >> 22 & 1);             /* AMX-TILE, AMX-BF16 */
    int avx512 = (b >> 16 & 1) && (b >> 30 & 1) && (b >> 31 & 1); /* F, BW, VL */
    if (!amx || !avx512 || !__get_cpuid_count(7, 1, &a, &b, &c, &d) || !(a >> 5 & 1)) { /* AVX512-BF16 */
        return 0;
    }
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c >> 27 & 1)) { /* OSXSAVE */
        return 0;
    }
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0x600e6) != 0x600e6) { /* SSE, AVX, AVX-512 and both tile states enabled by the OS */
        return 0;
    }
    /* Linux hands out the 8 KiB tile state only to processes that ask (once, for all their threads) */
    return syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) == 0;
}

int gw_amx_available(void) {
    static _Atomic int cached = -1; /* a property of the processor and kernel: asking twice is harmless */
    int v = atomic_load(&cached);
    if (v < 0) {
        v = detect_amx();
        atomic_store(&cached, v);
    }
    return v;
}

/* as amx.h says */
AMX_BF16 int amx_pack_w(const gemm_args *a, int n0, int c0, int c1, uint16_t *hi, uint16_t *lo) {
    const weight_view v = {a->dtype, a->w, a->scales, a->group, a->n, a->k};
    __m512i any = _mm512_setzero_si512();
    for (int kc = 0; kc < c1 - c0; kc++) {
        for (int half = 0; half < 2; half++) {
            __m512i rh[16], rl[16];
            for (int j = 0; j < 16; j++) {
                __m512 f0, f1;
                weight_prefetch(&v, n0 + 16 * half + j, (c0 + kc) * BLOCK + PACK_AHEAD);
                weight_load32(&v, n0 + 16 * half + j, (c0 + kc) * BLOCK, &f0, &f1);
                rh[j] = amx_split_bf16(f0, f1, lo != NULL ? &rl[j] : NULL);
                if (lo != NULL) {
                    any = _mm512_or_si512(any, rl[j]);
                }
            }
            transpose16(rh);
            uint16_t *th = hi + (size_t)(kc * 2 + half) * TILE_ELEMS;
            for (int i = 0; i < 16; i++) {
                _mm512_store_si512((__m512i *)(th + i * 32), rh[i]);
            }
            if (lo != NULL) {
                transpose16(rl);
                uint16_t *tl = lo + (size_t)(kc * 2 + half) * TILE_ELEMS;
                for (int i = 0; i < 16; i++) {
                    _mm512_store_si512((__m512i *)(tl + i * 32), rl[i]);
                }
            }
        }
    }
    /* -0.0 residues (sign bit only) count as zero */
    return _mm512_test_epi16_mask(any, _mm512_set1_epi16(0x7fff)) != 0;
}

/* X rows [t0, t1) into bf16 hi (and lo), zero-padded to kp columns; rows from t up to tp are zero. */
AMX_BF16 static void convert_x_part(const void *raw, int part, int parts) {
    const gemm_args *a = raw;
    int t0, t1;
    gw_split(a->tp, part, parts, 1, &t0, &t1);
    for (int r = t0; r < t1; r++) {
        uint16_t *h = a->xh + (size_t)r * a->xs;
        uint16_t *l = a->xl != NULL ? a->xl + (size_t)r * a->xs : NULL;
        for (int c = 0; c < a->kp; c += BLOCK) {
            __m512 f0 = _mm512_setzero_ps(), f1 = _mm512_setzero_ps();
            if (r < a->t) {
                int left = a->k - c;
                __mmask16 m0 = left >= 16 ? 0xffff : (__mmask16)((1u << (left > 0 ? left : 0)) - 1);
                __mmask16 m1 = left >= 32 ? 0xffff : (__mmask16)((1u << (left > 16 ? left - 16 : 0)) - 1);
                const float *x = a->x + (size_t)r * a->k + c;
                f0 = _mm512_maskz_loadu_ps(m0, x);
                f1 = _mm512_maskz_loadu_ps(m1, x + 16);
            }
            __m512i lo;
            _mm512_storeu_si512((__m512i *)(h + c), amx_split_bf16(f0, f1, l != NULL ? &lo : NULL));
            if (l != NULL) {
                _mm512_storeu_si512((__m512i *)(l + c), lo);
            }
        }
    }
}

/* The 32×32 block of Y at (t0, n0) from the accumulators; rows past t and columns past n are dropped. */
AMX_BF16 static void store_block(const gemm_args *a, int t0, int n0) {
    if (t0 + BLOCK <= a->t && n0 + BLOCK <= a->n) {
        amx_store_accumulators(a->y + (size_t)t0 * a->n + n0, (size_t)a->n);
        return;
    }
    float block[BLOCK * BLOCK] __attribute__((aligned(64)));
    amx_store_accumulators(block, BLOCK);
    int rows = a->t - t0 < BLOCK ? a->t - t0 : BLOCK;
    int cols = a->n - n0 < BLOCK ? a->n - n0 : BLOCK;
    for (int r = 0; r < rows; r++) {
        memcpy(a->y + (size_t)(t0 + r) * a->n + n0, block + r * BLOCK, (size_t)cols * sizeof(float));
    }
}

/* The accumulators from the 32×32 block of Y at (t0, n0), as store_block left it; rows and columns past Y are 0. */
AMX_BF16 static void load_block(const gemm_args *a, int t0, int n0) {
    if (t0 + BLOCK <= a->t && n0 + BLOCK <= a->n) {
        const float *y = a->y + (size_t)t0 * a->n + n0;
        size_t stride = (size_t)a->n * sizeof(float);
        _tile_loadd(0, y, stride);
        _tile_loadd(1, y + 16, stride);
        _tile_loadd(2, y + (size_t)16 * a->n, stride);
        _tile_loadd(3, y + (size_t)16 * a->n + 16, stride);
        return;
    }
    float block[BLOCK * BLOCK] __attribute__((aligned(64)));
    memset(block, 0, sizeof block);
    int rows = a->t - t0 < BLOCK ? a->t - t0 : BLOCK;
    int cols = a->n - n0 < BLOCK ? a->n - n0 : BLOCK;
    for (int r = 0; r < rows; r++) {
        memcpy(block + r * BLOCK, a->y + (size_t)(t0 + r) * a->n + n0, (size_t)cols * sizeof(float));
    }
    _tile_loadd(0, block, BLOCK * sizeof(float));
    _tile_loadd(1, block + 16, BLOCK * sizeof(float));
    _tile_loadd(2, block + 16 * BLOCK, BLOCK * sizeof(float));
    _tile_loadd(3, block + 16 * BLOCK + 16, BLOCK * sizeof(float));
}

AMX_BF16 static void gemm_part(const void *raw, int part, int parts) {
    const gemm_args *a = raw;
    int b0, b1;
    gw_split((a->n + BLOCK - 1) / BLOCK, part, parts, 1, &b0, &b1);
    if (b0 >= b1) {
        return;
    }
    size_t packed = (size_t)a->slice * 2 * TILE_ELEMS; /* bf16 elements of one packed block of 32 rows */
    uint16_t *wh = (uint16_t *)(a->part_scratch + (size_t)part * a->part_bytes);
    uint16_t *wl = a->passes == 3 ? wh + packed : NULL;
    /* the bias as accumulators' starting value: every row of a 16×16 tile is bias[n0 + 16·half, +16) */
    float bias_tiles[2][16 * 16] __attribute__((aligned(64)));
    size_t xstride = (size_t)a->xs * sizeof(uint16_t);
    int chunks = a->kp / BLOCK;
    amx_configure_tiles();
    /* columns in slices whose converted X stays in L2 while every block of W's rows passes over it */
    for (int c0 = 0; c0 < chunks; c0 += a->slice) {
        int c1 = c0 + a->slice < chunks ? c0 + a->slice : chunks;
        for (int b = b0; b < b1; b++) {
            int n0 = b * BLOCK;
            int lo_weights = amx_pack_w(a, n0, c0, c1, wh, wl);
            if (c0 == 0 && a->bias != NULL) {
                for (int half = 0; half < 2; half++) {
                    int from = n0 + 16 * half;
                    int left = a->n - from;
                    __mmask16 m = left >= 16 ? 0xffff : (__mmask16)((1u << (left > 0 ? left : 0)) - 1);
                    __m512 row = _mm512_maskz_loadu_ps(m, a->bias + (from < a->n ? from : 0));
                    for (int i = 0; i < 16; i++) {
                        _mm512_store_ps(bias_tiles[half] + i * 16, row);
                    }
                }
            }
            for (int t0 = 0; t0 < a->tp; t0 += BLOCK) {
                if (c0 > 0) {
                    load_block(a, t0, n0); /* the earlier slices' sums */
                } else if (a->bias != NULL) {
                    _tile_loadd(0, bias_tiles[0], 64);
                    _tile_loadd(1, bias_tiles[1], 64);
                    _tile_loadd(2, bias_tiles[0], 64);
                    _tile_loadd(3, bias_tiles[1], 64);
                } else {
                    amx_zero_accumulators();
                }
                const uint16_t *xh = a->xh + (size_t)t0 * a->xs;
                const uint16_t *xl = a->xl != NULL ? a->xl + (size_t)t0 * a->xs : NULL;
                for (int kc = c0; kc < c1; kc++) {
                    const uint16_t *w0 = wh + (size_t)(kc - c0) * 2 * TILE_ELEMS;
                    _tile_loadd(4, xh + kc * BLOCK, xstride);
                    _tile_loadd(5, xh + (size_t)16 * a->xs + kc * BLOCK, xstride);
                    _tile_loadd(6, w0, 64);
                    _tile_loadd(7, w0 + TILE_ELEMS, 64);
                    amx_multiply_tiles();
                    if (xl == NULL) {
                        continue;
                    }
                    if (lo_weights) { /* Xhi · Wlo */
                        const uint16_t *l0 = wl + (size_t)(kc - c0) * 2 * TILE_ELEMS;
                        _tile_loadd(6, l0, 64);
                        _tile_loadd(7, l0 + TILE_ELEMS, 64);
                        amx_multiply_tiles();
                        _tile_loadd(6, w0, 64);
                        _tile_loadd(7, w0 + TILE_ELEMS, 64);
                    }
                    /* Xlo · Whi */
                    _tile_loadd(4, xl + kc * BLOCK, xstride);
                    _tile_loadd(5, xl + (size_t)16 * a->xs + kc * BLOCK, xstride);
                    amx_multiply_tiles();
                }
                store_block(a, t0, n0);
            }
        }
    }
    _tile_release(); /* back to the init state: context switches stop saving 8 KiB of tiles */
}

int gw_gemm_amx(gw_pool *pool, int dtype, const void *w, const float *scales, int group, int n, int k,
                const float *x, int t, const float *bias, float *y, int passes) {
    if (!gw_amx_available() || pool->isa < ISA_AVX512) {
        return GW_GEMM_UNAVAILABLE;
    }
    if (dtype == GW_Q8 && (group <= 0 || group % 16 != 0 || k % group != 0)) {
        return GW_GEMM_UNAVAILABLE;
    }
    gemm_args a;
    memset(&a, 0, sizeof a);
    a.dtype = dtype;
    a.w = w;
    a.scales = scales;
    a.group = group;
    a.n = n;
    a.k = k;
    a.kp = (k + BLOCK - 1) / BLOCK * BLOCK;
    a.x = x;
    a.t = t;
    a.tp = (t + BLOCK - 1) / BLOCK * BLOCK;
    a.bias = bias;
    a.y = y;
    a.passes = passes == 3 ? 3 : 1;
    /* a row stride that is a multiple of 4 KiB makes tile loads of 16 rows collide in the same cache sets */
    a.xs = a.kp + BLOCK;
    size_t xbytes = (size_t)a.tp * a.xs * sizeof(uint16_t);
    /* 1 MiB of converted X per slice (with the packed W block and Y's tiles, within a 2 MiB L2); measured on
     * [896, 4864] at 256 rows: see docs/benchmarks.md */
    size_t slice_bytes = (size_t)a.tp * BLOCK * sizeof(uint16_t) * (a.passes == 3 ? 2 : 1);
    a.slice = (int)((1u << 20) / slice_bytes);
    a.slice = a.slice < 4 ? 4 : a.slice;
    a.slice = a.slice > a.kp / BLOCK ? a.kp / BLOCK : a.slice;
    a.part_bytes = (size_t)a.slice * 2 * TILE_ELEMS * sizeof(uint16_t) * (a.passes == 3 ? 2 : 1);
    int parts = gw_pool_threads(pool);
    char *scratch = gw_pool_scratch(pool, xbytes * (a.passes == 3 ? 2 : 1) + a.part_bytes * (size_t)parts);
    if (scratch == NULL) {
        return GW_GEMM_NO_MEMORY;
    }
    a.xh = (uint16_t *)scratch;
    a.xl = a.passes == 3 ? (uint16_t *)(scratch + xbytes) : NULL;
    a.part_scratch = scratch + xbytes * (a.passes == 3 ? 2 : 1);
    gw_pool_run(pool, convert_x_part, &a);
    gw_pool_run(pool, gemm_part, &a);
    return GW_GEMM_OK;
}

#else

int gw_amx_available(void) {
    return 0;
}

int gw_gemm_amx(gw_pool *pool, int dtype, const void *w, const float *scales, int group, int n, int k,
                const float *x, int t, const float *bias, float *y, int passes) {
    (void)pool, (void)dtype, (void)w, (void)scales, (void)group, (void)n, (void)k, (void)x, (void)t, (void)bias,
        (void)y, (void)passes;
    return GW_GEMM_UNAVAILABLE;
}

#endif
