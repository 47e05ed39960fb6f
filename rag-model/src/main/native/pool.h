/*
 * The thread pool the kernels run on (internal to the library; kernels.h has the public functions). A task is a
 * function called once per part, part 0 on the caller's thread and each other part on one worker; gw_pool_run
 * returns when every part has finished.
 */
#ifndef GROUNDWORK_POOL_H
#define GROUNDWORK_POOL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "kernels.h"

typedef void (*gw_task_fn)(const void *arg, int part, int parts);

enum isa { ISA_SCALAR = GW_ISA_SCALAR, ISA_AVX2 = GW_ISA_AVX2, ISA_AVX512 = GW_ISA_AVX512 };

struct gw_pool {
    int threads;
    int isa; /* enum isa: the widest instruction set the kernels may use */
    pthread_t *workers;
    gw_task_fn fn;
    const void *arg;
    _Atomic uint64_t generation; /* incremented once per task; workers run each generation once */
    _Atomic int done;            /* workers finished with the current generation */
    _Atomic int sleepers;
    _Atomic int stop;
    pthread_mutex_t mutex;
    pthread_cond_t wake;
    void *scratch; /* gw_pool_scratch's memory */
    size_t scratch_bytes;
};

/* Runs fn(arg, part, threads) for every part, part 0 on the calling thread; returns when all have returned. */
void gw_pool_run(gw_pool *pool, gw_task_fn fn, const void *arg);

/* [begin, end) of `n` items for `part` of `parts`, in multiples of `align` but the last. */
void gw_split(int n, int part, int parts, int align, int *begin, int *end);

/*
 * At least `bytes` of 64-byte aligned memory owned by the pool, valid until the next call or gw_pool_destroy:
 * scratch for one task at a time (a pool has one caller at a time). Grows, never shrinks; NULL when out of memory.
 */
void *gw_pool_scratch(gw_pool *pool, size_t bytes);

#endif
