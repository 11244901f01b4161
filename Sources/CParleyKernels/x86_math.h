// Vector math shared by the AVX-512 kernels of the encoder (sgemm_x86.c, encoder_x86.c).
#ifndef PARLEY_KERNELS_X86_MATH_H
#define PARLEY_KERNELS_X86_MATH_H

#include "internal.h"

#if PK_HAVE_X86
#include <immintrin.h>

#define PK_AVX512_TARGET __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,fma")))
#define PK_ALWAYS_INLINE inline __attribute__((always_inline))

/// e^x for x <= 0 (to within a couple of ulps; flushes below e^-87 towards zero).
PK_AVX512_TARGET static PK_ALWAYS_INLINE __m512 pk_exp_nonpositive512(__m512 x) {
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

#endif
#endif
