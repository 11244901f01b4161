// Shared definitions of the kernel sources (not part of the public header).
#ifndef PARLEY_KERNELS_INTERNAL_H
#define PARLEY_KERNELS_INTERNAL_H

#include "ParleyKernels.h"
#include <math.h>
#include <string.h>

#define PK_QK 32
/// Largest head size attention handles.
#define PK_MAX_HEAD_DIM 512

typedef struct { uint16_t d; uint8_t qs[16]; } pk_block_q4_0;
typedef struct { uint16_t d, m; uint8_t qs[16]; } pk_block_q4_1;
typedef struct { uint16_t d; uint8_t qh[4]; uint8_t qs[16]; } pk_block_q5_0;
typedef struct { uint16_t d, m; uint8_t qh[4]; uint8_t qs[16]; } pk_block_q5_1;
typedef struct { uint16_t d; int8_t qs[32]; } pk_block_q8_0;
/// s is d times the sum of the quants: it carries the weights' minimum term of Q4_1 and Q5_1.
typedef struct { uint16_t d, s; int8_t qs[32]; } pk_block_q8_1;

_Static_assert(sizeof(pk_block_q4_0) == 18, "q4_0 block");
_Static_assert(sizeof(pk_block_q4_1) == 20, "q4_1 block");
_Static_assert(sizeof(pk_block_q5_0) == 22, "q5_0 block");
_Static_assert(sizeof(pk_block_q5_1) == 24, "q5_1 block");
_Static_assert(sizeof(pk_block_q8_0) == 34, "q8_0 block");
_Static_assert(sizeof(pk_block_q8_1) == 36, "q8_1 block");

/// IEEE half to float, exact, without F16C.
static inline float pk_half_to_float(uint16_t h) {
    const uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    const uint32_t exponent = (h >> 10) & 0x1f;
    const uint32_t mantissa = h & 0x3ff;
    uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {
            // Subnormal: value = mantissa * 2^-24.
            float value = (float)mantissa * 5.9604644775390625e-8f;
            memcpy(&bits, &value, 4);
            bits |= sign;
        }
    } else if (exponent == 31) {
        bits = sign | 0x7f800000 | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    }
    float result;
    memcpy(&result, &bits, 4);
    return result;
}

/// Float to IEEE half, rounding to nearest even, without F16C.
static inline uint16_t pk_float_to_half(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    const uint32_t sign = (x >> 16) & 0x8000;
    const uint32_t absolute = x & 0x7fffffff;
    if (absolute >= 0x7f800000) {  // inf or nan
        return (uint16_t)(sign | 0x7c00 | (absolute > 0x7f800000 ? 0x200 : 0));
    }
    if (absolute >= 0x477ff000) {  // rounds to >= 65536: overflow to infinity
        return (uint16_t)(sign | 0x7c00);
    }
    if (absolute < 0x38800000) {  // below the smallest normal half: subnormal or zero
        // Adding 0.5 makes the FPU do the rounding: the result's low bits are the half's mantissa.
        float magnitude;
        memcpy(&magnitude, &absolute, 4);
        float shifted = magnitude + 0.5f;
        uint32_t bits;
        memcpy(&bits, &shifted, 4);
        return (uint16_t)(sign | (bits - 0x3f000000));
    }
    const uint32_t mantissa_odd = (absolute >> 13) & 1;
    uint32_t rounded = absolute + 0xc8000fff + mantissa_odd;  // rebias exponent, round to nearest even
    return (uint16_t)(sign | (rounded >> 13));
}

static inline float pk_bf16_to_float(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float result;
    memcpy(&result, &bits, 4);
    return result;
}

/// Output rows per panel of a packed float weight matrix (see sgemm.c).
#define PK_NR 32

/// One float matrix product in flight (sgemm.c); the tiles read it.
typedef struct {
    const float *packed;
    const float *bias;
    ptrdiff_t rows, cols, panels;
    const float *x;
    ptrdiff_t x_stride, ntok;
    float *y;
    ptrdiff_t y_stride;
    const float *residual;
    ptrdiff_t residual_stride;
    int gelu;
} pk_sgemm_job;

