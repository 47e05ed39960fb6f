/*
 * JNI bindings of dev.groundwork.model.llm.NativeKernels. Java float[] arguments are pinned with
 * Get/ReleasePrimitiveArrayCritical for the duration of one kernel: the kernels make no JNI call and never block on
 * a Java thread, so the pin is short. Matrices and the KV cache are passed as addresses of direct buffers whose
 * owner (the model) outlives every call.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernels.h"

#define HUGE_PAGE (2L << 20)

#define JNI_FN(name) Java_dev_groundwork_model_llm_NativeKernels_##name

/*
 * libtorch's OpenMP workers spin after each engine operation, by default for GOMP_SPINCOUNT = 300000 pauses (several
 * milliseconds), on the cores the AMX prompt products that follow need: a 512-token prefill took 1.9 s with the
 * default and 1.24 s with 30000, while the engine's own products did not change (docs/benchmarks.md). libgomp reads
 * the setting once, when it is loaded with the PyTorch engine, so CausalLm loads this library first. A value the
 * user set (or OMP_WAIT_POLICY) is kept.
 */
JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)vm;
    (void)reserved;
    if (getenv("GOMP_SPINCOUNT") == NULL && getenv("OMP_WAIT_POLICY") == NULL) {
        setenv("GOMP_SPINCOUNT", "30000", 0);
    }
    return JNI_VERSION_1_8;
}

JNIEXPORT jstring JNICALL JNI_FN(isaName)(JNIEnv *env, jclass cls, jint isa) {
    (void)cls;
    return (*env)->NewStringUTF(env, gw_isa_name(isa));
}

JNIEXPORT jlong JNICALL JNI_FN(poolCreate)(JNIEnv *env, jclass cls, jint threads, jint maxIsa) {
    (void)env;
    (void)cls;
    return (jlong)(intptr_t)gw_pool_create(threads, maxIsa);
}

JNIEXPORT jint JNICALL JNI_FN(poolIsa)(JNIEnv *env, jclass cls, jlong pool) {
    (void)env;
    (void)cls;
    return gw_pool_isa((gw_pool *)(intptr_t)pool);
}

JNIEXPORT jint JNICALL JNI_FN(poolThreads)(JNIEnv *env, jclass cls, jlong pool) {
    (void)env;
    (void)cls;
    return gw_pool_threads((gw_pool *)(intptr_t)pool);
}

JNIEXPORT void JNICALL JNI_FN(poolDestroy)(JNIEnv *env, jclass cls, jlong pool) {
    (void)env;
    (void)cls;
    gw_pool_destroy((gw_pool *)(intptr_t)pool);
}

/*
 * Zeroed memory aligned to 2 MiB and advised for transparent huge pages before it is touched: a decode step streams
 * every weight once, and with 4 KiB pages the TLB misses cost a quarter of the bandwidth (docs/benchmarks.md). Fresh
 * anonymous pages, zero until written: pages the caller never touches take no memory (WeightArena leaves the end of
 * a slab unused). Returns null when the memory cannot be had.
 */
