// Causal self-attention over a half-precision KV cache, with grouped query heads: each task takes
// one head and a run of tokens.
#include "internal.h"

typedef struct {
    const float *q;
    ptrdiff_t q_stride;
    const uint16_t *k_cache, *v_cache;
    ptrdiff_t kv_stride;
    float *out;
    ptrdiff_t out_stride;
    ptrdiff_t ntok, first_pos, context;
    int n_head, n_head_kv, head_dim;
    float scale;
    float *scratch;
    ptrdiff_t tokens_per_task;
    int chunks;
} attention_job;

static float dot_f16(const uint16_t *k, const float *q, int n) {
#if PK_HAVE_X86
    if (pk_level() > 0) return pk_avx2_dot_f16_f32(k, q, n);
#endif
    float sum = 0;
    for (int i = 0; i < n; i++) sum += pk_half_to_float(k[i]) * q[i];
    return sum;
}

static void axpy_f16(float *y, const uint16_t *x, float a, int n) {
#if PK_HAVE_X86
    if (pk_level() > 0) { pk_avx2_axpy_f16(y, x, a, n); return; }
#endif
    for (int i = 0; i < n; i++) y[i] += a * pk_half_to_float(x[i]);
}

static void attention_task(void *ctx, int task, int thread) {
    const attention_job *job = ctx;
    const int head = task / job->chunks;
    const ptrdiff_t t0 = (ptrdiff_t)(task % job->chunks) * job->tokens_per_task;
    ptrdiff_t t1 = t0 + job->tokens_per_task;
    if (t1 > job->ntok) t1 = job->ntok;
    const int group = job->n_head / job->n_head_kv;
    const int kv_head = head / group;
    const int d = job->head_dim;
    float *scores = job->scratch + (size_t)thread * (size_t)job->context;

    for (ptrdiff_t t = t0; t < t1; t++) {
        const float *q = job->q + t * job->q_stride + (ptrdiff_t)head * d;
        float *out = job->out + t * job->out_stride + (ptrdiff_t)head * d;
        const ptrdiff_t n = job->first_pos + t + 1;
        float max = -INFINITY;
        for (ptrdiff_t j = 0; j < n; j++) {
            const float s = dot_f16(job->k_cache + j * job->kv_stride + (ptrdiff_t)kv_head * d, q, d) * job->scale;
            scores[j] = s;
            if (s > max) max = s;
        }
        double sum = 0;
        for (ptrdiff_t j = 0; j < n; j++) {
            const float e = expf(scores[j] - max);
            scores[j] = e;
            sum += e;
        }
        const float inverse = (float)(1.0 / sum);
        memset(out, 0, (size_t)d * sizeof(float));
        for (ptrdiff_t j = 0; j < n; j++) {
            axpy_f16(out, job->v_cache + j * job->kv_stride + (ptrdiff_t)kv_head * d, scores[j] * inverse, d);
        }
    }
}

size_t pk_attention_scratch_floats(const pk_pool *pool, ptrdiff_t context, int head_dim) {
    (void)head_dim;
    return (size_t)pk_pool_threads(pool) * (size_t)context;
}

void pk_attention(pk_pool *pool, const float *q, ptrdiff_t q_stride, const uint16_t *k_cache, const uint16_t *v_cache,
                  ptrdiff_t kv_stride, float *out, ptrdiff_t out_stride, ptrdiff_t ntok, ptrdiff_t first_pos, int n_head,
                  int n_head_kv, int head_dim, float scale, float *scratch) {
    if (ntok <= 0) return;
    const int threads = pk_pool_threads(pool);
    // Enough chunks of tokens that all threads have work when there are fewer heads than threads
    // several times over; later tokens attend to more positions, so chunks are kept short.
    ptrdiff_t per_task = ntok;
    if (ntok > 1) {
        const ptrdiff_t wanted_tasks = (ptrdiff_t)threads * 16;
        ptrdiff_t chunks = (wanted_tasks + n_head - 1) / n_head;
        if (chunks > ntok) chunks = ntok;
        per_task = (ntok + chunks - 1) / chunks;
    }
    attention_job job = {
        .q = q, .q_stride = q_stride, .k_cache = k_cache, .v_cache = v_cache, .kv_stride = kv_stride,
        .out = out, .out_stride = out_stride, .ntok = ntok, .first_pos = first_pos,
        .n_head = n_head, .n_head_kv = n_head_kv, .head_dim = head_dim, .scale = scale, .scratch = scratch,
        .tokens_per_task = per_task,
    };
    job.chunks = (int)((ntok + per_task - 1) / per_task);
    // Scratch is sized by the positions the last token sees.
    job.context = first_pos + ntok;
    pk_pool_run(pool, attention_task, &job, n_head * job.chunks);
}
