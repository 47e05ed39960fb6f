/*
 * Decode kernels (see kernels.h). Hand-written because no library on the chosen stack streams fp16 weights at the
 * machine's memory bandwidth for a single row (libtorch 2.7.1: 37-48 of 51 GB/s; docs/benchmarks.md).
 *
 * Matrix-vector products are written with intrinsics for AVX-512 and AVX2 (+F16C, FMA) and chosen once at run time
 * from the processor's features; other processors get portable C (int8: AVX-512 or portable). With AVX-512 eight
 * rows (AVX2: four) share each load of x, each with its own accumulator, and the next block's rows are prefetched.
 * Rows are split evenly across the pool, in whole 8-row blocks.
 */
#define _GNU_SOURCE
#include "kernels.h"
#include "fastexp.h"
#include "pool.h"

#include <immintrin.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------------------------------------------------------
 * Matrix-vector products.
 * ------------------------------------------------------------------------------------------------------------- */

/* IEEE binary16 to binary32, exact (subnormals, infinities and NaN included). */
static float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exponent = (h >> 10) & 0x1f;
    uint32_t mantissa = h & 0x3ff;
    uint32_t bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else { /* subnormal: value = mantissa * 2^-24 */
        float v = (float)mantissa * 5.9604644775390625e-8f;
        memcpy(&bits, &v, sizeof bits);
        bits |= sign;
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static void matvec_scalar(int dtype, const void *w, int r0, int r1, int cols, const float *x, float *y) {
    for (int r = r0; r < r1; r++) {
        float sum = 0;
        if (dtype == GW_F16) {
            const uint16_t *row = (const uint16_t *)w + (int64_t)r * cols;
            for (int c = 0; c < cols; c++) {
                sum += half_to_float(row[c]) * x[c];
            }
        } else {
            const float *row = (const float *)w + (int64_t)r * cols;
            for (int c = 0; c < cols; c++) {
                sum += row[c] * x[c];
            }
        }
        y[r] = sum;
    }
}

/* int8 rows: y[r] = sum over groups g of scales[r, g] * sum_{c in g} q[r, c] x[c] */
static void matvec_q8_scalar(const int8_t *q, const float *scales, int group, int r0, int r1, int cols,
                             const float *x, float *y) {
    int groups = cols / group;
    for (int r = r0; r < r1; r++) {
        const int8_t *row = q + (int64_t)r * cols;
        float sum = 0;
        for (int g = 0; g < groups; g++) {
            float part = 0;
            for (int c = g * group; c < (g + 1) * group; c++) {
                part += (float)row[c] * x[c];
            }
            sum += part * scales[(int64_t)r * groups + g];
        }
        y[r] = sum;
    }
}

#if defined(__x86_64__)

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,f16c,fma")))
#define AVX2 __attribute__((target("avx2,f16c,fma")))
/* bytes past the current column of the next rows to prefetch (measured: 256 beat 0 and 1024) */
#define PREFETCH_AHEAD 256
/* rows per block sharing each load of x: 8 streamed ~8% more than 4 (the fp16 widening is not free either) */
#define MV_ROWS 8

/* the same line of four consecutive rows */
static inline void prefetch4(const char *first, size_t row_bytes) {
    _mm_prefetch(first, _MM_HINT_T0);
    _mm_prefetch(first + row_bytes, _MM_HINT_T0);
    _mm_prefetch(first + 2 * row_bytes, _MM_HINT_T0);
    _mm_prefetch(first + 3 * row_bytes, _MM_HINT_T0);
}

/* 16 weights of a row from column c; `m` masks the columns past the row's end. */
AVX512 static inline __m512 load16(int dtype, const void *row, int c, __mmask16 m) {
    if (dtype == GW_F16) {
        return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, (const uint16_t *)row + c));
    }
    return _mm512_maskz_loadu_ps(m, (const float *)row + c);
}

