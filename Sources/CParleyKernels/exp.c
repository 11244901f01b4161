// exp and SiLU with the arithmetic of llama.cpp's vectorised expf (a Cody-Waite reduction and a
// degree-5 polynomial, from Arm's optimized-routines; the constants are that polynomial's). Using
// the same approximation as llama.cpp makes SwiGLU and softmax give llama.cpp's floats bit for bit,
// which keeps greedy decoding on llama.cpp's tokens even between nearly tied candidates.
#include "internal.h"

#if PK_HAVE_X86
#include <immintrin.h>
#endif

#define PK_EXP_SHIFTER 0x1.8p23f
#define PK_LOG2E 0x1.715476p+0f
#define PK_LN2_HIGH 0x1.62e4p-1f
#define PK_LN2_LOW 0x1.7f7d1cp-20f
#define PK_C1 0x1.ffffecp-1f
#define PK_C2 0x1.fffdb6p-2f
#define PK_C3 0x1.555e66p-3f
#define PK_C4 0x1.573e2ep-5f
#define PK_C5 0x1.0e4020p-7f

float pk_expf(float x) {
    // n = x / ln 2 rounded to an integer, by adding and removing a large constant.
    const float n = fmaf(x, PK_LOG2E, PK_EXP_SHIFTER) - PK_EXP_SHIFTER;
    // b = x - n ln 2, with ln 2 in two parts for precision.
    const float b = fmaf(-n, PK_LN2_LOW, fmaf(-n, PK_LN2_HIGH, x));
    if (fabsf(n) > 192) return n > 0 ? INFINITY : 0.0f;
    const float u = b * b;
    const float p = fmaf(fmaf(fmaf(PK_C5, b, PK_C4), u, fmaf(PK_C3, b, PK_C2)), u, fmaf(PK_C1, b, 1.0f));
    return ldexpf(p, (int)n);
}

#if PK_HAVE_X86
#define PK_AVX2_TARGET __attribute__((target("avx2,fma,f16c")))

/// Eight exps at once; lanes whose scaling leaves the normal range are finished one by one.
PK_AVX2_TARGET static inline __m256 exp8(__m256 x) {
    const __m256 shifter = _mm256_set1_ps(PK_EXP_SHIFTER);
    const __m256 n = _mm256_sub_ps(_mm256_fmadd_ps(x, _mm256_set1_ps(PK_LOG2E), shifter), shifter);
    const __m256 reduced = _mm256_fnmadd_ps(n, _mm256_set1_ps(PK_LN2_HIGH), x);
    const __m256 b = _mm256_fnmadd_ps(n, _mm256_set1_ps(PK_LN2_LOW), reduced);
    const __m256 u = _mm256_mul_ps(b, b);
    const __m256 p = _mm256_fmadd_ps(
        _mm256_fmadd_ps(_mm256_fmadd_ps(_mm256_set1_ps(PK_C5), b, _mm256_set1_ps(PK_C4)), u,
                        _mm256_fmadd_ps(_mm256_set1_ps(PK_C3), b, _mm256_set1_ps(PK_C2))),
        u, _mm256_fmadd_ps(_mm256_set1_ps(PK_C1), b, _mm256_set1_ps(1.0f)));
    // p is in [0.7, 1.5]: multiplying by 2^n is adding n to its exponent while the result stays normal.
    const __m256i exponent = _mm256_cvtps_epi32(n);
    const __m256 in_range = _mm256_and_ps(_mm256_cmp_ps(n, _mm256_set1_ps(-125), _CMP_GE_OQ),
                                          _mm256_cmp_ps(n, _mm256_set1_ps(126), _CMP_LE_OQ));
    const __m256i shifted = _mm256_slli_epi32(exponent, 23);
    const __m256 scaled = _mm256_castsi256_ps(_mm256_add_epi32(_mm256_castps_si256(p), shifted));
    if (_mm256_movemask_ps(in_range) == 0xff) return scaled;
    float lanes[8], xs[8];
    _mm256_storeu_ps(lanes, scaled);
    _mm256_storeu_ps(xs, x);
    const int mask = _mm256_movemask_ps(in_range);
    for (int i = 0; i < 8; i++) {
        if (!(mask & (1 << i))) lanes[i] = pk_expf(xs[i]);
    }
    return _mm256_loadu_ps(lanes);
}

PK_AVX2_TARGET static void exp_avx2(const float *x, float *y, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, exp8(_mm256_loadu_ps(x + i)));
    for (; i < n; i++) y[i] = pk_expf(x[i]);
}

PK_AVX2_TARGET static void swiglu_avx2(float *gate, const float *up, ptrdiff_t n) {
    const __m256 one = _mm256_set1_ps(1.0f);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 g = _mm256_loadu_ps(gate + i);
        const __m256 e = exp8(_mm256_sub_ps(_mm256_setzero_ps(), g));
        _mm256_storeu_ps(gate + i, _mm256_mul_ps(_mm256_div_ps(g, _mm256_add_ps(one, e)), _mm256_loadu_ps(up + i)));
    }
    for (; i < n; i++) gate[i] = gate[i] / (1.0f + pk_expf(-gate[i])) * up[i];
}
#endif

void pk_exp(const float *x, float *y, ptrdiff_t n) {
#if PK_HAVE_X86
    if (pk_level() > 0) { exp_avx2(x, y, n); return; }
#endif
    for (ptrdiff_t i = 0; i < n; i++) y[i] = pk_expf(x[i]);
}

void pk_swiglu(float *gate, const float *up, ptrdiff_t n) {
#if PK_HAVE_X86
    if (pk_level() > 0) { swiglu_avx2(gate, up, n); return; }
#endif
    for (ptrdiff_t i = 0; i < n; i++) gate[i] = gate[i] / (1.0f + pk_expf(-gate[i])) * up[i];
}
