/*
 * Groundwork's CPU decode kernels: the few loops of a one-token decode step that stream memory (matrix-vector
 * products over the weights, attention over the KV cache) or call expf per element (SwiGLU). Everything else of
 * the step stays in Java (dev.groundwork.model.llm.NativeDecoder).
 *
 * Why native code: libtorch 2.7.1's fp16 matrix-vector kernel streams 37-48 GB/s on the development machine
 * against 51 GB/s of memory bandwidth, and each engine call costs microseconds; see docs/benchmarks.md.
 *
 * All matrices are row-major [rows, cols] as Hugging Face stores them: fp16 (IEEE half), fp32, or int8 with one fp32
 * scale per group of columns (gw_matvec_q8); vectors fp32.
 * A pool owns its worker threads; one caller at a time per pool.
 */
#ifndef GROUNDWORK_KERNELS_H
#define GROUNDWORK_KERNELS_H

#include <stdint.h>

typedef struct gw_pool gw_pool;

enum gw_dtype { GW_F32 = 0, GW_F16 = 1, GW_Q8 = 2 };

/* Instruction sets the kernels are written for, narrowest first. */
enum gw_isa { GW_ISA_SCALAR = 0, GW_ISA_AVX2 = 1, GW_ISA_AVX512 = 2 };

/*
 * A pool of `threads` participants: the caller plus threads - 1 workers that spin briefly between tasks, then sleep.
 * Its kernels use the widest instruction set the processor has, but no wider than `max_isa` (tests run each path).
 */
gw_pool *gw_pool_create(int threads, int max_isa);
void gw_pool_destroy(gw_pool *pool);
int gw_pool_threads(const gw_pool *pool);
int gw_pool_isa(const gw_pool *pool);
/* "avx512", "avx2" or "scalar". */
const char *gw_isa_name(int isa);

/* y[r] = sum_c w[r, c] x[c] for r in [0, rows). */
void gw_matvec(gw_pool *pool, int dtype, const void *w, int rows, int cols, const float *x, float *y);

/*
 * y[r] = sum_g scales[r, g] * sum_{c in g} q[r, c] x[c]: int8 weights [rows, cols] with one fp32 scale per `group`
 * consecutive columns of a row (scales [rows, cols / group]); `group` divides cols.
 */
void gw_matvec_q8(gw_pool *pool, const int8_t *q, const float *scales, int group, int rows, int cols,
                  const float *x, float *y);

/*
 * One query token against positions [from, to) of one layer's cache, stored [kv_heads, capacity, head_dim]:
 * query head h reads key/value head h / groups (grouped-query attention); out = softmax(q k^T * scale) v per head.
 * q and out are [kv_heads * groups, head_dim].
 */
void gw_attention(gw_pool *pool, const float *q, const float *keys, const float *values, int kv_heads, int groups,
                  int head_dim, int capacity, int from, int to, float scale, float *out);

/*
 * The same for `rows` query tokens at positions position, position + 1, ... (a prompt whose keys and values are
 * already in the cache): row r attends causally to [0, position + r], or with window > 0 to its last `window`
 * positions. Row r's heads start at q + r * q_stride; out is [rows, kv_heads * groups, head_dim].
 */
void gw_attention_rows(gw_pool *pool, const float *q, int q_stride, const float *keys, const float *values,
                       int kv_heads, int groups, int head_dim, int capacity, int rows, int position, int window,
                       float scale, float *out);

/* out[i] = silu(gate_up[i]) * gate_up[f + i] for i in [0, f): the SwiGLU of a stacked gate/up product. */
void gw_swiglu(gw_pool *pool, const float *gate_up, int f, float *out);

/* The same for `rows` rows: gate_up [rows, 2f] (each row's gate, then its up), out [rows, f]. */
void gw_swiglu_rows(gw_pool *pool, const float *gate_up, int rows, int f, float *out);

/*
 * Hugging Face's LlamaRMSNorm of `heads` vectors of d floats in each of `rows` rows: head j of row r, at
 * x + r * x_stride + j * d, becomes out[r, j] = x / sqrt(mean(x^2) + eps) * weight[j] (weight [heads, d]: one norm per
 * row is heads = 1, x_stride = d; Qwen3's q/k norm is one per head). out [rows, heads, d]; out may be x when
 * x_stride = heads * d.
 */