AVX512 static void matvec_avx512(int dtype, const void *w, int r0, int r1, int cols, const float *x, float *y) {
    size_t esize = dtype == GW_F16 ? 2 : 4;
    size_t row_bytes = (size_t)cols * esize;
    const char *base = (const char *)w;
    int tail = cols % 16;
    int full = cols - tail;
    __mmask16 all = 0xffff, rest = (__mmask16)((1u << tail) - 1);
    int r = r0;
    for (; r + MV_ROWS <= r1; r += MV_ROWS) {
        const char *w0 = base + (size_t)r * row_bytes;
        /* the hardware prefetcher alone left a quarter of the bandwidth unused: fetch the next block's rows, a few
         * lines ahead of this column */
        const char *next = w0 + MV_ROWS * row_bytes + PREFETCH_AHEAD;
        __m512 a[MV_ROWS];
        for (int i = 0; i < MV_ROWS; i++) {
            a[i] = _mm512_setzero_ps();
        }
        for (int c = 0; c < full; c += 16) {
            if (((size_t)c * esize & 63) == 0) {
                for (int i = 0; i < MV_ROWS; i += 4) {
                    prefetch4(next + i * row_bytes + (size_t)c * esize, row_bytes);
                }
            }
            __m512 xv = _mm512_loadu_ps(x + c);
            for (int i = 0; i < MV_ROWS; i++) {
                a[i] = _mm512_fmadd_ps(load16(dtype, w0 + i * row_bytes, c, all), xv, a[i]);
            }
        }
        if (tail) {
            __m512 xv = _mm512_maskz_loadu_ps(rest, x + full);
            for (int i = 0; i < MV_ROWS; i++) {
                a[i] = _mm512_fmadd_ps(load16(dtype, w0 + i * row_bytes, full, rest), xv, a[i]);
            }
        }
        for (int i = 0; i < MV_ROWS; i++) {
            y[r + i] = _mm512_reduce_add_ps(a[i]);
        }
    }
    for (; r < r1; r++) {
        const char *w0 = base + (size_t)r * row_bytes;
        __m512 a0 = _mm512_setzero_ps();
        for (int c = 0; c < full; c += 16) {
            a0 = _mm512_fmadd_ps(load16(dtype, w0, c, all), _mm512_loadu_ps(x + c), a0);
        }
        if (tail) {
            a0 = _mm512_fmadd_ps(load16(dtype, w0, full, rest), _mm512_maskz_loadu_ps(rest, x + full), a0);
        }
        y[r] = _mm512_reduce_add_ps(a0);
    }
}

AVX512 static inline __m512 q8x16(const int8_t *w) {
    return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)w)));
}

/* rows at a time sharing each load of x: 8 beat 4 and 2 (widening int8 costs more than loading x) */
#define Q8_ROWS 8

AVX512 static void matvec_q8_avx512(const int8_t *q, const float *scales, int group, int r0, int r1, int cols,
                                    const float *x, float *y) {
    int groups = cols / group;
    int r = r0;
    for (; r + Q8_ROWS <= r1; r += Q8_ROWS) {
        const int8_t *w = q + (size_t)r * cols;
        const char *next = (const char *)w + Q8_ROWS * (size_t)cols + PREFETCH_AHEAD;
        const float *s = scales + (size_t)r * groups;
        __m512 a[Q8_ROWS], p[Q8_ROWS];
        for (int i = 0; i < Q8_ROWS; i++) {
            a[i] = _mm512_setzero_ps();
        }
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < Q8_ROWS; i++) {
                p[i] = _mm512_setzero_ps();
            }
            for (int c = g * group; c < (g + 1) * group; c += 16) {
                if ((c & 63) == 0) {
                    prefetch4(next + c, (size_t)cols);
                    prefetch4(next + 4 * (size_t)cols + c, (size_t)cols);
                }
                __m512 xv = _mm512_loadu_ps(x + c);
                for (int i = 0; i < Q8_ROWS; i++) {
                    p[i] = _mm512_fmadd_ps(q8x16(w + i * (size_t)cols + c), xv, p[i]);
                }
            }
            for (int i = 0; i < Q8_ROWS; i++) {
                a[i] = _mm512_fmadd_ps(p[i], _mm512_set1_ps(s[(size_t)i * groups + g]), a[i]);
            }
        }
        for (int i = 0; i < Q8_ROWS; i++) {
            y[r + i] = _mm512_reduce_add_ps(a[i]);
        }
    }
    if (r < r1) {
        matvec_q8_scalar(q, scales, group, r, r1, cols, x, y);
    }
}

AVX2 static inline __m256 load8(int dtype, const void *row, int c) {
    if (dtype == GW_F16) {
        return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)row + c)));
    }
    return _mm256_loadu_ps((const float *)row + c);
}

AVX2 static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

AVX2 static float tail_dot(int dtype, const void *row, int from, int cols, const float *x) {
    float sum = 0;
    for (int c = from; c < cols; c++) {
        float v = dtype == GW_F16 ? _cvtsh_ss(((const uint16_t *)row)[c]) : ((const float *)row)[c];
        sum += v * x[c];
    }
    return sum;
}

