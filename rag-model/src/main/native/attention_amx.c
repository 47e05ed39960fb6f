/*
 * A prompt's causal attention on the AMX tile unit, as kernels.h declares for gw_attention_rows_amx.
 *
 * Why: gw_attention_rows scores one query against one key at a time on the vector unit (a dot product, a horizontal
 * sum, then one FMA per key and dimension for the values): for a 2048-token prompt of the Qwen2.5-0.5B shape it took
 * about as long as all of the prompt's products on AMX (docs/benchmarks.md). Here both products of attention are tile
 * products, S = Q·Kᵀ and O = P·V, with the bf16 split of gemm_amx.c (passes = 3: about 16 significant bits).
 *
 * Method, per key/value head: its keys and values up to the last row's position are packed once as B tiles (keys as
 * gemm_amx.c packs a weight's rows; values pair-interleaved by key, which needs no transpose). Then each block of 32
 * query vectors (the heads of that group for consecutive rows, scaled by `scale`) is one A operand: its scores against
 * every key block it may see land in a [32, keys] buffer (L2-resident), a softmax over each vector's own causal (or
 * sliding) range turns them into P, written as bf16 hi/lo A tiles with zeros outside the range, and P·V gives the
 * block's outputs, divided by each row's sum at the end. Blocks are dealt to threads round-robin, as later blocks see
 * more keys.
 */
#define _GNU_SOURCE
#include "amx.h"
#include "fastexp.h"
#include "kernels.h"
#include "pool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef GW_HAVE_AMX

typedef struct {
    const float *q;
    int q_stride;
    const float *keys, *values; /* this head's [capacity, d], from key k_lo */
    int groups, heads, d, rows, position, window;
    int kv; /* which key/value head */
    float scale;
    float *out;
    int passes;
    int k_lo;        /* first packed key, a multiple of 32 */
    int keys_packed; /* keys from k_lo up to the last row's position */
    int key_blocks;  /* of 32 */
    uint16_t *kh, *kl, *vh, *vl; /* packed: [key_blocks][d / 32][2][512] each */
    int width;                   /* floats per row of the score buffer: key_blocks · 32 */
    char *part_scratch;
    size_t part_bytes;
} attention_args;

/* Keys and values of key blocks dealt to this part, packed as B tiles. */
AMX_BF16 static void pack_part(const void *raw, int part, int parts) {
    const attention_args *a = raw;
    int chunks = a->d / BLOCK;
    size_t per_block = (size_t)chunks * 2 * TILE_ELEMS;
    gemm_args keys;
    memset(&keys, 0, sizeof keys);
    keys.dtype = GW_F32;
    keys.w = a->keys;
    keys.n = a->keys_packed;
    keys.k = a->d;
    /* 16-bit index pairs (j, 16 + j): the halves of a split (key 2i's dims, key 2i + 1's) interleaved */
    __m512i pairs = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8, 23, 7, 22, 6, 21, 5,
                                     20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    for (int kb = part; kb < a->key_blocks; kb += parts) {
        amx_pack_w(&keys, kb * BLOCK, 0, chunks, a->kh + kb * per_block, a->kl != NULL ? a->kl + kb * per_block : NULL);
        /* values: tile row i holds, for 16 dimensions n, keys 2i and 2i + 1 as one pair */
        for (int nb = 0; nb < chunks; nb++) {
            for (int half = 0; half < 2; half++) {
                size_t at = kb * per_block + (size_t)(nb * 2 + half) * TILE_ELEMS;
                int dim = nb * BLOCK + 16 * half;
                for (int i = 0; i < 16; i++) {
                    int t = kb * BLOCK + 2 * i;
                    __m512 first = t < a->keys_packed ? _mm512_loadu_ps(a->values + (size_t)t * a->d + dim)
                                                      : _mm512_setzero_ps();
                    __m512 second = t + 1 < a->keys_packed
                                        ? _mm512_loadu_ps(a->values + (size_t)(t + 1) * a->d + dim)
                                        : _mm512_setzero_ps();
                    __m512i lo = _mm512_setzero_si512();
                    __m512i hi = amx_split_bf16(first, second, a->vl != NULL ? &lo : NULL);
                    _mm512_store_si512((__m512i *)(a->vh + at + i * 32), _mm512_permutexvar_epi16(pairs, hi));
                    if (a->vl != NULL) {
                        _mm512_store_si512((__m512i *)(a->vl + at + i * 32), _mm512_permutexvar_epi16(pairs, lo));
                    }
                }
            }
        }
    }
}

