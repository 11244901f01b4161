// x86 tiles of the float matrix product (sgemm.c) and a vectorised GELU. AVX-512 keeps a tile of
// 12 tokens × 32 outputs in 24 registers; AVX2 a tile of 6 × 16 in 12. Functions carry their target
// in an attribute, as in quants_x86.c, and are chosen at run time.
#include "internal.h"
#include <stdlib.h>

#if PK_HAVE_X86
#include <immintrin.h>

#define PK_AVX512_TARGET __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,fma")))
#define PK_AVX2_TARGET __attribute__((target("avx2,fma,f16c")))
#define PK_ALWAYS_INLINE inline __attribute__((always_inline))

static _Atomic int avx512_state = -1;

int pk_has_avx512(void) {
    if (avx512_state < 0) {
        __builtin_cpu_init();
        int has = pk_level() > 0 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                  __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
        // PARLEY_KERNELS=scalar|avx2 asks for the older kernels (to compare them).
        const char *wanted = getenv("PARLEY_KERNELS");
        if (wanted && (strcmp(wanted, "scalar") == 0 || strcmp(wanted, "avx2") == 0)) has = 0;
        avx512_state = has;
    }
    return avx512_state;
}

/// e^x for x <= 0 (to within a couple of ulps; flushes below e^-87 towards zero).
PK_AVX512_TARGET static PK_ALWAYS_INLINE __m512 exp_nonpositive512(__m512 x) {
    x = _mm512_max_ps(x, _mm512_set1_ps(-87.0f));
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693145751953125f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.428606765330187045e-06f), r);
    // Taylor series to r^6: |r| <= ln2/2 leaves a relative error near 1e-7.
    __m512 p = _mm512_set1_ps(1.0f / 720.0f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(p, n);
}

/// GELU with the error function, x·(1 + erf(x/√2))/2, erf by Abramowitz and Stegun 7.1.26
/// (absolute error below 1.5e-7, well under the model's own float noise).
PK_AVX512_TARGET static PK_ALWAYS_INLINE __m512 gelu512(__m512 x) {
    const __m512 one = _mm512_set1_ps(1.0f);
    const __m512 z = _mm512_mul_ps(_mm512_abs_ps(x), _mm512_set1_ps(0.70710678118654752f));
    const __m512 t = _mm512_div_ps(one, _mm512_fmadd_ps(z, _mm512_set1_ps(0.3275911f), one));
    __m512 poly = _mm512_set1_ps(1.061405429f);
    poly = _mm512_fmadd_ps(poly, t, _mm512_set1_ps(-1.453152027f));
    poly = _mm512_fmadd_ps(poly, t, _mm512_set1_ps(1.421413741f));
    poly = _mm512_fmadd_ps(poly, t, _mm512_set1_ps(-0.284496736f));
    poly = _mm512_fmadd_ps(poly, t, _mm512_set1_ps(0.254829592f));
    poly = _mm512_mul_ps(poly, t);
    // q = erfc(|x|/√2): 1 + erf(x/√2) is 2 - q for x >= 0 and q below.
    const __m512 q = _mm512_mul_ps(poly, exp_nonpositive512(_mm512_mul_ps(_mm512_sub_ps(_mm512_setzero_ps(), z), z)));
    const __mmask16 negative = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
    const __m512 factor = _mm512_mask_blend_ps(negative, _mm512_sub_ps(_mm512_set1_ps(2.0f), q), q);
    return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), x), factor);
}

PK_AVX512_TARGET void pk_avx512_gelu(float *x, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(x + i, gelu512(_mm512_loadu_ps(x + i)));
    if (i < n) {
        const __mmask16 mask = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(x + i, mask, gelu512(_mm512_maskz_loadu_ps(mask, x + i)));
    }
}

PK_AVX512_TARGET static PK_ALWAYS_INLINE void tile512(const pk_sgemm_job *job, ptrdiff_t t0, const int M, ptrdiff_t p,
                                                      ptrdiff_t k0, ptrdiff_t kc) {
    const float *w = job->packed + (p * job->cols + k0) * PK_NR;
    const float *x = job->x + t0 * job->x_stride + k0;
    const ptrdiff_t xs = job->x_stride;
    __m512 acc[12][2];
    for (int i = 0; i < M; i++) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
    for (ptrdiff_t k = 0; k < kc; k++) {
        const __m512 w0 = _mm512_loadu_ps(w + k * PK_NR), w1 = _mm512_loadu_ps(w + k * PK_NR + 16);
        for (int i = 0; i < M; i++) {
            const __m512 xv = _mm512_set1_ps(x[i * xs + k]);
            acc[i][0] = _mm512_fmadd_ps(xv, w0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(xv, w1, acc[i][1]);
        }
    }
    const ptrdiff_t n0 = p * PK_NR;
    const ptrdiff_t valid = job->rows - n0 < PK_NR ? job->rows - n0 : PK_NR;
    const __mmask16 m0 = valid >= 16 ? 0xffff : (__mmask16)((1u << valid) - 1);
    const __mmask16 m1 = valid >= 32 ? 0xffff : valid > 16 ? (__mmask16)((1u << (valid - 16)) - 1) : 0;
    const int first = k0 == 0, last = k0 + kc == job->cols;
    const __m512 b0 = _mm512_loadu_ps(job->bias + n0), b1 = _mm512_loadu_ps(job->bias + n0 + 16);
    for (int i = 0; i < M; i++) {
        float *y = job->y + (t0 + i) * job->y_stride + n0;
        __m512 v0 = acc[i][0], v1 = acc[i][1];
        if (!first) {
            v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(m0, y));
            v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(m1, y + 16));
        }
        if (last) {
            v0 = _mm512_add_ps(v0, b0);
            v1 = _mm512_add_ps(v1, b1);
            if (job->residual) {
                const float *r = job->residual + (t0 + i) * job->residual_stride + n0;
                v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(m0, r));
                v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(m1, r + 16));
            }
            if (job->gelu) {
                v0 = gelu512(v0);
                v1 = gelu512(v1);
            }
        }
        _mm512_mask_storeu_ps(y, m0, v0);
        _mm512_mask_storeu_ps(y + 16, m1, v1);
    }
}