AVX2 static void matvec_avx2(int dtype, const void *w, int r0, int r1, int cols, const float *x, float *y) {
    size_t esize = dtype == GW_F16 ? 2 : 4;
    const char *base = (const char *)w;
    int full = cols - cols % 8;
    int r = r0;
    for (; r + 4 <= r1; r += 4) {
        const char *w0 = base + (size_t)r * cols * esize;
        const char *w1 = w0 + (size_t)cols * esize, *w2 = w1 + (size_t)cols * esize, *w3 = w2 + (size_t)cols * esize;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        const char *next = w0 + 4 * (size_t)cols * esize + PREFETCH_AHEAD;
        size_t row_bytes = (size_t)cols * esize;
        for (int c = 0; c < full; c += 8) {
            size_t at = (size_t)c * esize;
            prefetch4(next + at, row_bytes);
            __m256 xv = _mm256_loadu_ps(x + c);
            a0 = _mm256_fmadd_ps(load8(dtype, w0, c), xv, a0);
            a1 = _mm256_fmadd_ps(load8(dtype, w1, c), xv, a1);
            a2 = _mm256_fmadd_ps(load8(dtype, w2, c), xv, a2);
            a3 = _mm256_fmadd_ps(load8(dtype, w3, c), xv, a3);
        }
        y[r] = hsum8(a0) + tail_dot(dtype, w0, full, cols, x);
        y[r + 1] = hsum8(a1) + tail_dot(dtype, w1, full, cols, x);
        y[r + 2] = hsum8(a2) + tail_dot(dtype, w2, full, cols, x);
        y[r + 3] = hsum8(a3) + tail_dot(dtype, w3, full, cols, x);
    }
    for (; r < r1; r++) {
        const char *w0 = base + (size_t)r * cols * esize;
        __m256 a0 = _mm256_setzero_ps();
        for (int c = 0; c < full; c += 8) {
            a0 = _mm256_fmadd_ps(load8(dtype, w0, c), _mm256_loadu_ps(x + c), a0);
        }
        y[r] = hsum8(a0) + tail_dot(dtype, w0, full, cols, x);
    }
}

#endif

typedef struct {
    int isa;
    int dtype;
    const void *w;
    const float *scales; /* GW_Q8 only */
    int group;
    int rows, cols;
    const float *x;
    float *y;
} matvec_args;

static void matvec_part(const void *raw, int part, int parts) {
    const matvec_args *a = raw;
    int r0, r1;
    gw_split(a->rows, part, parts, 8, &r0, &r1); /* whole 8-row blocks per thread */
    if (a->dtype == GW_Q8) {
#if defined(__x86_64__)
        if (a->isa == ISA_AVX512 && a->group % 16 == 0) {
            matvec_q8_avx512(a->w, a->scales, a->group, r0, r1, a->cols, a->x, a->y);
            return;
        }
#endif
        matvec_q8_scalar(a->w, a->scales, a->group, r0, r1, a->cols, a->x, a->y);
        return;
    }
    switch (a->isa) {
#if defined(__x86_64__)
    case ISA_AVX512:
        matvec_avx512(a->dtype, a->w, r0, r1, a->cols, a->x, a->y);
        return;
    case ISA_AVX2:
        matvec_avx2(a->dtype, a->w, r0, r1, a->cols, a->x, a->y);
        return;
#endif
    default:
        matvec_scalar(a->dtype, a->w, r0, r1, a->cols, a->x, a->y);
    }
}

void gw_matvec(gw_pool *pool, int dtype, const void *w, int rows, int cols, const float *x, float *y) {
    matvec_args a = {pool->isa, dtype, w, NULL, 0, rows, cols, x, y};
    gw_pool_run(pool, matvec_part, &a);
}

void gw_matvec_q8(gw_pool *pool, const int8_t *q, const float *scales, int group, int rows, int cols,
                  const float *x, float *y) {
    matvec_args a = {pool->isa, GW_Q8, q, scales, group, rows, cols, x, y};
    gw_pool_run(pool, matvec_part, &a);
}

void gw_row_q8(const int8_t *q, const float *scales, int group, int64_t row, int cols, float *out) {
    const int8_t *r = q + row * cols;
    const float *s = scales + row * (cols / group);
    for (int c = 0; c < cols; c++) {
        out[c] = (float)r[c] * s[c / group];
    }
}

void gw_row(int dtype, const void *w, int64_t row, int cols, float *out) {
    if (dtype == GW_F16) {
        const uint16_t *r = (const uint16_t *)w + row * cols;
        for (int c = 0; c < cols; c++) {
            out[c] = half_to_float(r[c]);
        }
    } else {
        memcpy(out, (const float *)w + row * cols, (size_t)cols * sizeof(float));
    }
}

