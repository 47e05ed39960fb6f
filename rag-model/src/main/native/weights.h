/*
 * Reading a weight matrix as the prompt products pack it (internal to the kernels library): 32 consecutive columns of
 * one row as fp32, whatever the weight's dtype, and the 16×16 transpose that turns rows of W into the columns-major
 * panels both products multiply from (gemm_amx.c packs bf16 tiles from it, gemm_fma.c fp32 panels).
 */
#ifndef GROUNDWORK_WEIGHTS_H
#define GROUNDWORK_WEIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "kernels.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define GW_HAVE_AVX512_PACK 1
#include <immintrin.h>

#define PACK_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,f16c,fma")))

/* A weight [n, k] as kernels.h describes it: GW_F16, GW_F32, or GW_Q8 with `scales` [n, k / group]. */
typedef struct {
    int dtype;
    const void *w;
    const float *scales;
    int group; /* GW_Q8: a multiple of 16 */
    int n, k;
} weight_view;

/* Columns [c, c + 32) of row r of W as fp32, zero past column k or row n. */
PACK_AVX512 static inline void weight_load32(const weight_view *v, int r, int c, __m512 *first, __m512 *second) {
    if (r >= v->n) {
        *first = *second = _mm512_setzero_ps();
        return;
    }
    int left = v->k - c;
    __mmask16 m0 = left >= 16 ? 0xffff : (__mmask16)((1u << (left > 0 ? left : 0)) - 1);
    __mmask16 m1 = left >= 32 ? 0xffff : (__mmask16)((1u << (left > 16 ? left - 16 : 0)) - 1);
    size_t at = (size_t)r * v->k + c;
    switch (v->dtype) {
    case GW_F16: {
        const uint16_t *w = (const uint16_t *)v->w + at;
        *first = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m0, w));
        *second = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m1, w + 16));
        return;
    }
    case GW_Q8: {
        const int8_t *q = (const int8_t *)v->w + at;
        const float *s = v->scales + (size_t)r * (v->k / v->group);
        /* group is a multiple of 16, so each half of the chunk has one scale */
        __m512 s0 = _mm512_set1_ps(s[c / v->group]);
        __m512 s1 = _mm512_set1_ps(left > 16 ? s[(c + 16) / v->group] : 0.0f);
        *first = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m0, q))), s0);
        *second = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m1, q + 16))), s1);
        return;
    }
    default: {
        const float *w = (const float *)v->w + at;
        *first = _mm512_maskz_loadu_ps(m0, w);
        *second = _mm512_maskz_loadu_ps(m1, w + 16);
    }
    }
}

/*
 * Asks for row r of W from column c on, while a packing loop converts earlier columns: it walks 32 rows at once, more
 * streams than the hardware prefetcher follows, and its weights come from memory (measured: packing fell from 17.5% to
 * 11.5% of gemm_fma's time and from 70% to 51% of gemm_amx's, docs/benchmarks.md).
 */
static inline void weight_prefetch(const weight_view *v, int r, int c) {
    if (r < v->n && c < v->k) {
        int bytes = v->dtype == GW_F16 ? 2 : v->dtype == GW_Q8 ? 1 : 4;
        _mm_prefetch((const char *)v->w + ((size_t)r * v->k + c) * bytes, _MM_HINT_T0);
    }
}

/* How many columns ahead of the packing weight_prefetch asks (256 bytes of fp16). */
#define PACK_AHEAD 128

/* 16 rows of 16 32-bit elements, transposed in registers: afterwards r[i] holds element i of every input row. */
PACK_AVX512 static inline void transpose16(__m512i r[16]) {
    __m512i t[16];
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_epi32(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_epi32(r[i], r[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {
        r[i] = _mm512_unpacklo_epi64(t[i], t[i + 2]);
        r[i + 1] = _mm512_unpackhi_epi64(t[i], t[i + 2]);
        r[i + 2] = _mm512_unpacklo_epi64(t[i + 1], t[i + 3]);
        r[i + 3] = _mm512_unpackhi_epi64(t[i + 1], t[i + 3]);
    }
    /* each 128-bit lane now holds a 4×4 block transposed; rows 4q + j hold lane blocks [q][*] column j */
    for (int i = 0; i < 4; i++) {
        t[i] = _mm512_shuffle_i32x4(r[i], r[i + 4], 0x88);       /* lanes 0, 2 of each */
        t[i + 4] = _mm512_shuffle_i32x4(r[i], r[i + 4], 0xdd);   /* lanes 1, 3 */
        t[i + 8] = _mm512_shuffle_i32x4(r[i + 8], r[i + 12], 0x88);
        t[i + 12] = _mm512_shuffle_i32x4(r[i + 8], r[i + 12], 0xdd);
    }
    for (int i = 0; i < 4; i++) {
        r[i] = _mm512_shuffle_i32x4(t[i], t[i + 8], 0x88);
        r[i + 8] = _mm512_shuffle_i32x4(t[i], t[i + 8], 0xdd);
        r[i + 4] = _mm512_shuffle_i32x4(t[i + 4], t[i + 12], 0x88);
        r[i + 12] = _mm512_shuffle_i32x4(t[i + 4], t[i + 12], 0xdd);
    }
}

#endif

#endif
