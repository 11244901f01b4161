// Portable kernels: the reference for the SIMD ones, and what runs on CPUs without them.
#include "internal.h"

static inline uint32_t read_u32(const uint8_t *p) {
    uint32_t value;
    memcpy(&value, p, 4);
    return value;
}

size_t pk_row_bytes(int type, ptrdiff_t n) {
    ptrdiff_t blocks = n / PK_QK;
    if (type != PK_TYPE_F32 && type != PK_TYPE_F16 && type != PK_TYPE_BF16 && n % PK_QK != 0) return 0;
    switch (type) {
    case PK_TYPE_F32: return (size_t)n * 4;
    case PK_TYPE_F16:
    case PK_TYPE_BF16: return (size_t)n * 2;
    case PK_TYPE_Q4_0: return (size_t)blocks * sizeof(pk_block_q4_0);
    case PK_TYPE_Q4_1: return (size_t)blocks * sizeof(pk_block_q4_1);
    case PK_TYPE_Q5_0: return (size_t)blocks * sizeof(pk_block_q5_0);
    case PK_TYPE_Q5_1: return (size_t)blocks * sizeof(pk_block_q5_1);
    case PK_TYPE_Q8_0: return (size_t)blocks * sizeof(pk_block_q8_0);
    case PK_TYPE_Q8_1: return (size_t)blocks * sizeof(pk_block_q8_1);
    default: return 0;
    }
}

int pk_type_supported(int type) {
    switch (type) {
    case PK_TYPE_F32: case PK_TYPE_F16: case PK_TYPE_BF16: case PK_TYPE_Q4_0: case PK_TYPE_Q4_1:
    case PK_TYPE_Q5_0: case PK_TYPE_Q5_1: case PK_TYPE_Q8_0:
        return 1;
    default:
        return 0;
    }
}

void pk_dequantize_row(int type, const void *src, float *dst, ptrdiff_t n) {
    const ptrdiff_t nb = n / PK_QK;
    switch (type) {
    case PK_TYPE_F32:
        memcpy(dst, src, (size_t)n * 4);
        break;
    case PK_TYPE_F16:
        pk_f16_to_f32((const uint16_t *)src, dst, n);
        break;
    case PK_TYPE_BF16: {
        const uint16_t *h = (const uint16_t *)src;
        for (ptrdiff_t i = 0; i < n; i++) dst[i] = pk_bf16_to_float(h[i]);
        break;
    }
    case PK_TYPE_Q4_0: {
        const pk_block_q4_0 *b = (const pk_block_q4_0 *)src;
        for (ptrdiff_t i = 0; i < nb; i++, dst += PK_QK) {
            const float d = pk_half_to_float(b[i].d);
            for (int j = 0; j < 16; j++) {
                dst[j] = ((int)(b[i].qs[j] & 0x0f) - 8) * d;
                dst[j + 16] = ((int)(b[i].qs[j] >> 4) - 8) * d;
            }
        }
        break;
    }
    case PK_TYPE_Q4_1: {
        const pk_block_q4_1 *b = (const pk_block_q4_1 *)src;
        for (ptrdiff_t i = 0; i < nb; i++, dst += PK_QK) {
            const float d = pk_half_to_float(b[i].d), m = pk_half_to_float(b[i].m);
            for (int j = 0; j < 16; j++) {
                dst[j] = (b[i].qs[j] & 0x0f) * d + m;
                dst[j + 16] = (b[i].qs[j] >> 4) * d + m;
            }
        }
        break;
    }
    case PK_TYPE_Q5_0: {
        const pk_block_q5_0 *b = (const pk_block_q5_0 *)src;
        for (ptrdiff_t i = 0; i < nb; i++, dst += PK_QK) {
            const float d = pk_half_to_float(b[i].d);
            const uint32_t qh = read_u32(b[i].qh);
            for (int j = 0; j < 16; j++) {
                const int low = (b[i].qs[j] & 0x0f) | (((qh >> j) & 1) << 4);
                const int high = (b[i].qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4);
                dst[j] = (low - 16) * d;
                dst[j + 16] = (high - 16) * d;
            }
        }
        break;
    }
    case PK_TYPE_Q5_1: {
        const pk_block_q5_1 *b = (const pk_block_q5_1 *)src;
        for (ptrdiff_t i = 0; i < nb; i++, dst += PK_QK) {
            const float d = pk_half_to_float(b[i].d), m = pk_half_to_float(b[i].m);
            const uint32_t qh = read_u32(b[i].qh);
            for (int j = 0; j < 16; j++) {
                const int low = (b[i].qs[j] & 0x0f) | (((qh >> j) & 1) << 4);
                const int high = (b[i].qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4);
                dst[j] = low * d + m;
                dst[j + 16] = high * d + m;
            }
        }
        break;
    }
    case PK_TYPE_Q8_0: {
        const pk_block_q8_0 *b = (const pk_block_q8_0 *)src;
        for (ptrdiff_t i = 0; i < nb; i++, dst += PK_QK) {
            const float d = pk_half_to_float(b[i].d);
            for (int j = 0; j < PK_QK; j++) dst[j] = b[i].qs[j] * d;
        }
        break;
    }
    case PK_TYPE_Q8_1: {
        const pk_block_q8_1 *b = (const pk_block_q8_1 *)src;
        for (ptrdiff_t i = 0; i < nb; i++, dst += PK_QK) {
            const float d = pk_half_to_float(b[i].d);
            for (int j = 0; j < PK_QK; j++) dst[j] = b[i].qs[j] * d;
        }
        break;
    }
    default:
        memset(dst, 0, (size_t)n * 4);
    }
}

