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
    ptrdiff_t scratch_per_thread;
    ptrdiff_t tokens_per_task;
    int chunks;
} attention_job;

// The sums below are added up in llama.cpp's order, so that attention gives the very same floats
// as llama.cpp's: a tiny difference here can flip an 8-bit rounding downstream and change a greedy
// choice between nearly tied tokens. llama.cpp has two orders. For a batch of tokens (a prompt) it
// multiplies in tiles of 16 lanes, each lane adding its terms chunk after chunk, then the lanes
// pairwise (l+8, l+4, l+2, l+1). For a single token it uses 4 x 16 lanes taking chunks of 16 in
// turn, adds lane sets 0+2 and 1+3, then those, then pairwise as before.

/// Pairwise sum of 16 lanes: (l, l+8), then (l, l+4), (l, l+2), (0, 1).
static inline float tree16(const float *lane) {
    float r8[8], r4[4];
    for (int l = 0; l < 8; l++) r8[l] = lane[l] + lane[l + 8];
    for (int l = 0; l < 4; l++) r4[l] = r8[l] + r8[l + 4];
    return (r4[0] + r4[2]) + (r4[1] + r4[3]);
}

/// Folds 4 sets of 16 lanes into one: (0 + 2) + (1 + 3).
static inline void fold64(const float *sets, float *lane) {
    for (int l = 0; l < 16; l++) lane[l] = (sets[l] + sets[32 + l]) + (sets[16 + l] + sets[48 + l]);
}

/// Key-query dot product (query already rounded to half precision).
static float dot_f16(const uint16_t *k, const float *q, int n, int single) {
    if (!single) {
#if PK_HAVE_X86
        if (pk_level() > 0 && n % 16 == 0) return pk_avx2_dot_f16_tree(k, q, n);
#endif
        float lane[16] = {0};
        for (int c = 0; c + 16 <= n; c += 16) {
            for (int l = 0; l < 16; l++) lane[l] += pk_half_to_float(k[c + l]) * q[c + l];
        }
        float tail = 0;
        for (int i = n - n % 16; i < n; i++) tail += pk_half_to_float(k[i]) * q[i];
        return tree16(lane) + tail;
    }
#if PK_HAVE_X86
    if (pk_level() > 0 && n % 64 == 0) return pk_avx2_dot_f16_sets(k, q, n);
#endif
    float sets[64] = {0};
    const int vectorised = n - n % 64;
    for (int c = 0; c < vectorised; c += 16) {
        float *set = sets + ((c / 16) % 4) * 16;
        for (int l = 0; l < 16; l++) set[l] += pk_half_to_float(k[c + l]) * q[c + l];
    }
    float lane[16];
    fold64(sets, lane);
    double sum = tree16(lane);
    for (int i = vectorised; i < n; i++) sum += (double)(pk_half_to_float(k[i]) * q[i]);
    return (float)sum;
}

/// p[j] = p[j] * scale rounded to half precision (llama.cpp multiplies values by halves).
static void scale_to_half(float *p, float scale, ptrdiff_t n) {
#if PK_HAVE_X86
    if (pk_level() > 0) { pk_avx2_scale_to_half(p, scale, n); return; }
#endif
    for (ptrdiff_t j = 0; j < n; j++) p[j] = pk_half_to_float(pk_float_to_half(p[j] * scale));
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
    const uint16_t *keys = job->k_cache + (ptrdiff_t)kv_head * d;
    const uint16_t *values = job->v_cache + (ptrdiff_t)kv_head * d;
    // Per thread: scores for every position, then 16 partial sums of the output.
    float *scores = job->scratch + (size_t)thread * (size_t)job->scratch_per_thread;
    float *lanes = scores + ((job->context + 63) & ~(ptrdiff_t)63);
    // A batch adds positions into 16 lane sums, a single token into 64 (see above).
    const int single = job->ntok == 1;
    const int lane_count = single ? 64 : 16;
    // llama.cpp multiplies half-precision keys with the query rounded to half precision, and the
    // values with probabilities rounded to half precision: so does this.
    float q[PK_MAX_HEAD_DIM];
    uint16_t half[PK_MAX_HEAD_DIM];

    for (ptrdiff_t t = t0; t < t1; t++) {
        pk_f32_to_f16(job->q + t * job->q_stride + (ptrdiff_t)head * d, half, d);
        pk_f16_to_f32(half, q, d);
        float *out = job->out + t * job->out_stride + (ptrdiff_t)head * d;
        const ptrdiff_t n = job->first_pos + t + 1;
        const ptrdiff_t padded = (n + 63) & ~(ptrdiff_t)63;
        float max = -INFINITY;
        for (ptrdiff_t j = 0; j < n; j++) {
            const float s = dot_f16(keys + j * job->kv_stride, q, d, single) * job->scale;
            scores[j] = s;
            if (s > max) max = s;
        }
        for (ptrdiff_t j = 0; j < n; j++) scores[j] -= max;
        pk_exp(scores, scores, n);
        for (ptrdiff_t j = n; j < padded; j++) scores[j] = 0;
        double sum = 0;
        for (ptrdiff_t c = 0; c < padded; c += 16) sum += (double)tree16(scores + c);
        const float inverse = (float)(1.0 / sum);

        scale_to_half(scores, inverse, n);
        memset(lanes, 0, (size_t)lane_count * (size_t)d * sizeof(float));
        for (ptrdiff_t j = 0; j < n; j++) {
            axpy_f16(lanes + (j % lane_count) * d, values + j * job->kv_stride, scores[j], d);
        }
        // The same folds as fold64 and tree16, a whole row of lane sums at a time.
        if (single) {
            for (int l = 0; l < 16; l++) {
                float *set0 = lanes + l * d, *set1 = lanes + (l + 16) * d;
                const float *set2 = lanes + (l + 32) * d, *set3 = lanes + (l + 48) * d;
                for (int i = 0; i < d; i++) set0[i] = (set0[i] + set2[i]) + (set1[i] + set3[i]);
            }
        }
        for (int half = 8; half >= 2; half /= 2) {
            for (int l = 0; l < half; l++) {
                float *a = lanes + l * d, *b = lanes + (l + half) * d;
                for (int i = 0; i < d; i++) a[i] += b[i];
            }
        }
        for (int i = 0; i < d; i++) out[i] = lanes[i] + lanes[d + i];
    }
}

static ptrdiff_t scratch_per_thread(ptrdiff_t context, int head_dim) {
    return ((context + 63) & ~(ptrdiff_t)63) + 64 * (ptrdiff_t)head_dim;
}

size_t pk_attention_scratch_floats(const pk_pool *pool, ptrdiff_t context, int head_dim) {
    return (size_t)pk_pool_threads(pool) * (size_t)scratch_per_thread(context, head_dim);
}

void pk_attention(pk_pool *pool, const float *q, ptrdiff_t q_stride, const uint16_t *k_cache, const uint16_t *v_cache,
                  ptrdiff_t kv_stride, float *out, ptrdiff_t out_stride, ptrdiff_t ntok, ptrdiff_t first_pos,
                  int n_head, int n_head_kv, int head_dim, float scale, float *scratch) {
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
    // Scratch is laid out for the positions the last token sees (the caller sized it for more).
    job.context = first_pos + ntok;
    job.scratch_per_thread = scratch_per_thread(job.context, head_dim);
    pk_pool_run(pool, attention_task, &job, n_head * job.chunks);
}