/* acc 0-3 += A (hi, lo) · B (hi, lo) with the split's three products, or one when lo is NULL. */
AMX_BF16 static inline __attribute__((always_inline)) void multiply_split(const uint16_t *ah, const uint16_t *al,
                                                                         size_t astride, const uint16_t *bh,
                                                                         const uint16_t *bl, size_t arows) {
    _tile_loadd(4, ah, astride);
    _tile_loadd(5, ah + arows, astride);
    _tile_loadd(6, bh, 64);
    _tile_loadd(7, bh + TILE_ELEMS, 64);
    amx_multiply_tiles();
    if (al == NULL) {
        return;
    }
    _tile_loadd(4, al, astride);
    _tile_loadd(5, al + arows, astride);
    amx_multiply_tiles(); /* A lo · B hi */
    _tile_loadd(4, ah, astride);
    _tile_loadd(5, ah + arows, astride);
    _tile_loadd(6, bl, 64);
    _tile_loadd(7, bl + TILE_ELEMS, 64);
    amx_multiply_tiles(); /* A hi · B lo */
}

/* Softmax of one vector's scores over columns [from, to) of s (n columns), as P row hi/lo; returns the sum. */
AMX_BF16 static float softmax_row(const float *s, int n, int from, int to, uint16_t *ph, uint16_t *pl) {
    __m512 mv = _mm512_set1_ps(-INFINITY);
    __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    for (int c = from & ~15; c < to; c += 16) {
        __m512i col = _mm512_add_epi32(lanes, _mm512_set1_epi32(c));
        __mmask16 m = _mm512_cmpge_epi32_mask(col, _mm512_set1_epi32(from)) &
                      _mm512_cmplt_epi32_mask(col, _mm512_set1_epi32(to));
        mv = _mm512_mask_max_ps(mv, m, mv, _mm512_loadu_ps(s + c));
    }
    __m512 max = _mm512_set1_ps(_mm512_reduce_max_ps(mv));
    __m512 sum = _mm512_setzero_ps();
    for (int c = 0; c < n; c += BLOCK) {
        __m512 e[2];
        for (int half = 0; half < 2; half++) {
            int c0 = c + 16 * half;
            e[half] = _mm512_setzero_ps();
            if (c0 + 16 > from && c0 < to) {
                __m512i col = _mm512_add_epi32(lanes, _mm512_set1_epi32(c0));
                __mmask16 m = _mm512_cmpge_epi32_mask(col, _mm512_set1_epi32(from)) &
                              _mm512_cmplt_epi32_mask(col, _mm512_set1_epi32(to));
                e[half] = _mm512_maskz_mov_ps(m, exp16(_mm512_sub_ps(_mm512_loadu_ps(s + c0), max)));
                sum = _mm512_add_ps(sum, e[half]);
            }
        }
        __m512i lo = _mm512_setzero_si512();
        _mm512_storeu_si512((__m512i *)(ph + c), amx_split_bf16(e[0], e[1], pl != NULL ? &lo : NULL));
        if (pl != NULL) {
            _mm512_storeu_si512((__m512i *)(pl + c), lo);
        }
    }
    return _mm512_reduce_add_ps(sum);
}