/// Scale of a block of 32: the largest magnitude maps to 127. Computed, and rounded half to even,
/// exactly as the SIMD code does, so that every level quantises identically.
static inline float block_scale(const float *x, float *inverse) {
    float amax = 0;
    for (int j = 0; j < PK_QK; j++) amax = fmaxf(amax, fabsf(x[j]));
    *inverse = amax != 0 ? 127.0f / amax : 0.0f;
    return amax / 127.0f;
}

void pk_scalar_quantize_q8_0(const float *x, pk_block_q8_0 *y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n / PK_QK; i++, x += PK_QK) {
        float inverse;
        const float d = block_scale(x, &inverse);
        y[i].d = pk_float_to_half(d);
        for (int j = 0; j < PK_QK; j++) y[i].qs[j] = (int8_t)nearbyintf(x[j] * inverse);
    }
}

void pk_scalar_quantize_q8_1(const float *x, pk_block_q8_1 *y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n / PK_QK; i++, x += PK_QK) {
        float inverse;
        const float d = block_scale(x, &inverse);
        int sum = 0;
        for (int j = 0; j < PK_QK; j++) {
            const int q = (int)nearbyintf(x[j] * inverse);
            y[i].qs[j] = (int8_t)q;
            sum += q;
        }
        y[i].d = pk_float_to_half(d);
        y[i].s = pk_float_to_half(d * (float)sum);
    }
}

// The dot products below add up in the SIMD kernels' order (8 lanes of 4 neighbouring products,
// scaled and accumulated per block, then the lanes pairwise), so every kernel level, and
// llama.cpp, gives the same floats.

/// Accumulates one block: lane k gets d times the integer sum of products 4k ..< 4k+4.
static inline void accumulate_block(float *lanes, float d, const int *w, const int8_t *a) {
    for (int k = 0; k < 8; k++) {
        int sum = 0;
        for (int j = 4 * k; j < 4 * k + 4; j++) sum += w[j] * a[j];
        lanes[k] = fmaf(d, (float)sum, lanes[k]);
    }
}

static inline float sum_lanes(const float *lanes) {
    return ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6])) + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
}

/// The 32 quants of a 4-bit block in element order, with `offset` added.
static inline void unpack_nibbles(const uint8_t *qs, int offset, int *out) {
    for (int j = 0; j < 16; j++) {
        out[j] = (qs[j] & 0x0f) + offset;
        out[j + 16] = (qs[j] >> 4) + offset;
    }
}

/// Adds the fifth bits of a 5-bit block to its unpacked nibbles.
static inline void add_fifth_bits(const uint8_t *qh, int *out) {
    const uint32_t bits = read_u32(qh);
    for (int j = 0; j < 32; j++) out[j] += (int)((bits >> j) & 1) << 4;
}

