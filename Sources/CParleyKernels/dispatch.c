// Chooses the kernels for this CPU once, and routes the public entry points to them.
#include "internal.h"
#include <stdlib.h>

#include <stdatomic.h>

// Detection is idempotent: threads racing on the first call store the same value.
static _Atomic int detected_level = -1;

static int detect(void) {
#if PK_HAVE_X86
    __builtin_cpu_init();
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c"))) {
        return 0;
    }
    if (__builtin_cpu_supports("avxvnni")) return 2;
    return 1;
#else
    return 0;
#endif
}

int pk_level(void) {
    if (detected_level < 0) {
        int level = detect();
        // PARLEY_KERNELS=scalar|avx2 lowers the level, for comparing kernels.
        const char *wanted = getenv("PARLEY_KERNELS");
        if (wanted && strcmp(wanted, "scalar") == 0 && level > 0) level = 0;
        if (wanted && strcmp(wanted, "avx2") == 0 && level > 1) level = 1;
        detected_level = level;
    }
    return detected_level;
}

int pk_kernel_level(void) { return pk_level(); }

const char *pk_kernel_level_name(void) {
    switch (pk_level()) {
    case 2: return "avx2-vnni";
    case 1: return "avx2";
    default: return "scalar";
    }
}

/// The activation format a weight type is multiplied with.
static int activation_type(int weight_type) {
    switch (weight_type) {
    case PK_TYPE_Q4_0: case PK_TYPE_Q5_0: case PK_TYPE_Q8_0: return PK_TYPE_Q8_0;
    case PK_TYPE_Q4_1: case PK_TYPE_Q5_1: return PK_TYPE_Q8_1;
    default: return PK_TYPE_F32;
    }
}

size_t pk_activation_row_bytes(int weight_type, ptrdiff_t n) {
    return pk_row_bytes(activation_type(weight_type), n);
}

void pk_prepare_activations(int weight_type, const float *x, void *dst, ptrdiff_t n) {
    pk_prepare_activations_at_level(pk_level(), weight_type, x, dst, n);
}

void pk_prepare_activations_at_level(int level, int weight_type, const float *x, void *dst, ptrdiff_t n) {
    if (level > pk_level()) level = pk_level();
    switch (activation_type(weight_type)) {
    case PK_TYPE_Q8_0:
#if PK_HAVE_X86
        if (level > 0) { pk_avx2_quantize_q8_0(x, dst, n); return; }
#endif
        pk_scalar_quantize_q8_0(x, dst, n);
        return;
    case PK_TYPE_Q8_1:
#if PK_HAVE_X86
        if (level > 0) { pk_avx2_quantize_q8_1(x, dst, n); return; }
#endif
        pk_scalar_quantize_q8_1(x, dst, n);
        return;
    default:
        memcpy(dst, x, (size_t)n * 4);
    }
    (void)level;
}

float pk_vec_dot(int weight_type, const void *weights, const void *activations, ptrdiff_t n) {
    return pk_vec_dot_at_level(pk_level(), weight_type, weights, activations, n);
}

float pk_vec_dot_at_level(int level, int weight_type, const void *weights, const void *activations, ptrdiff_t n) {
    if (level > pk_level()) level = pk_level();
#if PK_HAVE_X86
    if (level >= 2) return pk_vnni_dot(weight_type, weights, activations, n);
    if (level == 1) return pk_avx2_dot(weight_type, weights, activations, n);
#endif
    (void)level;
    return pk_scalar_dot(weight_type, weights, activations, n);
}

void pk_f32_to_f16(const float *src, uint16_t *dst, ptrdiff_t n) {
#if PK_HAVE_X86
    if (pk_level() > 0) { pk_avx2_f32_to_f16(src, dst, n); return; }
#endif
    for (ptrdiff_t i = 0; i < n; i++) dst[i] = pk_float_to_half(src[i]);
}

void pk_f16_to_f32(const uint16_t *src, float *dst, ptrdiff_t n) {
#if PK_HAVE_X86
    if (pk_level() > 0) { pk_avx2_f16_to_f32(src, dst, n); return; }
#endif
    for (ptrdiff_t i = 0; i < n; i++) dst[i] = pk_half_to_float(src[i]);
}
