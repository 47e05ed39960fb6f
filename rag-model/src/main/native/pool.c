/*
 * The kernels' thread pool (pool.h) and the choice of instruction set. Workers spin for SPIN_NS after a task (a
 * decode step issues a task every few microseconds, and waking a sleeping thread costs tens of them), then sleep on
 * a condition variable until the next one.
 */
#define _GNU_SOURCE
#include "pool.h"

#include <immintrin.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static enum isa detect_isa(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) {
        return ISA_AVX512;
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) {
        return ISA_AVX2;
    }
#endif
    return ISA_SCALAR;
}

static enum isa current_isa(void) {
    static _Atomic int cached = -1; /* a pure function of the processor: computing it twice is harmless */
    int v = atomic_load(&cached);
    if (v < 0) {
        v = (int)detect_isa();
        atomic_store(&cached, v);
    }
    return (enum isa)v;
}

const char *gw_isa_name(int isa) {
    switch (isa) {
    case ISA_AVX512:
        return "avx512";
    case ISA_AVX2:
        return "avx2";
    default:
        return "scalar";
    }
}

#define SPIN_NS 200000L


typedef struct {
    gw_pool *pool;
    int part;
} worker_start;

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
}

static void *worker_main(void *raw) {
    worker_start start = *(worker_start *)raw;
    free(raw);
    gw_pool *p = start.pool;
    uint64_t seen = 0;
    for (;;) {
        uint64_t g;
        long spin_until = now_ns() + SPIN_NS;
        int spins = 0;
        while ((g = atomic_load(&p->generation)) == seen) {
            if (atomic_load(&p->stop)) {
                return NULL;
            }
            cpu_relax();
            if ((++spins & 255) == 0 && now_ns() > spin_until) {
                pthread_mutex_lock(&p->mutex);
                atomic_fetch_add(&p->sleepers, 1);
                /* seq_cst: either the submitter sees this sleeper, or this check sees its new generation */
                while (atomic_load(&p->generation) == seen && !atomic_load(&p->stop)) {
                    pthread_cond_wait(&p->wake, &p->mutex);
                }
                atomic_fetch_sub(&p->sleepers, 1);
                pthread_mutex_unlock(&p->mutex);
                spin_until = now_ns() + SPIN_NS;
            }
        }
        seen = g;
        p->fn(p->arg, start.part, p->threads);
        atomic_fetch_add(&p->done, 1);
    }
}

gw_pool *gw_pool_create(int threads, int max_isa) {
    if (threads < 1) {
        threads = 1;
    }
    gw_pool *p = calloc(1, sizeof(gw_pool));
    if (p == NULL) {
        return NULL;
    }
    p->threads = threads;
    p->isa = max_isa < (int)current_isa() ? max_isa : (int)current_isa();
    pthread_mutex_init(&p->mutex, NULL);
    pthread_cond_init(&p->wake, NULL);
    p->workers = calloc((size_t)threads, sizeof(pthread_t));
    for (int i = 1; i < threads; i++) {
        worker_start *s = malloc(sizeof(worker_start));
        if (s != NULL) {
            s->pool = p;
            s->part = i;
        }
        if (s == NULL || pthread_create(&p->workers[i], NULL, worker_main, s) != 0) {
            free(s);
            p->threads = i; /* run with the workers that did start */
            break;
        }
        pthread_setname_np(p->workers[i], "groundwork-decode");
    }
    return p;
}

void gw_pool_destroy(gw_pool *p) {
    if (p == NULL) {
        return;
    }
    pthread_mutex_lock(&p->mutex);
    atomic_store(&p->stop, 1);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mutex);
    for (int i = 1; i < p->threads; i++) {
        pthread_join(p->workers[i], NULL);
    }
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->mutex);
    free(p->scratch);
    free(p->workers);
    free(p);
}

int gw_pool_threads(const gw_pool *p) {
    return p->threads;
}

int gw_pool_isa(const gw_pool *p) {
    return p->isa;
}

void gw_pool_run(gw_pool *p, gw_task_fn fn, const void *arg) {
    if (p->threads == 1) {
        fn(arg, 0, 1);
        return;
    }
    p->fn = fn;
    p->arg = arg;
    atomic_store(&p->done, 0);
    atomic_fetch_add(&p->generation, 1);
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->mutex);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->mutex);
    }
    fn(arg, 0, p->threads);
    while (atomic_load(&p->done) < p->threads - 1) {
        cpu_relax();
    }
}

void gw_split(int n, int part, int parts, int align, int *begin, int *end) {
    int blocks = (n + align - 1) / align;
    int b0 = (int)((int64_t)blocks * part / parts);
    int b1 = (int)((int64_t)blocks * (part + 1) / parts);
    *begin = b0 * align < n ? b0 * align : n;
    *end = b1 * align < n ? b1 * align : n;
}

void *gw_pool_scratch(gw_pool *p, size_t bytes) {
    if (bytes > p->scratch_bytes) {
        size_t size = (bytes + 63) / 64 * 64;
        void *m = aligned_alloc(64, size);
        if (m == NULL) {
            return NULL;
        }
        free(p->scratch);
        p->scratch = m;
        p->scratch_bytes = size;
    }
    return p->scratch;
}
