// AVX-512 attention of one head of one sequence (encoder.c picks it for head sizes of 16, 32, 48
// or 64). Keys are transposed into rows of 16-aligned length so that a query's scores are computed
// sixteen at a time in registers, four blocks at once to keep the FMA units busy; the softmax and
// the weighted sum of values stay in registers too.
#include "internal.h"

#if PK_HAVE_X86
#include "x86_math.h"

/// Scores of one query against key columns j0 ..< j0 + 16*B (B blocks), scaled.
PK_AVX512_TARGET static PK_ALWAYS_INLINE void score_blocks(const int B, const float *q, const float *keys,
                                                           ptrdiff_t padded, ptrdiff_t j0, int hd, __m512 scale,
                                                           __m512 *out) {
    __m512 acc[4];
    for (int b = 0; b < B; b++) acc[b] = _mm512_setzero_ps();
    for (int d = 0; d < hd; d++) {
        const __m512 qd = _mm512_set1_ps(q[d]);
        const float *row = keys + d * padded + j0;
        for (int b = 0; b < B; b++) acc[b] = _mm512_fmadd_ps(qd, _mm512_loadu_ps(row + 16 * b), acc[b]);
    }
    for (int b = 0; b < B; b++) out[b] = _mm512_mul_ps(acc[b], scale);
}

/// o = inverse * sum_j weights[j] * values[j], with NV vectors per value row; two sets of
/// accumulators (even and odd keys) halve the dependency chains.
PK_AVX512_TARGET static PK_ALWAYS_INLINE void weighted_values(const int NV, const float *weights, const float *values,
                                                              ptrdiff_t length, int hd, __m512 inverse, float *o) {
    __m512 even[4], odd[4];
    for (int k = 0; k < NV; k++) even[k] = odd[k] = _mm512_setzero_ps();
    ptrdiff_t j = 0;
    for (; j + 2 <= length; j += 2) {
        const float *v0 = values + j * hd, *v1 = v0 + hd;
        const __m512 w0 = _mm512_set1_ps(weights[j]), w1 = _mm512_set1_ps(weights[j + 1]);
        for (int k = 0; k < NV; k++) {
            even[k] = _mm512_fmadd_ps(w0, _mm512_loadu_ps(v0 + 16 * k), even[k]);
            odd[k] = _mm512_fmadd_ps(w1, _mm512_loadu_ps(v1 + 16 * k), odd[k]);
        }
    }
    if (j < length) {
        const float *v0 = values + j * hd;
        const __m512 w0 = _mm512_set1_ps(weights[j]);
        for (int k = 0; k < NV; k++) even[k] = _mm512_fmadd_ps(w0, _mm512_loadu_ps(v0 + 16 * k), even[k]);
    }
    for (int k = 0; k < NV; k++) _mm512_storeu_ps(o + 16 * k, _mm512_mul_ps(_mm512_add_ps(even[k], odd[k]), inverse));
}

PK_AVX512_TARGET void pk_avx512_attention_head(const float *base, ptrdiff_t stride, ptrdiff_t length,
                                               ptrdiff_t q_offset, ptrdiff_t k_offset, ptrdiff_t v_offset, int hd,
                                               float scale, float *scratch, float *out, ptrdiff_t out_stride) {
    const ptrdiff_t padded = (length + 15) & ~(ptrdiff_t)15;
    float *keys = scratch;
    float *scores = keys + (ptrdiff_t)hd * padded;
    // Values copied together: rows of the packed batch are 4.5 KiB apart, which maps them onto a few
    // cache sets; side by side they stay in L1 for all the queries.
    float *values = scores + padded;
    for (ptrdiff_t j = 0; j < length; j++) memcpy(values + j * hd, base + j * stride + v_offset, (size_t)hd * 4);
    for (int d = 0; d < hd; d++) {
        for (ptrdiff_t j = length; j < padded; j++) keys[d * padded + j] = 0;
    }
    for (ptrdiff_t j = 0; j < length; j++) {
        const float *k = base + j * stride + k_offset;
        for (int d = 0; d < hd; d++) keys[d * padded + j] = k[d];
    }
    const __m512 vscale = _mm512_set1_ps(scale);
    const __m512 minus_infinity = _mm512_set1_ps(-INFINITY);
    const int nv = hd / 16;
    const ptrdiff_t blocks = padded / 16;
    const __mmask16 last_mask = (length % 16) ? (__mmask16)((1u << (length % 16)) - 1) : (__mmask16)0xffff;
    for (ptrdiff_t i = 0; i < length; i++) {
        const float *q = base + i * stride + q_offset;
        __m512 vmax = minus_infinity;
        ptrdiff_t block = 0;
        while (block < blocks) {
            const ptrdiff_t left = blocks - block;
            const int B = left >= 4 ? 4 : (int)left;
            __m512 s[4];
            switch (B) {
            case 4: score_blocks(4, q, keys, padded, block * 16, hd, vscale, s); break;
            case 3: score_blocks(3, q, keys, padded, block * 16, hd, vscale, s); break;
            case 2: score_blocks(2, q, keys, padded, block * 16, hd, vscale, s); break;
            default: score_blocks(1, q, keys, padded, block * 16, hd, vscale, s); break;
            }
            for (int b = 0; b < B; b++) {
                if (block + b == blocks - 1) s[b] = _mm512_mask_mov_ps(minus_infinity, last_mask, s[b]);
                _mm512_storeu_ps(scores + (block + b) * 16, s[b]);
                vmax = _mm512_max_ps(vmax, s[b]);
            }
            block += B;
        }
        const __m512 max = _mm512_set1_ps(_mm512_reduce_max_ps(vmax));
        __m512 vsum = _mm512_setzero_ps();
        for (ptrdiff_t b = 0; b < blocks; b++) {
            __m512 e = pk_exp_nonpositive512(_mm512_sub_ps(_mm512_loadu_ps(scores + b * 16), max));
            if (b == blocks - 1) e = _mm512_maskz_mov_ps(last_mask, e);
            _mm512_storeu_ps(scores + b * 16, e);
            vsum = _mm512_add_ps(vsum, e);
        }
        const __m512 inverse = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(vsum));
        float *o = out + i * out_stride;
        // A constant number of vectors per head keeps the accumulators in registers.
        switch (nv) {
        case 4: weighted_values(4, scores, values, length, hd, inverse, o); break;
        case 3: weighted_values(3, scores, values, length, hd, inverse, o); break;
        case 2: weighted_values(2, scores, values, length, hd, inverse, o); break;
        default: weighted_values(1, scores, values, length, hd, inverse, o); break;
        }
    }
}
#endif