/* ---------------------------------------------------------------------------------------------------------------
 * Attention and SwiGLU: little arithmetic next to the products; plain loops the compiler vectorizes for each
 * instruction set (target_clones), `omp simd` permitting the reassociated sums.
 * ------------------------------------------------------------------------------------------------------------- */

#if defined(__x86_64__)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLONES
#endif

/* inlined into the cloned callers: a clone called per position would pay an indirect call each time */
static inline __attribute__((always_inline)) float dot(const float *a, const float *b, int n) {
    float sum = 0;
#pragma omp simd reduction(+ : sum)
    for (int i = 0; i < n; i++) {
        sum += a[i] * b[i];
    }
    return sum;
}

static inline __attribute__((always_inline)) void axpy(float alpha, const float *x, float *y, int n) {
#pragma omp simd
    for (int i = 0; i < n; i++) {
        y[i] += alpha * x[i];
    }
}

typedef struct {
    int isa;
    const float *q, *keys, *values;
    int kv_heads, groups, head_dim, capacity;
    int rows;       /* query rows; row r sees positions [from_r, to + r) */
    int from, to;   /* row 0's range; with window = 0 every row starts at from */
    int window;     /* > 0: row r starts at max(0, to + r - window) */
    int q_stride;   /* floats from one query row to the next (out rows are heads * head_dim apart) */
    float scale;
    float *out;
} attention_args;

#if defined(__x86_64__)
/*
 * One head, head_dim a multiple of 16 up to 256: scores four positions at a time (four independent FMA chains
 * instead of one dependent chain per position), then the weighted sum of values kept in registers across positions.
 * Measured 5x faster than the generic loop at 576 positions.
 */
AVX512 static void attend_head_avx512(const float *q, const float *k, const float *v, int length, int d,
                                      float scale, float *scores, float *out) {
    int n = d / 16;
    __m512 qv[16];
    for (int i = 0; i < n; i++) {
        qv[i] = _mm512_loadu_ps(q + 16 * i);
    }
    int t = 0;
    for (; t + 4 <= length; t += 4) {
        const float *k0 = k + (size_t)t * d;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        for (int i = 0; i < n; i++) {
            a0 = _mm512_fmadd_ps(qv[i], _mm512_loadu_ps(k0 + 16 * i), a0);
            a1 = _mm512_fmadd_ps(qv[i], _mm512_loadu_ps(k0 + d + 16 * i), a1);
            a2 = _mm512_fmadd_ps(qv[i], _mm512_loadu_ps(k0 + 2 * d + 16 * i), a2);
            a3 = _mm512_fmadd_ps(qv[i], _mm512_loadu_ps(k0 + 3 * d + 16 * i), a3);
        }
        scores[t] = _mm512_reduce_add_ps(a0) * scale;
        scores[t + 1] = _mm512_reduce_add_ps(a1) * scale;
        scores[t + 2] = _mm512_reduce_add_ps(a2) * scale;
        scores[t + 3] = _mm512_reduce_add_ps(a3) * scale;
    }
    for (; t < length; t++) {
        __m512 a0 = _mm512_setzero_ps();
        for (int i = 0; i < n; i++) {
            a0 = _mm512_fmadd_ps(qv[i], _mm512_loadu_ps(k + (size_t)t * d + 16 * i), a0);
        }
        scores[t] = _mm512_reduce_add_ps(a0) * scale;
    }
    __m512 mv = _mm512_set1_ps(-INFINITY);
    for (t = 0; t + 16 <= length; t += 16) {
        mv = _mm512_max_ps(mv, _mm512_loadu_ps(scores + t));
    }
    float max = _mm512_reduce_max_ps(mv);
    for (; t < length; t++) {
        max = scores[t] > max ? scores[t] : max;
    }
    __m512 maxv = _mm512_set1_ps(max), sv = _mm512_setzero_ps();
    for (t = 0; t + 16 <= length; t += 16) {
        __m512 e = exp16(_mm512_sub_ps(_mm512_loadu_ps(scores + t), maxv));
        _mm512_storeu_ps(scores + t, e);
        sv = _mm512_add_ps(sv, e);
    }
    float sum = _mm512_reduce_add_ps(sv);
    for (; t < length; t++) {
        scores[t] = exp_fast(scores[t] - max);
        sum += scores[t];
    }
    __m512 o[16];
    for (int i = 0; i < n; i++) {
        o[i] = _mm512_setzero_ps();
    }
    for (t = 0; t < length; t++) {
        __m512 p = _mm512_set1_ps(scores[t]);
        for (int i = 0; i < n; i++) {
            o[i] = _mm512_fmadd_ps(p, _mm512_loadu_ps(v + (size_t)t * d + 16 * i), o[i]);
        }
    }
    __m512 inv = _mm512_set1_ps(1.0f / sum);
    for (int i = 0; i < n; i++) {
        _mm512_storeu_ps(out + 16 * i, _mm512_mul_ps(o[i], inv));
    }
}
#endif

