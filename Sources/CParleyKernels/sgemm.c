// Float matrix products for encoder models (BERT): y = x·Wᵀ + bias, optionally plus a residual and
// through GELU, for a whole batch of tokens at once. Weights are repacked once at load into panels
// of 32 output rows stored k-major, so that the inner loop reads one contiguous line of weights per
// k and multiplies it with a tile of tokens held in registers (AVX-512: 12 tokens × 32 outputs,
// AVX2: 6 × 16). Work is split over the pool by (token chunk, panel); K is blocked so a weight
// block stays in L1 while a chunk of tokens streams past it.
#include "internal.h"
#include <stdlib.h>

#if PK_HAVE_X86
#include <immintrin.h>
#endif

#define PK_KC 256
#define PK_TOKEN_CHUNK 96

static ptrdiff_t panel_count(ptrdiff_t rows) { return (rows + PK_NR - 1) / PK_NR; }

size_t pk_sgemm_packed_floats(ptrdiff_t rows, ptrdiff_t cols) {
    const ptrdiff_t padded = panel_count(rows) * PK_NR;
    return (size_t)(padded * cols + padded);
}

void pk_sgemm_pack(const float *w, const float *bias, ptrdiff_t rows, ptrdiff_t cols, float *packed) {
    const ptrdiff_t panels = panel_count(rows);
    for (ptrdiff_t p = 0; p < panels; p++) {
        float *panel = packed + p * cols * PK_NR;
        for (ptrdiff_t j = 0; j < PK_NR; j++) {
            const ptrdiff_t r = p * PK_NR + j;
            for (ptrdiff_t k = 0; k < cols; k++) panel[k * PK_NR + j] = r < rows ? w[r * cols + k] : 0.0f;
        }
    }
    float *padded_bias = packed + panels * PK_NR * cols;
    for (ptrdiff_t r = 0; r < panels * PK_NR; r++) padded_bias[r] = (bias && r < rows) ? bias[r] : 0.0f;
}

float pk_gelu_scalar(float x) { return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f)); }

void pk_gelu(float *x, ptrdiff_t n) {
#if PK_HAVE_X86
    if (pk_has_avx512()) { pk_avx512_gelu(x, n); return; }
#endif
    for (ptrdiff_t i = 0; i < n; i++) x[i] = pk_gelu_scalar(x[i]);
}


/// One tile of up to `m` tokens × one panel, over k block [k0, k0+kc), scalar.
static void tile_scalar(const pk_sgemm_job *job, ptrdiff_t t0, ptrdiff_t m, ptrdiff_t p, ptrdiff_t k0, ptrdiff_t kc) {
    const float *panel = job->packed + (p * job->cols + k0) * PK_NR;
    const ptrdiff_t n0 = p * PK_NR;
    const ptrdiff_t valid = job->rows - n0 < PK_NR ? job->rows - n0 : PK_NR;
    const int last = k0 + kc == job->cols;
    for (ptrdiff_t i = 0; i < m; i++) {
        const float *xr = job->x + (t0 + i) * job->x_stride + k0;
        float acc[PK_NR];
        for (int j = 0; j < PK_NR; j++) acc[j] = 0;
        for (ptrdiff_t k = 0; k < kc; k++) {
            const float xv = xr[k];
            for (int j = 0; j < PK_NR; j++) acc[j] += xv * panel[k * PK_NR + j];
        }
        float *yr = job->y + (t0 + i) * job->y_stride + n0;
        for (ptrdiff_t j = 0; j < valid; j++) {
            float v = acc[j] + (k0 == 0 ? 0.0f : yr[j]);
            if (last) {
                v += job->bias[n0 + j];
                if (job->residual) v += job->residual[(t0 + i) * job->residual_stride + n0 + j];
                if (job->gelu) v = pk_gelu_scalar(v);
            }
            yr[j] = v;
        }
    }
}

static void sgemm_task(void *ctx, int task, int thread) {
    (void)thread;
    const pk_sgemm_job *job = ctx;
    const ptrdiff_t chunk = task / job->panels;
    const ptrdiff_t p = task % job->panels;
    const ptrdiff_t t_begin = chunk * PK_TOKEN_CHUNK;
    const ptrdiff_t t_end = t_begin + PK_TOKEN_CHUNK < job->ntok ? t_begin + PK_TOKEN_CHUNK : job->ntok;
    pk_sgemm_tile_fn tile = tile_scalar;
    ptrdiff_t mr = 4;
#if PK_HAVE_X86
    if (pk_has_avx512()) {
        tile = pk_avx512_sgemm_tile;
        mr = 12;
    } else if (pk_level() > 0) {
        tile = pk_avx2_sgemm_tile;
        mr = 6;
    }
#endif
    for (ptrdiff_t k0 = 0; k0 < job->cols; k0 += PK_KC) {
        const ptrdiff_t kc = job->cols - k0 < PK_KC ? job->cols - k0 : PK_KC;
        for (ptrdiff_t t = t_begin; t < t_end; t += mr) {
            const ptrdiff_t m = t_end - t < mr ? t_end - t : mr;
            tile(job, t, m, p, k0, kc);
        }
    }
}

void pk_sgemm(pk_pool *pool, const float *packed, ptrdiff_t rows, ptrdiff_t cols, const float *x, ptrdiff_t x_stride,
              ptrdiff_t ntok, float *y, ptrdiff_t y_stride, const float *residual, ptrdiff_t residual_stride,
              int gelu) {
    if (rows <= 0 || ntok <= 0 || cols <= 0) return;
    const ptrdiff_t panels = panel_count(rows);
    pk_sgemm_job job = {
        .packed = packed,
        .bias = packed + panels * PK_NR * cols,
        .rows = rows,
        .cols = cols,
        .panels = panels,
        .x = x,
        .x_stride = x_stride,
        .ntok = ntok,
        .y = y,
        .y_stride = y_stride,
        .residual = residual,
        .residual_stride = residual_stride,
        .gelu = gelu,
    };
    const ptrdiff_t chunks = (ntok + PK_TOKEN_CHUNK - 1) / PK_TOKEN_CHUNK;
    pk_pool_run(pool, sgemm_task, &job, (int)(chunks * panels));
}
