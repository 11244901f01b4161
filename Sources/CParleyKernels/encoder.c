// The rest of an encoder layer (BERT) over a batch of packed sequences: layer normalisation and
// bidirectional attention in which each sequence sees only its own tokens, so that a batch needs
// no padding. The loops are plain C written to vectorise; the x86 build compiles them a second
// time for AVX-512 (or AVX2) and picks the copy at run time.
#include "internal.h"
#include <stdlib.h>

#define PK_LN_TOKENS 32

typedef struct {
    const float *x;
    ptrdiff_t x_stride, ntok, n;
    const float *gamma, *beta;
    float eps;
    float *y;
    ptrdiff_t y_stride;
} layer_norm_job;

static inline __attribute__((always_inline)) void layer_norm_rows(const layer_norm_job *job, int task) {
    const ptrdiff_t first = (ptrdiff_t)task * PK_LN_TOKENS;
    const ptrdiff_t last = first + PK_LN_TOKENS < job->ntok ? first + PK_LN_TOKENS : job->ntok;
    const ptrdiff_t n = job->n;
    for (ptrdiff_t t = first; t < last; t++) {
        const float *x = job->x + t * job->x_stride;
        float *y = job->y + t * job->y_stride;
        float sum = 0;
        for (ptrdiff_t i = 0; i < n; i++) sum += x[i];
        const float mean = sum / (float)n;
        float squares = 0;
        for (ptrdiff_t i = 0; i < n; i++) squares += (x[i] - mean) * (x[i] - mean);
        const float inverse = 1.0f / sqrtf(squares / (float)n + job->eps);
        for (ptrdiff_t i = 0; i < n; i++) y[i] = (x[i] - mean) * inverse * job->gamma[i] + job->beta[i];
    }
}

typedef struct {
    const float *qkv;
    ptrdiff_t qkv_stride;
    const int32_t *offsets;
    int n_head, head_dim;
    float scale;
    float *out;
    ptrdiff_t out_stride;
    float *scratch;
    size_t scratch_per_thread;
} attention_job;

/// One head of one sequence: keys transposed so that a query's scores are a run of contiguous
/// multiply-adds, a softmax, then the values weighted by it.
static inline __attribute__((always_inline)) void attention_head(const attention_job *job, int task, int thread) {
    const int seq = task / job->n_head, head = task % job->n_head;
    const ptrdiff_t begin = job->offsets[seq], length = job->offsets[seq + 1] - begin;
    if (length <= 0) return;
    const int hd = job->head_dim;
    const ptrdiff_t width = (ptrdiff_t)job->n_head * hd;
    float *keys = job->scratch + (size_t)thread * job->scratch_per_thread;
    float *scores = keys + (size_t)hd * length;
    const float *base = job->qkv + begin * job->qkv_stride;
    for (ptrdiff_t j = 0; j < length; j++) {
        const float *k = base + j * job->qkv_stride + width + head * hd;
        for (int d = 0; d < hd; d++) keys[d * length + j] = k[d];
    }
    float o[PK_MAX_HEAD_DIM];
    for (ptrdiff_t i = 0; i < length; i++) {
        const float *q = base + i * job->qkv_stride + head * hd;
        for (ptrdiff_t j = 0; j < length; j++) scores[j] = 0;
        for (int d = 0; d < hd; d++) {
            const float qd = q[d] * job->scale;
            const float *kd = keys + d * length;
            for (ptrdiff_t j = 0; j < length; j++) scores[j] += qd * kd[j];
        }
        float max = scores[0];
        for (ptrdiff_t j = 1; j < length; j++) max = scores[j] > max ? scores[j] : max;
        for (ptrdiff_t j = 0; j < length; j++) scores[j] -= max;
        pk_exp(scores, scores, length);
        float sum = 0;
        for (ptrdiff_t j = 0; j < length; j++) sum += scores[j];
        const float inverse = 1.0f / sum;
        for (int d = 0; d < hd; d++) o[d] = 0;
        for (ptrdiff_t j = 0; j < length; j++) {
            const float *v = base + j * job->qkv_stride + 2 * width + head * hd;
            const float weight = scores[j] * inverse;
            for (int d = 0; d < hd; d++) o[d] += weight * v[d];
        }
        float *out = job->out + (begin + i) * job->out_stride + head * hd;
        for (int d = 0; d < hd; d++) out[d] = o[d];
    }
}

static void layer_norm_task(void *ctx, int task, int thread) {
    (void)thread;
    layer_norm_rows(ctx, task);
}

static void attention_task(void *ctx, int task, int thread) { attention_head(ctx, task, thread); }

#if PK_HAVE_X86
__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,fma"))) static void layer_norm_task_avx512(void *ctx,
                                                                                                   int task,
                                                                                                   int thread) {
    (void)thread;
    layer_norm_rows(ctx, task);
}
__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,fma"))) static void attention_task_avx512(void *ctx,
                                                                                                  int task,
                                                                                                  int thread) {
    attention_head(ctx, task, thread);
}
__attribute__((target("avx2,fma"))) static void layer_norm_task_avx2(void *ctx, int task, int thread) {
    (void)thread;
    layer_norm_rows(ctx, task);
}
__attribute__((target("avx2,fma"))) static void attention_task_avx2(void *ctx, int task, int thread) {
    attention_head(ctx, task, thread);
}
#endif

void pk_layer_norm(pk_pool *pool, const float *x, ptrdiff_t x_stride, ptrdiff_t ntok, ptrdiff_t n, const float *gamma,
                   const float *beta, float eps, float *y, ptrdiff_t y_stride) {
    if (ntok <= 0) return;
    layer_norm_job job = {x, x_stride, ntok, n, gamma, beta, eps, y, y_stride};
    pk_task_fn fn = layer_norm_task;
#if PK_HAVE_X86
    if (pk_has_avx512()) {
        fn = layer_norm_task_avx512;
    } else if (pk_level() > 0) {
        fn = layer_norm_task_avx2;
    }
#endif
    pk_pool_run(pool, fn, &job, (int)((ntok + PK_LN_TOKENS - 1) / PK_LN_TOKENS));
}

size_t pk_encoder_attention_scratch_floats(const pk_pool *pool, ptrdiff_t max_length, int head_dim) {
    return (size_t)pk_pool_threads(pool) * (size_t)(head_dim + 1) * (size_t)(max_length + 16);
}

void pk_encoder_attention(pk_pool *pool, const float *qkv, ptrdiff_t qkv_stride, const int32_t *offsets, int nseq,
                          int n_head, int head_dim, float scale, float *out, ptrdiff_t out_stride, ptrdiff_t max_length,
                          float *scratch) {
    if (nseq <= 0 || head_dim > PK_MAX_HEAD_DIM) return;
    attention_job job = {
        .qkv = qkv,
        .qkv_stride = qkv_stride,
        .offsets = offsets,
        .n_head = n_head,
        .head_dim = head_dim,
        .scale = scale,
        .out = out,
        .out_stride = out_stride,
        .scratch = scratch,
        .scratch_per_thread = (size_t)(head_dim + 1) * (size_t)(max_length + 16),
    };
    pk_task_fn fn = attention_task;
#if PK_HAVE_X86
    if (pk_has_avx512()) {
        fn = attention_task_avx512;
    } else if (pk_level() > 0) {
        fn = attention_task_avx2;
    }
#endif
    pk_pool_run(pool, fn, &job, nseq * n_head);
}