JNIEXPORT jobject JNICALL JNI_FN(allocate)(JNIEnv *env, jclass cls, jlong bytes) {
    (void)cls;
    size_t size = ((size_t)bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    if (size == 0) {
        size = HUGE_PAGE;
    }
    /* map a huge page more than asked, then unmap what lies before the first 2 MiB boundary and after the end */
    char *raw = mmap(NULL, size + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) {
        return NULL;
    }
    size_t head = (HUGE_PAGE - (uintptr_t)raw % HUGE_PAGE) % HUGE_PAGE;
    char *p = raw + head;
    if (head > 0) {
        munmap(raw, head);
    }
    munmap(p + size, HUGE_PAGE - head); /* never empty: head < HUGE_PAGE */
    madvise(p, size, MADV_HUGEPAGE); /* advice only: without THP the memory still works */
    jobject buffer = (*env)->NewDirectByteBuffer(env, p, bytes);
    if (buffer == NULL) {
        munmap(p, size);
    }
    return buffer;
}

JNIEXPORT void JNICALL JNI_FN(release)(JNIEnv *env, jclass cls, jobject buffer) {
    (void)cls;
    size_t size = ((size_t)(*env)->GetDirectBufferCapacity(env, buffer) + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    munmap((*env)->GetDirectBufferAddress(env, buffer), size == 0 ? HUGE_PAGE : size);
}

JNIEXPORT jlong JNICALL JNI_FN(address)(JNIEnv *env, jclass cls, jobject buffer) {
    (void)cls;
    return (jlong)(intptr_t)(*env)->GetDirectBufferAddress(env, buffer);
}

JNIEXPORT void JNICALL JNI_FN(matVec)(JNIEnv *env, jclass cls, jlong pool, jint dtype, jlong w, jint rows, jint cols,
                                      jfloatArray x, jfloatArray y) {
    (void)cls;
    float *xs = (*env)->GetPrimitiveArrayCritical(env, x, NULL);
    float *ys = (*env)->GetPrimitiveArrayCritical(env, y, NULL);
    gw_matvec((gw_pool *)(intptr_t)pool, dtype, (const void *)(intptr_t)w, rows, cols, xs, ys);
    (*env)->ReleasePrimitiveArrayCritical(env, y, ys, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, x, xs, JNI_ABORT);
}

JNIEXPORT void JNICALL JNI_FN(matVecQ8)(JNIEnv *env, jclass cls, jlong pool, jlong q, jlong scales, jint group,
                                        jint rows, jint cols, jfloatArray x, jfloatArray y) {
    (void)cls;
    float *xs = (*env)->GetPrimitiveArrayCritical(env, x, NULL);
    float *ys = (*env)->GetPrimitiveArrayCritical(env, y, NULL);
    gw_matvec_q8((gw_pool *)(intptr_t)pool, (const int8_t *)(intptr_t)q, (const float *)(intptr_t)scales, group,
                 rows, cols, xs, ys);
    (*env)->ReleasePrimitiveArrayCritical(env, y, ys, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, x, xs, JNI_ABORT);
}

JNIEXPORT void JNICALL JNI_FN(rowQ8)(JNIEnv *env, jclass cls, jlong q, jlong scales, jint group, jlong row,
                                     jint cols, jfloatArray out) {
    (void)cls;
    float *os = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    gw_row_q8((const int8_t *)(intptr_t)q, (const float *)(intptr_t)scales, group, row, cols, os);
    (*env)->ReleasePrimitiveArrayCritical(env, out, os, 0);
}

JNIEXPORT void JNICALL JNI_FN(attention)(JNIEnv *env, jclass cls, jlong pool, jfloatArray q, jlong keys,
                                         jlong values, jint kvHeads, jint groups, jint headDim, jint capacity,
                                         jint from, jint to, jfloat scale, jfloatArray out) {
    (void)cls;
    float *qs = (*env)->GetPrimitiveArrayCritical(env, q, NULL);
    float *os = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    gw_attention((gw_pool *)(intptr_t)pool, qs, (const float *)(intptr_t)keys, (const float *)(intptr_t)values,
                 kvHeads, groups, headDim, capacity, from, to, scale, os);
    (*env)->ReleasePrimitiveArrayCritical(env, out, os, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, q, qs, JNI_ABORT);
}

JNIEXPORT void JNICALL JNI_FN(swiglu)(JNIEnv *env, jclass cls, jlong pool, jfloatArray gateUp, jint f,
                                      jfloatArray out) {
    (void)cls;
    float *gs = (*env)->GetPrimitiveArrayCritical(env, gateUp, NULL);
    float *os = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    gw_swiglu((gw_pool *)(intptr_t)pool, gs, f, os);
    (*env)->ReleasePrimitiveArrayCritical(env, out, os, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, gateUp, gs, JNI_ABORT);
}

JNIEXPORT void JNICALL JNI_FN(row)(JNIEnv *env, jclass cls, jint dtype, jlong w, jlong row, jint cols,
                                   jfloatArray out) {
    (void)cls;
    float *os = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    gw_row(dtype, (const void *)(intptr_t)w, row, cols, os);
    (*env)->ReleasePrimitiveArrayCritical(env, out, os, 0);
}

JNIEXPORT jboolean JNICALL JNI_FN(amxAvailable)(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return gw_amx_available() ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jint JNICALL JNI_FN(gemmAmx)(JNIEnv *env, jclass cls, jlong pool, jint dtype, jlong w, jlong scales,
                                       jint group, jint n, jint k, jlong x, jint t, jlong bias, jlong y,
                                       jint passes) {
    (void)env;
    (void)cls;
    return gw_gemm_amx((gw_pool *)(intptr_t)pool, dtype, (const void *)(intptr_t)w, (const float *)(intptr_t)scales,
                       group, n, k, (const float *)(intptr_t)x, t, (const float *)(intptr_t)bias,
                       (float *)(intptr_t)y, passes);
}

JNIEXPORT jint JNICALL JNI_FN(gemmFma)(JNIEnv *env, jclass cls, jlong pool, jint dtype, jlong w, jlong scales,
                                       jint group, jint n, jint k, jlong x, jint t, jlong bias, jlong y) {
    (void)env;
    (void)cls;
    return gw_gemm_fma((gw_pool *)(intptr_t)pool, dtype, (const void *)(intptr_t)w, (const float *)(intptr_t)scales,
                       group, n, k, (const float *)(intptr_t)x, t, (const float *)(intptr_t)bias,
                       (float *)(intptr_t)y);
}

JNIEXPORT jint JNICALL JNI_FN(attentionRowsFma)(JNIEnv *env, jclass cls, jlong pool, jlong q, jint qStride,
                                                jlong keys, jlong values, jint kvHeads, jint groups, jint headDim,
                                                jint capacity, jint rows, jint position, jint window, jfloat scale,
                                                jlong out) {
    (void)env;
    (void)cls;
    return gw_attention_rows_fma((gw_pool *)(intptr_t)pool, (const float *)(intptr_t)q, qStride,
                                 (const float *)(intptr_t)keys, (const float *)(intptr_t)values, kvHeads, groups,
                                 headDim, capacity, rows, position, window, scale, (float *)(intptr_t)out);
}

JNIEXPORT void JNICALL JNI_FN(swigluRows)(JNIEnv *env, jclass cls, jlong pool, jlong gateUp, jint rows, jint f,
                                          jlong out) {
    (void)env;
    (void)cls;
    gw_swiglu_rows((gw_pool *)(intptr_t)pool, (const float *)(intptr_t)gateUp, rows, f, (float *)(intptr_t)out);
}

JNIEXPORT void JNICALL JNI_FN(attentionRows)(JNIEnv *env, jclass cls, jlong pool, jlong q, jint qStride, jlong keys,
                                             jlong values, jint kvHeads, jint groups, jint headDim, jint capacity,
                                             jint rows, jint position, jint window, jfloat scale, jlong out) {
    (void)env;
    (void)cls;
    gw_attention_rows((gw_pool *)(intptr_t)pool, (const float *)(intptr_t)q, qStride, (const float *)(intptr_t)keys,
                      (const float *)(intptr_t)values, kvHeads, groups, headDim, capacity, rows, position, window,
                      scale, (float *)(intptr_t)out);
}

JNIEXPORT jint JNICALL JNI_FN(attentionRowsAmx)(JNIEnv *env, jclass cls, jlong pool, jlong q, jint qStride,
                                                jlong keys, jlong values, jint kvHeads, jint groups, jint headDim,
                                                jint capacity, jint rows, jint position, jint window, jfloat scale,
                                                jlong out, jint passes) {
    (void)env;
    (void)cls;
    return gw_attention_rows_amx((gw_pool *)(intptr_t)pool, (const float *)(intptr_t)q, qStride,
                                 (const float *)(intptr_t)keys, (const float *)(intptr_t)values, kvHeads, groups,
                                 headDim, capacity, rows, position, window, scale, (float *)(intptr_t)out, passes);
}

JNIEXPORT void JNICALL JNI_FN(rmsNormRows)(JNIEnv *env, jclass cls, jlong pool, jlong x, jint xStride, jint rows,
                                           jint heads, jint d, jlong weight, jfloat eps, jlong out) {
    (void)env;
    (void)cls;
    gw_rms_norm_rows((gw_pool *)(intptr_t)pool, (const float *)(intptr_t)x, xStride, rows, heads, d,
                     (const float *)(intptr_t)weight, eps, (float *)(intptr_t)out);
}

JNIEXPORT void JNICALL JNI_FN(ropeRows)(JNIEnv *env, jclass cls, jlong pool, jlong in, jint inStride, jint rows,
                                        jint heads, jint d, jfloatArray cos, jfloatArray sin, jlong out) {
    (void)cls;
    float *c = (*env)->GetPrimitiveArrayCritical(env, cos, NULL);
    float *s = (*env)->GetPrimitiveArrayCritical(env, sin, NULL);
    gw_rope_rows((gw_pool *)(intptr_t)pool, (const float *)(intptr_t)in, inStride, rows, heads, d, c, s,
                 (float *)(intptr_t)out);
    (*env)->ReleasePrimitiveArrayCritical(env, sin, s, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, cos, c, JNI_ABORT);
}
