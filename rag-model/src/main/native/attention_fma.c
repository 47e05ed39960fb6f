/*
 * A prompt's causal attention in fp32 on AVX-512 FMA, blocks of query vectors at a time (gw_attention_rows_fma in
 * kernels.h): the products of attention as register-blocked products, the way gemm_fma.c multiplies a prompt by W.
 *
 * Why: the vector kernel (kernels.c) attends one query vector at a time, so every query reads all its keys and values
 * again, and each score ends in a horizontal sum; at 2048 tokens that took 40% as long as all the prompt's products.
 * Here QB query vectors share each read of a key or value, and no score needs a horizontal sum.
 *
 * Method (flash attention's online softmax, on the CPU). The query vectors of one key/value head are taken in order
 * (row by row, each row's heads of the group in turn), QB per block, so a block spans one to a few consecutive rows.
 * Keys are packed once per call into panels Kᵀ [head_dim][keys] per key/value head (16×16 transposes). A block walks
 * its keys in tiles of KT: S = Q·Kᵀ·scale for the tile (QB vectors × 32 keys in 2·QB accumulators, a broadcast of
 * q[r][i] and two aligned loads of the panel per column i); each vector masks the keys outside its own causal
 * (or sliding) range, raises its running maximum m and rescales its running sum l and output O by e^(m_old - m_new);
 * then O += P·V (QB vectors × 32 output columns in registers, a broadcast of p[r][j] and the value row j as it lies in
 * the cache). At the end O / l. Blocks are dealt to threads round-robin: later rows see more keys.
 */
#define _GNU_SOURCE
#include "fastexp.h"
#include "kernels.h"
#include "pool.h"
#include "weights.h"

#include <math.h>
#include <string.h>

#ifdef GW_HAVE_AVX512_PACK

#define QB 14  /* query vectors per block: 2·QB accumulators, 2 loads and a broadcast in 32 registers */
#define KT 256 /* keys per tile: a row of the tile's scores is 1 KiB */

typedef struct {
    const float *q;
    int q_stride;
    const float *keys, *values;
    int kv_heads, groups, d, capacity, position, window;
    float scale;
    float *out;
    int vectors;      /* query vectors per key/value head: rows · groups */
    int head_blocks;  /* blocks per key/value head */
    int key_count;    /* keys any vector sees: position + rows */
    int k_lo;         /* the first key any vector sees (the first row's window), rounded down to 32 */
    int key_stride;   /* floats per row of a panel: keys from k_lo to key_count rounded up to 32 */
    float *panels;    /* [kv_heads][d][key_stride]: column c is key k_lo + c */
    char *part_scratch;
    size_t part_bytes;
} fattn_args;

/* Panel columns [c0, c0 + 16) of key/value head h: keys k_lo + c0, ... (keys past key_count are zero). */
PACK_AVX512 static void pack_keys16(const fattn_args *a, int h, int c0) {
    float *panel = a->panels + (size_t)h * a->d * a->key_stride;
    int k0 = a->k_lo + c0;
    int count = a->key_count - k0 < 16 ? a->key_count - k0 : 16;
    for (int c = 0; c < a->d; c += 16) {
        __m512i r[16];
        for (int j = 0; j < 16; j++) {
            r[j] = j < count ? _mm512_loadu_si512((const void *)(a->keys + ((size_t)h * a->capacity + k0 + j) * a->d + c))
                             : _mm512_setzero_si512();
        }
        transpose16(r);
        for (int i = 0; i < 16; i++) {
            _mm512_storeu_si512((void *)(panel + (size_t)(c + i) * a->key_stride + c0), r[i]);
        }
    }
}

PACK_AVX512 static void pack_keys_part(const void *raw, int part, int parts) {
    const fattn_args *a = raw;
    int per_head = a->key_stride / 16;
    int b0, b1;
    gw_split(a->kv_heads * per_head, part, parts, 1, &b0, &b1);
    for (int b = b0; b < b1; b++) {
        pack_keys16(a, b / per_head, b % per_head * 16);
    }
}

/* Per part: a block's packed queries [d][QB], its tile of scores [QB][KT], its outputs [QB][d]. */
typedef struct {
    float *q;
    float *s;
    float *o;
} block_scratch;

