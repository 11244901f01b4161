// x86 kernels: AVX2 + FMA + F16C, and the same dot products with AVX-VNNI. Functions carry their
// target in an attribute instead of the file being compiled with -mavx2, so the library runs on
// any x86-64 CPU and picks these only where the CPU has them (see dispatch.c).
#include "internal.h"

#if PK_HAVE_X86
#include <immintrin.h>

#define PK_AVX2_TARGET __attribute__((target("avx2,fma,f16c")))

PK_AVX2_TARGET static inline float hsum_ps(__m256 v) {
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
}

PK_AVX2_TARGET static inline __m256 load_bf16(const uint16_t *p) {
    const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
}

/// Float weights (F32, F16, BF16) times float activations.
PK_AVX2_TARGET static float pk_avx2_dot_float(int type, const void *w, const void *a, ptrdiff_t n) {
    const float *y = a;
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    ptrdiff_t i = 0;
    float tail = 0;
    switch (type) {
    case PK_TYPE_F32: {
        const float *x = w;
        for (; i + 16 <= n; i += 16) {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8), acc1);
        }
        for (; i < n; i++) tail += x[i] * y[i];
        break;
    }
    case PK_TYPE_F16: {
        const uint16_t *x = w;
        for (; i + 16 <= n; i += 16) {
            const __m256 x0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i)));
            const __m256 x1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i + 8)));
            acc0 = _mm256_fmadd_ps(x0, _mm256_loadu_ps(y + i), acc0);
            acc1 = _mm256_fmadd_ps(x1, _mm256_loadu_ps(y + i + 8), acc1);
        }
        for (; i < n; i++) tail += _cvtsh_ss(x[i]) * y[i];
        break;
    }
    case PK_TYPE_BF16: {
        const uint16_t *x = w;
        for (; i + 16 <= n; i += 16) {
            acc0 = _mm256_fmadd_ps(load_bf16(x + i), _mm256_loadu_ps(y + i), acc0);
            acc1 = _mm256_fmadd_ps(load_bf16(x + i + 8), _mm256_loadu_ps(y + i + 8), acc1);
        }
        for (; i < n; i++) tail += pk_bf16_to_float(x[i]) * y[i];
        break;
    }
    default:
        return 0;
    }
    return hsum_ps(_mm256_add_ps(acc0, acc1)) + tail;
}

/// Quantises one block of 32 floats to bytes with scale amax/127; returns the scale and the sum of
/// the bytes.
PK_AVX2_TARGET static inline float quantize_block(const float *x, int8_t *out, int *sum) {
    __m256 v0 = _mm256_loadu_ps(x), v1 = _mm256_loadu_ps(x + 8);
    __m256 v2 = _mm256_loadu_ps(x + 16), v3 = _mm256_loadu_ps(x + 24);
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 amax = _mm256_max_ps(_mm256_andnot_ps(sign, v0), _mm256_andnot_ps(sign, v1));
    amax = _mm256_max_ps(amax, _mm256_max_ps(_mm256_andnot_ps(sign, v2), _mm256_andnot_ps(sign, v3)));
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    const float max = _mm_cvtss_f32(m);
    const float d = max / 127.0f;
    const __m256 inverse = _mm256_set1_ps(max != 0 ? 127.0f / max : 0.0f);
#define mode (_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
    __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v0, inverse), mode));
    __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v1, inverse), mode));
    __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v2, inverse), mode));
    __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v3, inverse), mode));
    if (sum) {
        const __m256i total = _mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3));
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(total), _mm256_extracti128_si256(total, 1));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
        *sum = _mm_cvtsi128_si32(s);
    }
#undef mode
    // Packing works within 128-bit lanes; the permute puts the 32 bytes back in order.
    const __m256i packed = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
    const __m256i ordered = _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256((__m256i *)out, ordered);
    return d;
}

PK_AVX2_TARGET void pk_avx2_quantize_q8_0(const float *x, pk_block_q8_0 *y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n / PK_QK; i++) {
        y[i].d = _cvtss_sh(quantize_block(x + i * PK_QK, y[i].qs, NULL), _MM_FROUND_TO_NEAREST_INT);
    }
}

PK_AVX2_TARGET void pk_avx2_quantize_q8_1(const float *x, pk_block_q8_1 *y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n / PK_QK; i++) {
        int sum;
        const float d = quantize_block(x + i * PK_QK, y[i].qs, &sum);
        y[i].d = _cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT);
        y[i].s = _cvtss_sh(d * (float)sum, _MM_FROUND_TO_NEAREST_INT);
    }
}

