// A persistent pool of worker threads for the engine's parallel loops. A token's forward pass
// runs a few hundred loops of tens of microseconds each, so workers spin for a while between loops
// (waking a sleeping thread costs more than a loop) and sleep on a condition variable only after
// a longer idle spell.
#include "internal.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#if PK_HAVE_X86
#include <immintrin.h>
#define PK_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define PK_PAUSE() __asm__ __volatile__("yield")
#else
#define PK_PAUSE() ((void)0)
#endif

/// How long an idle worker spins before it sleeps.
#define PK_SPIN_NANOSECONDS 3000000LL

/// The current loop's state in one word, so that joining, leaving and closing are single atomic
/// steps: generation in the high 32 bits, a "closed" bit, and the number of workers inside.
#define PK_CLOSED (1ULL << 31)
#define PK_COUNT_MASK (PK_CLOSED - 1)
#define PK_GENERATION(state) ((unsigned)((state) >> 32))

struct pk_pool {
    int threads;
    pthread_t *workers;
    /// One loop at a time: callers from several threads take turns.
    pthread_mutex_t run_lock;

    pthread_mutex_t sleep_lock;
    pthread_cond_t wake;
    atomic_int sleeping;
    atomic_bool stop;

    _Atomic uint64_t state;
    pk_task_fn fn;
    void *ctx;
    int ntasks;
    atomic_int next_task;
};

typedef struct {
    pk_pool *pool;
    int index;
} worker_start;

static long long now_nanoseconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void run_tasks(pk_pool *pool, int thread) {
    const pk_task_fn fn = pool->fn;
    void *ctx = pool->ctx;
    const int ntasks = pool->ntasks;
    for (;;) {
        const int task = atomic_fetch_add_explicit(&pool->next_task, 1, memory_order_relaxed);
        if (task >= ntasks) break;
        fn(ctx, task, thread);
    }
}

/// Enters loop `generation` unless the caller already closed it (all its tasks were taken): a
/// worker that was descheduled on a busy machine never holds the caller up.
static int try_join(pk_pool *pool, unsigned generation) {
    uint64_t state = atomic_load_explicit(&pool->state, memory_order_acquire);
    for (;;) {
        if (PK_GENERATION(state) != generation || (state & PK_CLOSED)) return 0;
        if (atomic_compare_exchange_weak_explicit(&pool->state, &state, state + 1, memory_order_acquire,
                                                  memory_order_acquire)) {
            return 1;
        }
    }
}

static void *worker_main(void *argument) {
    worker_start start = *(worker_start *)argument;
    free(argument);
    pk_pool *pool = start.pool;
    unsigned seen = PK_GENERATION(atomic_load(&pool->state));
    for (;;) {
        unsigned current = PK_GENERATION(atomic_load_explicit(&pool->state, memory_order_acquire));
        if (current == seen) {
            const long long deadline = now_nanoseconds() + PK_SPIN_NANOSECONDS;
            int spins = 0;
            while ((current = PK_GENERATION(atomic_load_explicit(&pool->state, memory_order_acquire))) == seen &&
                   !atomic_load_explicit(&pool->stop, memory_order_relaxed)) {
                PK_PAUSE();
                if (++spins % 1024 == 0 && now_nanoseconds() > deadline) break;
            }
            if (current == seen) {
                pthread_mutex_lock(&pool->sleep_lock);
                atomic_fetch_add(&pool->sleeping, 1);
                while ((current = PK_GENERATION(atomic_load(&pool->state))) == seen && !atomic_load(&pool->stop)) {
                    pthread_cond_wait(&pool->wake, &pool->sleep_lock);
                }
                atomic_fetch_sub(&pool->sleeping, 1);
                pthread_mutex_unlock(&pool->sleep_lock);
            }
        }
        if (atomic_load(&pool->stop)) break;
        seen = current;
        if (try_join(pool, current)) {
            run_tasks(pool, start.index);
            atomic_fetch_sub_explicit(&pool->state, 1, memory_order_release);
        }
    }
    return NULL;
}

pk_pool *pk_pool_create(int threads) {
    if (threads < 1) threads = 1;
    pk_pool *pool = calloc(1, sizeof(pk_pool));
    if (!pool) return NULL;
    pool->threads = threads;
    pthread_mutex_init(&pool->run_lock, NULL);
    pthread_mutex_init(&pool->sleep_lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pool->workers = calloc((size_t)threads, sizeof(pthread_t));
    for (int i = 1; i < threads; i++) {
        worker_start *start = malloc(sizeof(worker_start));
        start->pool = pool;
        start->index = i;
        if (pthread_create(&pool->workers[i], NULL, worker_main, start) != 0) {
            // Fewer threads than asked for still computes correctly.
            free(start);
            pool->threads = i;
            break;
        }
    }
    return pool;
}

void pk_pool_destroy(pk_pool *pool) {
    if (!pool) return;
    pthread_mutex_lock(&pool->sleep_lock);
    atomic_store(&pool->stop, 1);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->sleep_lock);
    for (int i = 1; i < pool->threads; i++) pthread_join(pool->workers[i], NULL);
    pthread_mutex_destroy(&pool->run_lock);
    pthread_mutex_destroy(&pool->sleep_lock);
    pthread_cond_destroy(&pool->wake);
    free(pool->workers);
    free(pool);
}

int pk_pool_threads(const pk_pool *pool) { return pool ? pool->threads : 1; }

void pk_pool_run(pk_pool *pool, pk_task_fn fn, void *ctx, int ntasks) {
    if (ntasks <= 0) return;
    if (!pool || pool->threads == 1 || ntasks == 1) {
        for (int i = 0; i < ntasks; i++) fn(ctx, i, 0);
        return;
    }
    pthread_mutex_lock(&pool->run_lock);
    pool->fn = fn;
    pool->ctx = ctx;
    pool->ntasks = ntasks;
    atomic_store_explicit(&pool->next_task, 0, memory_order_relaxed);
    // The previous loop is closed and empty: open the next one.
    const unsigned generation = PK_GENERATION(atomic_load(&pool->state)) + 1;
    atomic_store_explicit(&pool->state, (uint64_t)generation << 32, memory_order_seq_cst);
    if (atomic_load(&pool->sleeping) > 0) {
        pthread_mutex_lock(&pool->sleep_lock);
        pthread_cond_broadcast(&pool->wake);
        pthread_mutex_unlock(&pool->sleep_lock);
    }
    run_tasks(pool, 0);
    // Every task is taken: late workers must not join any more; wait for those inside.
    atomic_fetch_or_explicit(&pool->state, PK_CLOSED, memory_order_acq_rel);
    int spins = 0;
    while ((atomic_load_explicit(&pool->state, memory_order_acquire) & PK_COUNT_MASK) != 0) {
        PK_PAUSE();
        if (++spins % 4096 == 0) sched_yield();
    }
    pthread_mutex_unlock(&pool->run_lock);
}