/* s[r][j] = scale · Σ_i q[i][r] · panel[i][k + j] for j < 32: one 32-key block of a tile's scores, at s. */
PACK_AVX512 static void score_keys(const fattn_args *a, const float *q, const float *panel, int k, float *s) {
    __m512 acc[QB][2];
#pragma GCC unroll 16
    for (int r = 0; r < QB; r++) {
        acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    }
    for (int i = 0; i < a->d; i++) {
        __m512 k0 = _mm512_load_ps(panel + (size_t)i * a->key_stride + k);
        __m512 k1 = _mm512_load_ps(panel + (size_t)i * a->key_stride + k + 16);
#pragma GCC unroll 16
        for (int r = 0; r < QB; r++) {
            __m512 x = _mm512_set1_ps(q[i * QB + r]);
            acc[r][0] = _mm512_fmadd_ps(x, k0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(x, k1, acc[r][1]);
        }
    }
    __m512 scale = _mm512_set1_ps(a->scale);
#pragma GCC unroll 16
    for (int r = 0; r < QB; r++) {
        _mm512_storeu_ps(s + r * KT, _mm512_mul_ps(acc[r][0], scale));
        _mm512_storeu_ps(s + r * KT + 16, _mm512_mul_ps(acc[r][1], scale));
    }
}

/*
 * o[r][c, c + 32) = o[r][c, c + 32) · rescale[r] + Σ_{j < n} p[r][j] · v[j][c, c + 32) (the second 16 only when
 * `both`): one slice of the output columns for a tile of n keys whose value rows start at v.
 */
PACK_AVX512 static void add_values(const fattn_args *a, const float *p, const float *v, int n, int c, int both,
                                   const float *rescale, float *o) {
    __m512 acc[QB][2];
#pragma GCC unroll 16
    for (int r = 0; r < QB; r++) {
        __m512 f = _mm512_set1_ps(rescale[r]);
        acc[r][0] = _mm512_mul_ps(_mm512_loadu_ps(o + r * a->d + c), f);
        acc[r][1] = both ? _mm512_mul_ps(_mm512_loadu_ps(o + r * a->d + c + 16), f) : _mm512_setzero_ps();
    }
    if (both) {
        for (int j = 0; j < n; j++) {
            __m512 v0 = _mm512_loadu_ps(v + (size_t)j * a->d + c);
            __m512 v1 = _mm512_loadu_ps(v + (size_t)j * a->d + c + 16);
#pragma GCC unroll 16
            for (int r = 0; r < QB; r++) {
                __m512 x = _mm512_set1_ps(p[r * KT + j]);
                acc[r][0] = _mm512_fmadd_ps(x, v0, acc[r][0]);
                acc[r][1] = _mm512_fmadd_ps(x, v1, acc[r][1]);
            }
        }
    } else {
        for (int j = 0; j < n; j++) {
            __m512 v0 = _mm512_loadu_ps(v + (size_t)j * a->d + c);
#pragma GCC unroll 16
            for (int r = 0; r < QB; r++) {
                acc[r][0] = _mm512_fmadd_ps(_mm512_set1_ps(p[r * KT + j]), v0, acc[r][0]);
            }
        }
    }
#pragma GCC unroll 16
    for (int r = 0; r < QB; r++) {
        _mm512_storeu_ps(o + r * a->d + c, acc[r][0]);
        if (both) {
            _mm512_storeu_ps(o + r * a->d + c + 16, acc[r][1]);
        }
    }
}

/*
 * Turns row r of the tile's scores, keys [ts, ts + span), into weights e^(s - m_new) inside the vector's own range
 * [from, to) and 0 elsewhere; returns the factor e^(m_old - m_new) for what the vector summed before, and updates
 * its running maximum and sum.
 */
PACK_AVX512 static float softmax_tile(float *s, int ts, int span, int from, int to, float *m, float *l) {
    int lo = from > ts ? from - ts : 0;
    int hi = to - ts < span ? to - ts : span;
    if (lo >= hi) { /* nothing of this vector's range in the tile */
        memset(s, 0, (size_t)span * sizeof(float));
        return 1.0f;
    }
    __m512i lov = _mm512_set1_epi32(lo), hiv = _mm512_set1_epi32(hi);
    __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __mmask16 in[KT / 16];
    __m512 most = _mm512_set1_ps(-INFINITY);
    for (int j = 0; j < span; j += 16) {
        __m512i at = _mm512_add_epi32(_mm512_set1_epi32(j), iota);
        in[j / 16] = _mm512_cmpge_epi32_mask(at, lov) & _mm512_cmplt_epi32_mask(at, hiv);
        most = _mm512_mask_max_ps(most, in[j / 16], most, _mm512_loadu_ps(s + j));
    }
    float top = _mm512_reduce_max_ps(most);
    top = top > *m ? top : *m;
    __m512 topv = _mm512_set1_ps(top), sum = _mm512_setzero_ps();
    for (int j = 0; j < span; j += 16) {
        __m512 w = _mm512_maskz_mov_ps(in[j / 16], exp16(_mm512_sub_ps(_mm512_loadu_ps(s + j), topv)));
        _mm512_storeu_ps(s + j, w);
        sum = _mm512_add_ps(sum, w);
    }
    float rescale = *m == -INFINITY ? 0.0f : exp_fast(*m - top);
    *l = *l * rescale + _mm512_reduce_add_ps(sum);
    *m = top;
    return rescale;
}

PACK_AVX512 static void attend_block(const fattn_args *a, int h, int v0, const block_scratch *w) {
    int d = a->d;
    int count = a->vectors - v0 < QB ? a->vectors - v0 : QB;
    int from[QB], to[QB];
    float m[QB], l[QB], rescale[QB];
    int kfrom = a->key_count, kto = 0;
    for (int r = 0; r < QB; r++) {
        m[r] = -INFINITY;
        l[r] = 0;
        if (r >= count) {
            from[r] = to[r] = 0;
            for (int i = 0; i < d; i++) {
                w->q[i * QB + r] = 0;
            }
            continue;
        }
        int row = (v0 + r) / a->groups;
        const float *q = a->q + (size_t)row * a->q_stride + (size_t)(h * a->groups + (v0 + r) % a->groups) * d;
        for (int i = 0; i < d; i++) {
            w->q[i * QB + r] = q[i];
        }
        to[r] = a->position + row + 1;
        from[r] = a->window > 0 && to[r] > a->window ? to[r] - a->window : 0;
        kfrom = from[r] < kfrom ? from[r] : kfrom;
        kto = to[r] > kto ? to[r] : kto;
    }
    memset(w->o, 0, (size_t)QB * d * sizeof(float));
    const float *panel = a->panels + (size_t)h * d * a->key_stride;
    const float *values = a->values + (size_t)h * a->capacity * d;
    for (int ts = kfrom / 32 * 32; ts < kto; ts += KT) {
        int span = kto - ts < KT ? (kto - ts + 31) / 32 * 32 : KT; /* whole 32-key blocks; the panel is 0 past keys */
        for (int k = 0; k < span; k += 32) {
            score_keys(a, w->q, panel, ts - a->k_lo + k, w->s + k);
        }
        for (int r = 0; r < QB; r++) {
            rescale[r] = softmax_tile(w->s + r * KT, ts, span, from[r], to[r], &m[r], &l[r]);
        }
        int n = kto - ts < span ? kto - ts : span; /* value rows past the last key are not in the cache yet */
        for (int c = 0; c < d; c += 32) {
            add_values(a, w->s, values + (size_t)ts * d, n, c, d - c >= 32, rescale, w->o);
        }
    }
    for (int r = 0; r < count; r++) {
        int row = (v0 + r) / a->groups;
        float *out = a->out + ((size_t)row * a->kv_heads * a->groups + h * a->groups + (v0 + r) % a->groups) * d;
        float inv = 1.0f / l[r];
        for (int i = 0; i < d; i++) {
            out[i] = w->o[r * d + i] * inv;
        }
    }
}

PACK_AVX512 static void attend_part(const void *raw, int part, int parts) {
    const fattn_args *a = raw;
    char *mine = a->part_scratch + (size_t)part * a->part_bytes;
    block_scratch w = {(float *)mine, (float *)mine + (size_t)a->d * QB, (float *)mine + (size_t)a->d * QB + QB * KT};
    for (int b = part; b < a->kv_heads * a->head_blocks; b += parts) {
        attend_block(a, b % a->kv_heads, b / a->kv_heads * QB, &w);
    }
}

int gw_attention_rows_fma(gw_pool *pool, const float *q, int q_stride, const float *keys, const float *values,
                          int kv_heads, int groups, int head_dim, int capacity, int rows, int position, int window,
                          float scale, float *out) {
    if (pool->isa < ISA_AVX512 || head_dim % 16 != 0 || head_dim > 256) {
        return GW_GEMM_UNAVAILABLE;
    }
    if (rows <= 0) {
        return GW_GEMM_OK;
    }
    int vectors = rows * groups;
    fattn_args a = {.q = q, .q_stride = q_stride, .keys = keys, .values = values, .kv_heads = kv_heads,
                    .groups = groups, .d = head_dim, .capacity = capacity, .position = position,
                    .window = window, .scale = scale, .out = out, .vectors = vectors,
                    .head_blocks = (vectors + QB - 1) / QB, .key_count = position + rows};
    /* keys before the first row's window are seen by no row: not packed */
    a.k_lo = window > 0 && position + 1 > window ? (position + 1 - window) / 32 * 32 : 0;
    a.key_stride = (a.key_count + 31) / 32 * 32 - a.k_lo;
    size_t panel_bytes = (size_t)kv_heads * head_dim * a.key_stride * sizeof(float);
    a.part_bytes = ((size_t)head_dim * QB * 2 + QB * KT) * sizeof(float);
    a.part_bytes = (a.part_bytes + 63) / 64 * 64;
    char *scratch = gw_pool_scratch(pool, panel_bytes + a.part_bytes * (size_t)gw_pool_threads(pool));
    if (scratch == NULL) {
        return GW_GEMM_NO_MEMORY;
    }
    a.panels = (float *)scratch;
    a.part_scratch = scratch + panel_bytes;
    gw_pool_run(pool, pack_keys_part, &a);
    gw_pool_run(pool, attend_part, &a);
    return GW_GEMM_OK;
}

#else

int gw_attention_rows_fma(gw_pool *pool, const float *q, int q_stride, const float *keys, const float *values,
                          int kv_heads, int groups, int head_dim, int capacity, int rows, int position, int window,
                          float scale, float *out) {
    (void)pool, (void)q, (void)q_stride, (void)keys, (void)values, (void)kv_heads, (void)groups, (void)head_dim,
        (void)capacity, (void)rows, (void)position, (void)window, (void)scale, (void)out;
    return GW_GEMM_UNAVAILABLE;
}

#endif