/* Query blocks b ≡ part (mod parts) of this head: 32 vectors (row r, head g of the group) each. */
AMX_BF16 static void query_part(const void *raw, int part, int parts) {
    const attention_args *a = raw;
    int d = a->d, chunks = d / BLOCK, split = a->passes == 3;
    int vectors = a->rows * a->groups;
    int qs = d + BLOCK;           /* bf16 per Q row (padded: rows 4 KiB apart would share cache sets) */
    int ps = a->width + BLOCK;    /* bf16 per P row */
    char *scratch = a->part_scratch + (size_t)part * a->part_bytes;
    float *s = (float *)scratch;                                    /* [32, width] scores */
    uint16_t *qh = (uint16_t *)(s + (size_t)BLOCK * a->width);      /* [32, qs] */
    uint16_t *ql = qh + (size_t)BLOCK * qs;                         /* [32, qs] */
    uint16_t *ph = ql + (size_t)BLOCK * qs;                         /* [32, ps] */
    uint16_t *pl = ph + (size_t)BLOCK * ps;                         /* [32, ps] */
    float o[BLOCK * BLOCK] __attribute__((aligned(64)));
    float sums[BLOCK];
    size_t per_block = (size_t)chunks * 2 * TILE_ELEMS;
    amx_configure_tiles();
    for (int b = part; b * BLOCK < vectors; b += parts) {
        int v0 = b * BLOCK, v1 = v0 + BLOCK < vectors ? v0 + BLOCK : vectors;
        /* Q: this block's vectors, scaled, as bf16 hi/lo rows; rows past the last vector are zero */
        for (int i = 0; i < BLOCK; i++) {
            const float *q = NULL;
            if (v0 + i < v1) {
                int r = (v0 + i) / a->groups, h = a->kv * a->groups + (v0 + i) % a->groups;
                q = a->q + (size_t)r * a->q_stride + (size_t)h * d;
            }
            for (int c = 0; c < d; c += BLOCK) {
                __m512 f0 = _mm512_setzero_ps(), f1 = _mm512_setzero_ps();
                if (q != NULL) {
                    f0 = _mm512_mul_ps(_mm512_loadu_ps(q + c), _mm512_set1_ps(a->scale));
                    f1 = _mm512_mul_ps(_mm512_loadu_ps(q + c + 16), _mm512_set1_ps(a->scale));
                }
                __m512i lo = _mm512_setzero_si512();
                _mm512_storeu_si512((__m512i *)(qh + (size_t)i * qs + c), amx_split_bf16(f0, f1, split ? &lo : NULL));
                if (split) {
                    _mm512_storeu_si512((__m512i *)(ql + (size_t)i * qs + c), lo);
                }
            }
        }
        /* the key blocks any of these rows sees, [kb0, kb1) of the packed ones */
        int r_first = v0 / a->groups, r_last = (v1 - 1) / a->groups;
        int last_key = a->position + r_last; /* inclusive, absolute */
        int kb1 = (last_key - a->k_lo) / BLOCK + 1;
        int kb0 = 0;
        if (a->window > 0) {
            int first_key = a->position + r_first + 1 - a->window;
            kb0 = first_key > a->k_lo ? (first_key - a->k_lo) / BLOCK : 0;
        }
        int n = (kb1 - kb0) * BLOCK;
        /* S = Q·Kᵀ */
        size_t qstride = (size_t)qs * sizeof(uint16_t);
        for (int kb = kb0; kb < kb1; kb++) {
            amx_zero_accumulators();
            for (int c = 0; c < chunks; c++) {
                size_t w = kb * per_block + (size_t)c * 2 * TILE_ELEMS;
                multiply_split(qh + c * BLOCK, split ? ql + c * BLOCK : NULL, qstride, a->kh + w,
                               split ? a->kl + w : NULL, (size_t)16 * qs);
            }
            amx_store_accumulators(s + (kb - kb0) * BLOCK, (size_t)a->width);
        }
        /* P = softmax over each vector's own keys; column c is key k_lo + kb0·32 + c */
        int key0 = a->k_lo + kb0 * BLOCK;
        for (int i = 0; i < BLOCK; i++) {
            if (v0 + i >= v1) {
                memset(ph + (size_t)i * ps, 0, (size_t)n * sizeof(uint16_t));
                if (split) {
                    memset(pl + (size_t)i * ps, 0, (size_t)n * sizeof(uint16_t));
                }
                sums[i] = 1;
                continue;
            }
            int to = a->position + (v0 + i) / a->groups + 1; /* exclusive, absolute */
            int from = a->window > 0 && to - a->window > 0 ? to - a->window : 0;
            sums[i] = softmax_row(s + (size_t)i * a->width, n, from - key0, to - key0, ph + (size_t)i * ps,
                                  split ? pl + (size_t)i * ps : NULL);
        }
        /* O = P·V, 32 dimensions at a time */
        size_t pstride = (size_t)ps * sizeof(uint16_t);
        for (int nb = 0; nb < chunks; nb++) {
            amx_zero_accumulators();
            for (int kb = kb0; kb < kb1; kb++) {
                size_t w = kb * per_block + (size_t)nb * 2 * TILE_ELEMS;
                int c = (kb - kb0) * BLOCK;
                multiply_split(ph + c, split ? pl + c : NULL, pstride, a->vh + w, split ? a->vl + w : NULL,
                               (size_t)16 * ps);
            }
            amx_store_accumulators(o, BLOCK);
            for (int i = 0; i < v1 - v0; i++) {
                int r = (v0 + i) / a->groups, h = a->kv * a->groups + (v0 + i) % a->groups;
                float *y = a->out + ((size_t)r * a->heads + h) * d + nb * BLOCK;
                __m512 inv = _mm512_set1_ps(1.0f / sums[i]);
                _mm512_storeu_ps(y, _mm512_mul_ps(_mm512_load_ps(o + i * BLOCK), inv));
                _mm512_storeu_ps(y + 16, _mm512_mul_ps(_mm512_load_ps(o + i * BLOCK + 16), inv));
            }
        }
    }
    _tile_release();
}