PK_AVX512_TARGET void pk_avx512_sgemm_tile(const pk_sgemm_job *job, ptrdiff_t t0, ptrdiff_t m, ptrdiff_t p,
                                           ptrdiff_t k0, ptrdiff_t kc) {
    // A constant tile height lets the compiler keep every accumulator in a register.
    switch (m) {
    case 12: tile512(job, t0, 12, p, k0, kc); break;
    case 11: tile512(job, t0, 11, p, k0, kc); break;
    case 10: tile512(job, t0, 10, p, k0, kc); break;
    case 9: tile512(job, t0, 9, p, k0, kc); break;
    case 8: tile512(job, t0, 8, p, k0, kc); break;
    case 7: tile512(job, t0, 7, p, k0, kc); break;
    case 6: tile512(job, t0, 6, p, k0, kc); break;
    case 5: tile512(job, t0, 5, p, k0, kc); break;
    case 4: tile512(job, t0, 4, p, k0, kc); break;
    case 3: tile512(job, t0, 3, p, k0, kc); break;
    case 2: tile512(job, t0, 2, p, k0, kc); break;
    default: tile512(job, t0, 1, p, k0, kc); break;
    }
}

PK_AVX2_TARGET static PK_ALWAYS_INLINE void tile256(const pk_sgemm_job *job, ptrdiff_t t0, const int M, ptrdiff_t p,
                                                    ptrdiff_t k0, ptrdiff_t kc) {
    const ptrdiff_t xs = job->x_stride;
    const float *x = job->x + t0 * xs + k0;
    const ptrdiff_t n0 = p * PK_NR;
    const ptrdiff_t valid = job->rows - n0 < PK_NR ? job->rows - n0 : PK_NR;
    const int first = k0 == 0, last = k0 + kc == job->cols;
    for (int half = 0; half < 2; half++) {
        const float *w = job->packed + (p * job->cols + k0) * PK_NR + half * 16;
        __m256 acc[6][2];
        for (int i = 0; i < M; i++) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
        for (ptrdiff_t k = 0; k < kc; k++) {
            const __m256 w0 = _mm256_loadu_ps(w + k * PK_NR), w1 = _mm256_loadu_ps(w + k * PK_NR + 8);
            for (int i = 0; i < M; i++) {
                const __m256 xv = _mm256_broadcast_ss(x + i * xs + k);
                acc[i][0] = _mm256_fmadd_ps(xv, w0, acc[i][0]);
                acc[i][1] = _mm256_fmadd_ps(xv, w1, acc[i][1]);
            }
        }
        for (int i = 0; i < M; i++) {
            float sums[16];
            _mm256_storeu_ps(sums, acc[i][0]);
            _mm256_storeu_ps(sums + 8, acc[i][1]);
            float *y = job->y + (t0 + i) * job->y_stride + n0;
            for (int j = 0; j < 16; j++) {
                const ptrdiff_t c = half * 16 + j;
                if (c >= valid) break;
                float v = sums[j] + (first ? 0.0f : y[c]);
                if (last) {
                    v += job->bias[n0 + c];
                    if (job->residual) v += job->residual[(t0 + i) * job->residual_stride + n0 + c];
                    if (job->gelu) v = pk_gelu_scalar(v);
                }
                y[c] = v;
            }
        }
    }
}

PK_AVX2_TARGET void pk_avx2_sgemm_tile(const pk_sgemm_job *job, ptrdiff_t t0, ptrdiff_t m, ptrdiff_t p, ptrdiff_t k0,
                                       ptrdiff_t kc) {
    switch (m) {
    case 6: tile256(job, t0, 6, p, k0, kc); break;
    case 5: tile256(job, t0, 5, p, k0, kc); break;
    case 4: tile256(job, t0, 4, p, k0, kc); break;
    case 3: tile256(job, t0, 3, p, k0, kc); break;
    case 2: tile256(job, t0, 2, p, k0, kc); break;
    default: tile256(job, t0, 1, p, k0, kc); break;
    }
}
#endif
