/*
 * What the AMX kernels share (internal to the kernels library): the tile configuration, the bf16 split of fp32
 * values, and the packing of a matrix's rows as B tiles (gemm_amx.c says how; attention_amx.c reuses it for keys).
 */
#ifndef GROUNDWORK_AMX_H
#define GROUNDWORK_AMX_H

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__) && (__GNUC__ >= 11 || defined(__clang__))
#define GW_HAVE_AMX 1
#include <cpuid.h>
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#ifdef GW_HAVE_AMX

#define AMX_BF16 __attribute__((target("amx-tile,amx-bf16,avx512f,avx512bw,avx512vl,avx512bf16,f16c,fma")))

/* Rows (of X and of W) per block, and columns per tile: a tile holds 16 rows of 64 bytes. */
#define BLOCK 32
#define TILE_ELEMS 512 /* bf16 elements in one tile */

typedef struct {
    uint8_t palette;
    uint8_t start_row;
    uint8_t reserved[14];
    uint16_t colsb[16];
    uint8_t rows[16];
} tile_config;

/* Every tile used is 16 rows of 64 bytes: accumulators 0-3 (16×16 fp32), X in 4-5, W in 6-7 (16×32 bf16). */
AMX_BF16 static inline void amx_configure_tiles(void) {
    tile_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.palette = 1;
    for (int i = 0; i < 8; i++) {
        cfg.rows[i] = 16;
        cfg.colsb[i] = 64;
    }
    _tile_loadconfig(&cfg);
}

/* The 16-bit pairs of 32 values as bf16 (round to nearest even), and of what that rounding left, v - hi. */
AMX_BF16 static inline __m512i amx_split_bf16(__m512 first, __m512 second, __m512i *lo) {
    __m512bh hi = _mm512_cvtne2ps_pbh(second, first);
    if (lo != NULL) {
        __m512i bits = (__m512i)hi;
        __m512 h0 = _mm512_cvtpbh_ps((__m256bh)_mm512_castsi512_si256(bits));
        __m512 h1 = _mm512_cvtpbh_ps((__m256bh)_mm512_extracti64x4_epi64(bits, 1));
        *lo = (__m512i)_mm512_cvtne2ps_pbh(_mm512_sub_ps(second, h1), _mm512_sub_ps(first, h0));
    }
    return (__m512i)hi;
}

typedef struct {
    int dtype; /* GW_F16, GW_F32 or GW_Q8 */
    const void *w;
    const float *scales; /* GW_Q8: [n, k / group] */
    int group;
    int n, k, kp;
    const float *x;
    int t, tp;
    const float *bias;
    float *y;
    int passes;
    int slice;         /* column chunks (of 32) per pass over W's rows */
    uint16_t *xh, *xl; /* [tp, xs] bf16 */
    int xs;            /* elements per row of xh, xl */
    char *part_scratch; /* per part: packed W blocks */
    size_t part_bytes;
} gemm_args;

/*
 * Rows [n0, n0 + 32) and column chunks [c0, c1) of a's W as B tiles: with kc = c - c0,
 * hi[(kc·2 + half)·512 + i·32 + 2j + e] = W[n0 + 16·half + j, 32·c + 2i + e], and lo likewise when lo is not NULL
 * (rows past n and columns past k are zero). Returns whether any lo element is nonzero.
 */
int amx_pack_w(const gemm_args *a, int n0, int c0, int c1, uint16_t *hi, uint16_t *lo);

AMX_BF16 static inline __attribute__((always_inline)) void amx_zero_accumulators(void) {
    _tile_zero(0);
    _tile_zero(1);
    _tile_zero(2);
    _tile_zero(3);
}

/* The accumulators as the 32×32 fp32 block at y, whose rows are `row` floats apart. */
AMX_BF16 static inline __attribute__((always_inline)) void amx_store_accumulators(float *y, size_t row) {
    _tile_stored(0, y, row * sizeof(float));
    _tile_stored(1, y + 16, row * sizeof(float));
    _tile_stored(2, y + 16 * row, row * sizeof(float));
    _tile_stored(3, y + 16 * row + 16, row * sizeof(float));
}

/* The four accumulators += the two X tiles (4, 5) times the two W tiles (6, 7). */
AMX_BF16 static inline __attribute__((always_inline)) void amx_multiply_tiles(void) {
    _tile_dpbf16ps(0, 4, 6);
    _tile_dpbf16ps(1, 4, 7);
    _tile_dpbf16ps(2, 5, 6);
    _tile_dpbf16ps(3, 5, 7);
}

#endif

#endif