/* Items are (query row, head) pairs, split evenly across the parts. */
CLONES static void attention_part(const void *raw, int part, int parts) {
    const attention_args *a = raw;
    int heads = a->kv_heads * a->groups, i0, i1;
    gw_split(a->rows * heads, part, parts, 1, &i0, &i1);
    int d = a->head_dim;
    int longest = a->to + a->rows - 1 - (a->window > 0 ? 0 : a->from);
    float stack[1024];
    float *scores = longest <= 1024 ? stack : malloc((size_t)longest * sizeof(float));
    if (scores == NULL) {
        abort(); /* a few KiB per thread: nothing sensible remains to be done */
    }
    for (int i = i0; i < i1; i++) {
        int row = i / heads, h = i % heads, kv = h / a->groups;
        int to = a->to + row;
        int from = a->window > 0 ? (to - a->window > 0 ? to - a->window : 0) : a->from;
        int length = to - from;
        const float *q = a->q + (size_t)row * a->q_stride + (size_t)h * d;
        const float *k = a->keys + ((size_t)kv * a->capacity + from) * d;
        const float *v = a->values + ((size_t)kv * a->capacity + from) * d;
        float *o = a->out + ((size_t)row * heads + h) * d;
#if defined(__x86_64__)
        if (a->isa == ISA_AVX512 && d % 16 == 0 && d <= 256) {
            attend_head_avx512(q, k, v, length, d, a->scale, scores, o);
            continue;
        }
#endif
        float max = -INFINITY;
        for (int t = 0; t < length; t++) {
            scores[t] = dot(q, k + (size_t)t * d, d) * a->scale;
            max = scores[t] > max ? scores[t] : max;
        }
        float sum = 0;
#pragma omp simd reduction(+ : sum)
        for (int t = 0; t < length; t++) {
            scores[t] = exp_fast(scores[t] - max);
            sum += scores[t];
        }
        memset(o, 0, (size_t)d * sizeof(float));
        for (int t = 0; t < length; t++) {
            axpy(scores[t] / sum, v + (size_t)t * d, o, d);
        }
    }
    if (scores != stack) {
        free(scores);
    }
}

void gw_attention(gw_pool *pool, const float *q, const float *keys, const float *values, int kv_heads, int groups,
                  int head_dim, int capacity, int from, int to, float scale, float *out) {
    attention_args a = {pool->isa, q, keys, values, kv_heads, groups, head_dim, capacity, 1, from, to, 0, 0,
                        scale, out};
    gw_pool_run(pool, attention_part, &a);
}

void gw_attention_rows(gw_pool *pool, const float *q, int q_stride, const float *keys, const float *values,
                       int kv_heads, int groups, int head_dim, int capacity, int rows, int position, int window,
                       float scale, float *out) {
    attention_args a = {pool->isa, q, keys, values, kv_heads, groups, head_dim, capacity, rows, 0, position + 1,
                        window, q_stride, scale, out};
    gw_pool_run(pool, attention_part, &a);
}

typedef struct {
    const float *gate_up;
    int rows, f;
    float *out;
} swiglu_args;

/* Rows split across parts when there are several, else the one row's elements (a decode step). */
CLONES static void swiglu_part(const void *raw, int part, int parts) {
    const swiglu_args *a = raw;
    int r0 = 0, r1 = a->rows, i0 = 0, i1 = a->f;
    if (a->rows > 1) {
        gw_split(a->rows, part, parts, 1, &r0, &r1);
    } else {
        gw_split(a->f, part, parts, 16, &i0, &i1);
    }
    for (int r = r0; r < r1; r++) {
        const float *gate = a->gate_up + (size_t)r * 2 * a->f, *up = gate + a->f;
        float *out = a->out + (size_t)r * a->f;
#pragma omp simd
        for (int i = i0; i < i1; i++) {
            float g = gate[i];
            out[i] = g / (1.0f + exp_fast(-g)) * up[i];
        }
    }
}

void gw_swiglu(gw_pool *pool, const float *gate_up, int f, float *out) {
    gw_swiglu_rows(pool, gate_up, 1, f, out);
}

void gw_swiglu_rows(gw_pool *pool, const float *gate_up, int rows, int f, float *out) {
    swiglu_args a = {gate_up, rows, f, out};
    gw_pool_run(pool, swiglu_part, &a);
}