int gw_attention_rows_amx(gw_pool *pool, const float *q, int q_stride, const float *keys, const float *values,
                          int kv_heads, int groups, int head_dim, int capacity, int rows, int position, int window,
                          float scale, float *out, int passes) {
    if (!gw_amx_available() || pool->isa < ISA_AVX512 || head_dim % BLOCK != 0 || head_dim > 256 || rows <= 0) {
        return GW_GEMM_UNAVAILABLE;
    }
    attention_args a;
    memset(&a, 0, sizeof a);
    a.q = q;
    a.q_stride = q_stride;
    a.groups = groups;
    a.heads = kv_heads * groups;
    a.d = head_dim;
    a.rows = rows;
    a.position = position;
    a.window = window;
    a.scale = scale;
    a.out = out;
    a.passes = passes == 3 ? 3 : 1;
    int first = window > 0 && position + 1 - window > 0 ? position + 1 - window : 0;
    a.k_lo = first / BLOCK * BLOCK;
    a.keys_packed = position + rows - a.k_lo;
    a.key_blocks = (a.keys_packed + BLOCK - 1) / BLOCK;
    a.width = a.key_blocks * BLOCK;
    size_t packed = (size_t)a.key_blocks * BLOCK * head_dim * sizeof(uint16_t); /* one of kh, kl, vh, vl */
    int parts = gw_pool_threads(pool);
    a.part_bytes = (size_t)BLOCK * a.width * sizeof(float) + 2 * (size_t)BLOCK * (head_dim + BLOCK) * sizeof(uint16_t) +
                   2 * (size_t)BLOCK * (a.width + BLOCK) * sizeof(uint16_t);
    a.part_bytes = (a.part_bytes + 63) / 64 * 64;
    char *scratch = gw_pool_scratch(pool, 4 * packed + a.part_bytes * (size_t)parts);
    if (scratch == NULL) {
        return GW_GEMM_NO_MEMORY;
    }
    a.kh = (uint16_t *)scratch;
    a.vh = (uint16_t *)(scratch + packed);
    a.kl = a.passes == 3 ? (uint16_t *)(scratch + 2 * packed) : NULL;
    a.vl = a.passes == 3 ? (uint16_t *)(scratch + 3 * packed) : NULL;
    a.part_scratch = scratch + 4 * packed;
    for (int kv = 0; kv < kv_heads; kv++) {
        a.kv = kv;
        a.keys = keys + ((size_t)kv * capacity + a.k_lo) * head_dim;
        a.values = values + ((size_t)kv * capacity + a.k_lo) * head_dim;
        gw_pool_run(pool, pack_part, &a);
        gw_pool_run(pool, query_part, &a);
    }
    return GW_GEMM_OK;
}

#else

int gw_attention_rows_amx(gw_pool *pool, const float *q, int q_stride, const float *keys, const float *values,
                          int kv_heads, int groups, int head_dim, int capacity, int rows, int position, int window,
                          float scale, float *out, int passes) {
    (void)pool, (void)q, (void)q_stride, (void)keys, (void)values, (void)kv_heads, (void)groups, (void)head_dim,
        (void)capacity, (void)rows, (void)position, (void)window, (void)scale, (void)out, (void)passes;
    return GW_GEMM_UNAVAILABLE;
}

#endif
