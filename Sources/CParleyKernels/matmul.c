// Matrix products over quantised weights, spread over the pool's threads by rows. Activations are
// quantised once per product (to Q8_0 or Q8_1 blocks) so that the inner loops are integer dot
// products; with several tokens (a prompt), each weight row is read once for a whole tile of them.
#include "internal.h"

typedef float (*dot_fn)(int, const void *, const void *, ptrdiff_t);

typedef struct {
    int type;
    const uint8_t *weights;
    size_t weight_row_bytes;
    ptrdiff_t rows, cols;
    const float *x;
    ptrdiff_t x_stride;
    uint8_t *activations;
    size_t activation_row_bytes;
    ptrdiff_t ntok;
    float *y;
    ptrdiff_t y_stride;
    ptrdiff_t rows_per_task;
    dot_fn dot;
#if PK_HAVE_X86
    pk_gemm_fn gemm;
#endif
} matmul_job;

/// Tokens multiplied with one weight row while it is in cache.
#define PK_TOKEN_TILE 32

static void prepare_task(void *ctx, int task, int thread) {
    (void)thread;
    matmul_job *job = ctx;
    pk_prepare_activations(job->type, job->x + (ptrdiff_t)task * job->x_stride,
                           job->activations + (size_t)task * job->activation_row_bytes, job->cols);
}

static void multiply_task(void *ctx, int task, int thread) {
    (void)thread;
    const matmul_job *job = ctx;
    const ptrdiff_t first = (ptrdiff_t)task * job->rows_per_task;
    ptrdiff_t last = first + job->rows_per_task;
    if (last > job->rows) last = job->rows;
#if PK_HAVE_X86
    // Several tokens: register tiles of rows times tokens, a token tile at a time.
    if (job->gemm && job->ntok > 1) {
        for (ptrdiff_t t0 = 0; t0 < job->ntok; t0 += PK_TOKEN_TILE) {
            const ptrdiff_t t1 = t0 + PK_TOKEN_TILE < job->ntok ? t0 + PK_TOKEN_TILE : job->ntok;
            if (!job->gemm(job->type, job->weights, job->weight_row_bytes, first, last, job->activations,
                           job->activation_row_bytes, t0, t1, job->y, job->y_stride, job->cols)) {
                break;
            }
            if (t1 == job->ntok) return;
        }
    }
#endif
    for (ptrdiff_t t0 = 0; t0 < job->ntok; t0 += PK_TOKEN_TILE) {
        const ptrdiff_t t1 = t0 + PK_TOKEN_TILE < job->ntok ? t0 + PK_TOKEN_TILE : job->ntok;
        for (ptrdiff_t r = first; r < last; r++) {
            const uint8_t *row = job->weights + (size_t)r * job->weight_row_bytes;
            for (ptrdiff_t t = t0; t < t1; t++) {
                job->y[t * job->y_stride + r] =
                    job->dot(job->type, row, job->activations + (size_t)t * job->activation_row_bytes, job->cols);
            }
        }
    }
}

static float dot_dispatch(int type, const void *w, const void *a, ptrdiff_t n) { return pk_vec_dot(type, w, a, n); }

static dot_fn choose_dot(void) {
#if PK_HAVE_X86
    const int level = pk_level();
    if (level >= 2) return pk_vnni_dot;
    if (level == 1) return pk_avx2_dot;
    return pk_scalar_dot;
#else
    (void)dot_dispatch;
    return pk_scalar_dot;
#endif
}

void pk_matmul(pk_pool *pool, int weight_type, const void *weights, ptrdiff_t rows, ptrdiff_t cols, const float *x,
               ptrdiff_t x_stride, ptrdiff_t ntok, float *y, ptrdiff_t y_stride, void *scratch) {
    if (rows <= 0 || ntok <= 0) return;
    matmul_job job = {
        .type = weight_type,
        .weights = weights,
        .weight_row_bytes = pk_row_bytes(weight_type, cols),
        .rows = rows,
        .cols = cols,
        .x = x,
        .x_stride = x_stride,
        .activations = scratch,
        .activation_row_bytes = pk_activation_row_bytes(weight_type, cols),
        .ntok = ntok,
        .y = y,
        .y_stride = y_stride,
        .dot = choose_dot(),
    };
#if PK_HAVE_X86
    job.gemm = pk_level() >= 2 ? pk_vnni_gemm : pk_level() == 1 ? pk_avx2_gemm : NULL;
#endif
    pk_pool_run(pool, prepare_task, &job, (int)ntok);

    // Several tasks per thread balance the load when a thread is slowed down by others on the
    // machine; tasks of 4 rows or more keep the scheduling cost small.
    const int threads = pk_pool_threads(pool);
    ptrdiff_t per_task = (rows + threads * 8 - 1) / (threads * 8);
    if (per_task < 4) per_task = 4;
    job.rows_per_task = per_task;
    pk_pool_run(pool, multiply_task, &job, (int)((rows + per_task - 1) / per_task));
}