PK_AVX2_TARGET void pk_avx2_f32_to_f16(const float *src, uint16_t *dst, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm_storeu_si128((__m128i *)(dst + i), _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
    }
    for (; i < n; i++) dst[i] = _cvtss_sh(src[i], _MM_FROUND_TO_NEAREST_INT);
}

PK_AVX2_TARGET void pk_avx2_f16_to_f32(const uint16_t *src, float *dst, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(src + i))));
    }
    for (; i < n; i++) dst[i] = _cvtsh_ss(src[i]);
}

/// Key-query dot product in llama.cpp's order: 16 lanes (two registers) summed in sequence over
/// chunks of 16, then pairwise. n is a multiple of 16.
PK_AVX2_TARGET float pk_avx2_dot_f16_tree(const uint16_t *k, const float *q, int n) {
    __m256 low = _mm256_setzero_ps(), high = _mm256_setzero_ps();
    for (int i = 0; i < n; i += 16) {
        const __m256 k0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(k + i)));
        const __m256 k1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(k + i + 8)));
        low = _mm256_fmadd_ps(k0, _mm256_loadu_ps(q + i), low);
        high = _mm256_fmadd_ps(k1, _mm256_loadu_ps(q + i + 8), high);
    }
    return hsum_ps(_mm256_add_ps(low, high));
}

/// Key-query dot product in llama.cpp's single-token order: chunks of 16 taken in turn by 4 sets of
/// 16 lanes, the sets folded (0+2)+(1+3), then the lanes pairwise. n is a multiple of 64.
PK_AVX2_TARGET float pk_avx2_dot_f16_sets(const uint16_t *k, const float *q, int n) {
    __m256 low[4], high[4];
    for (int set = 0; set < 4; set++) low[set] = high[set] = _mm256_setzero_ps();
    for (int i = 0; i < n; i += 64) {
        for (int set = 0; set < 4; set++) {
            const int c = i + 16 * set;
            low[set] = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(k + c))),
                                       _mm256_loadu_ps(q + c), low[set]);
            high[set] = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(k + c + 8))),
                                        _mm256_loadu_ps(q + c + 8), high[set]);
        }
    }
    const __m256 fold_low = _mm256_add_ps(_mm256_add_ps(low[0], low[2]), _mm256_add_ps(low[1], low[3]));
    const __m256 fold_high = _mm256_add_ps(_mm256_add_ps(high[0], high[2]), _mm256_add_ps(high[1], high[3]));
    return hsum_ps(_mm256_add_ps(fold_low, fold_high));
}

PK_AVX2_TARGET void pk_avx2_scale_to_half(float *p, float scale, ptrdiff_t n) {
    const __m256 factor = _mm256_set1_ps(scale);
    ptrdiff_t j = 0;
    for (; j + 8 <= n; j += 8) {
        const __m128i half = _mm256_cvtps_ph(_mm256_mul_ps(_mm256_loadu_ps(p + j), factor), _MM_FROUND_TO_NEAREST_INT);
        _mm256_storeu_ps(p + j, _mm256_cvtph_ps(half));
    }
    for (; j < n; j++) p[j] = _cvtsh_ss(_cvtss_sh(p[j] * scale, _MM_FROUND_TO_NEAREST_INT));
}

PK_AVX2_TARGET void pk_avx2_axpy_f16(float *y, const uint16_t *x, float a, int n) {
    const __m256 scale = _mm256_set1_ps(a);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i)));
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(v, scale, _mm256_loadu_ps(y + i)));
    }
    for (; i < n; i++) y[i] += a * _cvtsh_ss(x[i]);
}

// AVX2: byte products by maddubs (pairs to 16 bits), then madd with ones (pairs to 32 bits).
#define PK_TARGET PK_AVX2_TARGET
#define PK_NAME(name) pk_avx2_##name
#define PK_DPBUSD(ux, sy) _mm256_madd_epi16(_mm256_maddubs_epi16((ux), (sy)), _mm256_set1_epi16(1))
#include "dot_x86.inc"
#undef PK_TARGET
#undef PK_NAME
#undef PK_DPBUSD

// AVX-VNNI: one instruction for the four products and their sum.
#define PK_TARGET __attribute__((target("avx2,fma,f16c,avxvnni")))
#define PK_NAME(name) pk_vnni_##name
#define PK_DPBUSD(ux, sy) _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), (ux), (sy))
#include "dot_x86.inc"
#undef PK_TARGET
#undef PK_NAME
#undef PK_DPBUSD

#endif