void gw_rms_norm_rows(gw_pool *pool, const float *x, int x_stride, int rows, int heads, int d, const float *weight,
                      float eps, float *out);

/*
 * The rotary embedding of `heads` heads of width d in each of `rows` rows: row r's heads start at in + r * in_stride;
 * out is [rows, heads, d]; cos and sin are [rows, d / 2] (the angles of row r's position). For each head,
 * out = x * cos + rotate_half(x) * sin with rotate_half([a, b]) = [-b, a].
 */
void gw_rope_rows(gw_pool *pool, const float *in, int in_stride, int rows, int heads, int d, const float *cos,
                  const float *sin, float *out);

/* Row `row` of a [rows, cols] matrix as fp32. */
void gw_row(int dtype, const void *w, int64_t row, int cols, float *out);
void gw_row_q8(const int8_t *q, const float *scales, int group, int64_t row, int cols, float *out);

/* gw_gemm_amx results. */
enum gw_gemm_result { GW_GEMM_OK = 0, GW_GEMM_UNAVAILABLE = 1, GW_GEMM_NO_MEMORY = 2 };

/* Whether this processor and kernel let gw_gemm_amx run (AMX-BF16 and AVX512-BF16, tile state granted). */
int gw_amx_available(void);

/*
 * y[r, c] = sum_j x[r, j] w[c, j] + bias[c] for r < t, c < n: the products of a prompt on the AMX tile unit. x is fp32
 * [t, k]; w is [n, k] of `dtype` (GW_Q8: with `scales` [n, k / group], group a multiple of 16); bias [n] or NULL; y
 * fp32 [t, n]. passes = 1 multiplies bf16-rounded operands; passes = 3 adds the products of their rounding residues,
 * as accurate as fp16 weights (gemm_amx.c). Returns GW_GEMM_UNAVAILABLE without AMX (y untouched).
 */
int gw_gemm_amx(gw_pool *pool, int dtype, const void *w, const float *scales, int group, int n, int k,
                const float *x, int t, const float *bias, float *y, int passes);

/*
 * gw_gemm_amx's product in fp32 on AVX-512 FMA (gemm_fma.c), for processors without AMX: fp16 and fp32 weights
 * exact in fp32 (int8 times its scale rounded once), each output one fp32 sum. Returns GW_GEMM_UNAVAILABLE (y
 * untouched) where the pool may not use AVX-512 or a GW_Q8 group is not a multiple of 16 dividing k,
 * GW_GEMM_NO_MEMORY when its scratch cannot be had.
 */
int gw_gemm_fma(gw_pool *pool, int dtype, const void *w, const float *scales, int group, int n, int k,
                const float *x, int t, const float *bias, float *y);

/*
 * gw_attention_rows on the AMX tile unit, both of attention's products with operands rounded as gw_gemm_amx's
 * `passes` say (attention_amx.c). Returns GW_GEMM_UNAVAILABLE (out untouched) without AMX or unless head_dim is a
 * multiple of 32 up to 256, GW_GEMM_NO_MEMORY when its scratch cannot be had.
 */
int gw_attention_rows_amx(gw_pool *pool, const float *q, int q_stride, const float *keys, const float *values,
                          int kv_heads, int groups, int head_dim, int capacity, int rows, int position, int window,
                          float scale, float *out, int passes);

/*
 * gw_attention_rows in fp32 on AVX-512 FMA, blocks of query vectors sharing each read of a key or value
 * (attention_fma.c). Returns GW_GEMM_UNAVAILABLE (out untouched) where the pool may not use AVX-512 or unless head_dim
 * is a multiple of 16 up to 256, GW_GEMM_NO_MEMORY when its scratch cannot be had.
 */
int gw_attention_rows_fma(gw_pool *pool, const float *q, int q_stride, const float *keys, const float *values,
                          int kv_heads, int groups, int head_dim, int capacity, int rows, int position, int window,
                          float scale, float *out);

#endif