/// Tokens t0 ..< t0+m times panel p over k in [k0, k0+kc); the last block adds bias, residual, GELU.
typedef void (*pk_sgemm_tile_fn)(const pk_sgemm_job *job, ptrdiff_t t0, ptrdiff_t m, ptrdiff_t p, ptrdiff_t k0,
                                 ptrdiff_t kc);
float pk_gelu_scalar(float x);

// Scalar implementations (always available).
void pk_scalar_quantize_q8_0(const float *x, pk_block_q8_0 *y, ptrdiff_t n);
void pk_scalar_quantize_q8_1(const float *x, pk_block_q8_1 *y, ptrdiff_t n);
float pk_scalar_dot(int type, const void *w, const void *a, ptrdiff_t n);

#if defined(__x86_64__)
#define PK_HAVE_X86 1
void pk_avx2_quantize_q8_0(const float *x, pk_block_q8_0 *y, ptrdiff_t n);
void pk_avx2_quantize_q8_1(const float *x, pk_block_q8_1 *y, ptrdiff_t n);
float pk_avx2_dot(int type, const void *w, const void *a, ptrdiff_t n);
float pk_vnni_dot(int type, const void *w, const void *a, ptrdiff_t n);
typedef int (*pk_gemm_fn)(int type, const uint8_t *weights, size_t weight_row, ptrdiff_t r0, ptrdiff_t r1,
                          const uint8_t *activations, size_t activation_row, ptrdiff_t t0, ptrdiff_t t1, float *y,
                          ptrdiff_t y_stride, ptrdiff_t n);
int pk_avx2_gemm(int type, const uint8_t *weights, size_t weight_row, ptrdiff_t r0, ptrdiff_t r1,
                 const uint8_t *activations, size_t activation_row, ptrdiff_t t0, ptrdiff_t t1, float *y,
                 ptrdiff_t y_stride, ptrdiff_t n);
int pk_vnni_gemm(int type, const uint8_t *weights, size_t weight_row, ptrdiff_t r0, ptrdiff_t r1,
                 const uint8_t *activations, size_t activation_row, ptrdiff_t t0, ptrdiff_t t1, float *y,
                 ptrdiff_t y_stride, ptrdiff_t n);
void pk_avx2_f32_to_f16(const float *src, uint16_t *dst, ptrdiff_t n);
void pk_avx2_f16_to_f32(const uint16_t *src, float *dst, ptrdiff_t n);
float pk_avx2_dot_f16_tree(const uint16_t *k, const float *q, int n);
float pk_avx2_dot_f16_sets(const uint16_t *k, const float *q, int n);
void pk_avx2_scale_to_half(float *p, float scale, ptrdiff_t n);
void pk_avx2_axpy_f16(float *y, const uint16_t *x, float a, int n);
/// 1 when the CPU has AVX-512 F/VL/DQ/BW (and it is not lowered by PARLEY_KERNELS).
int pk_has_avx512(void);
void pk_avx512_sgemm_tile(const pk_sgemm_job *job, ptrdiff_t t0, ptrdiff_t m, ptrdiff_t p, ptrdiff_t k0, ptrdiff_t kc);
void pk_avx2_sgemm_tile(const pk_sgemm_job *job, ptrdiff_t t0, ptrdiff_t m, ptrdiff_t p, ptrdiff_t k0, ptrdiff_t kc);
void pk_avx512_gelu(float *x, ptrdiff_t n);
#endif

/// Current kernel level, set once by detection and optionally lowered.
int pk_level(void);

/// A parallel loop: fn(ctx, task, thread) for every task in 0 ..< ntasks.
typedef void (*pk_task_fn)(void *ctx, int task, int thread);
void pk_pool_run(pk_pool *pool, pk_task_fn fn, void *ctx, int ntasks);

#endif