static float dot_q4_0(const pk_block_q4_0 *w, const pk_block_q8_0 *a, ptrdiff_t nb) {
    float lanes[8] = {0};
    int q[32];
    for (ptrdiff_t i = 0; i < nb; i++) {
        unpack_nibbles(w[i].qs, -8, q);
        accumulate_block(lanes, pk_half_to_float(w[i].d) * pk_half_to_float(a[i].d), q, a[i].qs);
    }
    return sum_lanes(lanes);
}

static float dot_q4_1(const pk_block_q4_1 *w, const pk_block_q8_1 *a, ptrdiff_t nb) {
    float lanes[8] = {0};
    float mins = 0;
    int q[32];
    for (ptrdiff_t i = 0; i < nb; i++) {
        mins = fmaf(pk_half_to_float(w[i].m), pk_half_to_float(a[i].s), mins);
        unpack_nibbles(w[i].qs, 0, q);
        accumulate_block(lanes, pk_half_to_float(w[i].d) * pk_half_to_float(a[i].d), q, a[i].qs);
    }
    return sum_lanes(lanes) + mins;
}

static float dot_q5_0(const pk_block_q5_0 *w, const pk_block_q8_0 *a, ptrdiff_t nb) {
    float lanes[8] = {0};
    int q[32];
    for (ptrdiff_t i = 0; i < nb; i++) {
        unpack_nibbles(w[i].qs, -16, q);
        add_fifth_bits(w[i].qh, q);
        accumulate_block(lanes, pk_half_to_float(w[i].d) * pk_half_to_float(a[i].d), q, a[i].qs);
    }
    return sum_lanes(lanes);
}

static float dot_q5_1(const pk_block_q5_1 *w, const pk_block_q8_1 *a, ptrdiff_t nb) {
    float lanes[8] = {0};
    float mins = 0;
    int q[32];
    for (ptrdiff_t i = 0; i < nb; i++) {
        mins = fmaf(pk_half_to_float(w[i].m), pk_half_to_float(a[i].s), mins);
        unpack_nibbles(w[i].qs, 0, q);
        add_fifth_bits(w[i].qh, q);
        accumulate_block(lanes, pk_half_to_float(w[i].d) * pk_half_to_float(a[i].d), q, a[i].qs);
    }
    return sum_lanes(lanes) + mins;
}

static float dot_q8_0(const pk_block_q8_0 *w, const pk_block_q8_0 *a, ptrdiff_t nb) {
    float lanes[8] = {0};
    int q[32];
    for (ptrdiff_t i = 0; i < nb; i++) {
        for (int j = 0; j < 32; j++) q[j] = w[i].qs[j];
        accumulate_block(lanes, pk_half_to_float(w[i].d) * pk_half_to_float(a[i].d), q, a[i].qs);
    }
    return sum_lanes(lanes);
}

float pk_scalar_dot(int type, const void *w, const void *a, ptrdiff_t n) {
    const ptrdiff_t nb = n / PK_QK;
    switch (type) {
    case PK_TYPE_Q4_0: return dot_q4_0(w, a, nb);
    case PK_TYPE_Q4_1: return dot_q4_1(w, a, nb);
    case PK_TYPE_Q5_0: return dot_q5_0(w, a, nb);
    case PK_TYPE_Q5_1: return dot_q5_1(w, a, nb);
    case PK_TYPE_Q8_0: return dot_q8_0(w, a, nb);
    case PK_TYPE_F32: {
        const float *x = w, *y = a;
        float sum = 0;
        for (ptrdiff_t i = 0; i < n; i++) sum += x[i] * y[i];
        return sum;
    }
    case PK_TYPE_F16: {
        const uint16_t *x = w;
        const float *y = a;
        float sum = 0;
        for (ptrdiff_t i = 0; i < n; i++) sum += pk_half_to_float(x[i]) * y[i];
        return sum;
    }
    case PK_TYPE_BF16: {
        const uint16_t *x = w;
        const float *y = a;
        float sum = 0;
        for (ptrdiff_t i = 0; i < n; i++) sum += pk_bf16_to_float(x[i]) * y[i];
        return sum;
    }
    default: return 0;
    }
}
