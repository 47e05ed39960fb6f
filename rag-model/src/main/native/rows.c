/*
 * Row-wise steps of a prompt (prefill) between its products: RMSNorm and the rotary embedding over T rows at once,
 * as kernels.h declares. The engine computes each as five or six whole-array operations, each allocating its
 * result; for a 512-token prompt of the Qwen2.5-0.5B shape norms, rotary embeddings and the head together took
 * about 0.24 s of 1.33 (docs/benchmarks.md).
 * Plain C with `omp simd` loops: the compiler vectorises them, and each row is a few thousand floats.
 */
#define _GNU_SOURCE
#include "kernels.h"
#include "pool.h"

#include <math.h>
#include <stddef.h>

typedef struct {
    const float *x;
    int x_stride, rows, heads, n;
    const float *weight;
    float eps;
    float *out;
} rms_args;

static void rms_part(const void *raw, int part, int parts) {
    const rms_args *a = raw;
    int i0, i1;
    gw_split(a->rows * a->heads, part, parts, 1, &i0, &i1);
    for (int item = i0; item < i1; item++) {
        int r = item / a->heads, h = item % a->heads;
        const float *x = a->x + (size_t)r * a->x_stride + (size_t)h * a->n;
        const float *weight = a->weight + (size_t)h * a->n;
        float *out = a->out + (size_t)item * a->n;
        double sum = 0; /* as NativeDecoder: the mean of squares in double, the rest in float */
#pragma omp simd reduction(+ : sum)
        for (int i = 0; i < a->n; i++) {
            sum += (double)x[i] * x[i];
        }
        float rms = sqrtf((float)(sum / a->n) + a->eps);
#pragma omp simd
        for (int i = 0; i < a->n; i++) {
            out[i] = x[i] / rms * weight[i];
        }
    }
}

void gw_rms_norm_rows(gw_pool *pool, const float *x, int x_stride, int rows, int heads, int d, const float *weight,
                      float eps, float *out) {
    rms_args a = {x, x_stride, rows, heads, d, weight, eps, out};
    gw_pool_run(pool, rms_part, &a);
}

typedef struct {
    const float *in;
    int in_stride, rows, heads, d;
    const float *cos, *sin;
    float *out;
} rope_args;

static void rope_part(const void *raw, int part, int parts) {
    const rope_args *a = raw;
    int r0, r1;
    gw_split(a->rows, part, parts, 1, &r0, &r1);
    int half = a->d / 2;
    for (int r = r0; r < r1; r++) {
        const float *c = a->cos + (size_t)r * half, *s = a->sin + (size_t)r * half;
        for (int h = 0; h < a->heads; h++) {
            const float *x = a->in + (size_t)r * a->in_stride + (size_t)h * a->d;
            float *o = a->out + ((size_t)r * a->heads + h) * a->d;
#pragma omp simd
            for (int i = 0; i < half; i++) {
                float first = x[i], second = x[half + i];
                o[i] = first * c[i] - second * s[i];
                o[half + i] = second * c[i] + first * s[i];
            }
        }
    }
}

void gw_rope_rows(gw_pool *pool, const float *in, int in_stride, int rows, int heads, int d, const float *cos,
                  const float *sin, float *out) {
    rope_args a = {in, in_stride, rows, heads, d, cos, sin, out};
    gw_pool_run(pool, rope_part, &a);
}
