// Hot kernels of Parley's inference engine: quantised dot products, the matrix products built on
// them, attention, and the thread pool that spreads them over the cores. Everything else of the
// engine is Swift; these are in C because they need x86 SIMD intrinsics (AVX2, FMA, F16C, VNNI),
// chosen at run time by CPU detection, with portable scalar code for every other CPU.
#ifndef PARLEY_KERNELS_H
#define PARLEY_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Tensor element types, numbered as ggml numbers them.
enum {
    PK_TYPE_F32 = 0,
    PK_TYPE_F16 = 1,
    PK_TYPE_Q4_0 = 2,
    PK_TYPE_Q4_1 = 3,
    PK_TYPE_Q5_0 = 6,
    PK_TYPE_Q5_1 = 7,
    PK_TYPE_Q8_0 = 8,
    PK_TYPE_Q8_1 = 9,
    PK_TYPE_BF16 = 30,
};

/// Which instruction set the kernels use: 0 scalar, 1 AVX2+FMA+F16C, 2 AVX2 with VNNI dot products.
/// The environment variable PARLEY_KERNELS=scalar|avx2 lowers it (to compare kernels).
int pk_kernel_level(void);
/// Name of the current level ("scalar", "avx2", "avx2-vnni").
const char *pk_kernel_level_name(void);

/// 1 when the weight type can be multiplied by these kernels.
int pk_type_supported(int type);
/// Bytes of a row of `n` elements of `type`; 0 when `n` is not a whole number of blocks.
size_t pk_row_bytes(int type, ptrdiff_t n);

/// Converts a row of `n` elements of `type` to floats.
void pk_dequantize_row(int type, const void *src, float *dst, ptrdiff_t n);

/// Bytes of one row of `n` activations prepared for a product with weights of `weight_type`.
size_t pk_activation_row_bytes(int weight_type, ptrdiff_t n);
/// Prepares activations for a product with weights of `weight_type` (Q8_0 or Q8_1 blocks for
/// quantised weights, floats otherwise).
void pk_prepare_activations(int weight_type, const float *x, void *dst, ptrdiff_t n);
/// Dot product of one weight row with one prepared activation row.
float pk_vec_dot(int weight_type, const void *weights, const void *activations, ptrdiff_t n);
/// The same with the kernels of `level` (clamped to what the CPU has), for tests.
void pk_prepare_activations_at_level(int level, int weight_type, const float *x, void *dst, ptrdiff_t n);
float pk_vec_dot_at_level(int level, int weight_type, const void *weights, const void *activations, ptrdiff_t n);

/// e^x, to within 2 ulps, the same floats as llama.cpp's vectorised expf.
float pk_expf(float x);
void pk_exp(const float *x, float *y, ptrdiff_t n);
/// gate[i] = silu(gate[i]) * up[i] (the SwiGLU of Llama's feed-forward).
void pk_swiglu(float *gate, const float *up, ptrdiff_t n);

void pk_f32_to_f16(const float *src, uint16_t *dst, ptrdiff_t n);
void pk_f16_to_f32(const uint16_t *src, float *dst, ptrdiff_t n);

/// A pool of worker threads that run parallel loops together with the calling thread.
typedef struct pk_pool pk_pool;

/// A pool using `threads` threads in all (the caller counts as one).
pk_pool *pk_pool_create(int threads);
void pk_pool_destroy(pk_pool *pool);
int pk_pool_threads(const pk_pool *pool);

/// y[t*y_stride + r] = dot(W row r, x row t) for r < rows, t < ntok; W is `rows` rows of `cols`
/// elements of `weight_type`, x is `ntok` rows of floats `x_stride` apart. `scratch` holds at least
/// ntok * pk_activation_row_bytes(weight_type, cols) bytes.
void pk_matmul(pk_pool *pool, int weight_type, const void *weights, ptrdiff_t rows, ptrdiff_t cols,
               const float *x, ptrdiff_t x_stride, ptrdiff_t ntok, float *y, ptrdiff_t y_stride, void *scratch);

/// Causal attention with grouped heads over a half-precision KV cache; head_dim is at most 512.
/// q: ntok rows of n_head*head_dim floats (q_stride apart); the tokens sit at positions
/// first_pos ..< first_pos+ntok. k_cache, v_cache: rows of n_head_kv*head_dim halves (kv_stride
/// apart) for positions 0 ..< first_pos+ntok. out: ntok rows of n_head*head_dim floats (out_stride
/// apart). scratch: pk_attention_scratch_floats(...) floats.
void pk_attention(pk_pool *pool, const float *q, ptrdiff_t q_stride, const uint16_t *k_cache,
                  const uint16_t *v_cache, ptrdiff_t kv_stride, float *out, ptrdiff_t out_stride, ptrdiff_t ntok,
                  ptrdiff_t first_pos, int n_head, int n_head_kv, int head_dim, float scale, float *scratch);
/// Floats of scratch pk_attention needs for a context of `context` positions.
size_t pk_attention_scratch_floats(const pk_pool *pool, ptrdiff_t context, int head_dim);

/// Floats of a float weight matrix (`rows` outputs × `cols` inputs) and its bias packed for pk_sgemm.
size_t pk_sgemm_packed_floats(ptrdiff_t rows, ptrdiff_t cols);
/// Packs W (row-major, `rows` × `cols`, as in y = W·x) and its bias (may be NULL) for pk_sgemm.
void pk_sgemm_pack(const float *w, const float *bias, ptrdiff_t rows, ptrdiff_t cols, float *packed);
/// y[t*y_stride + r] = bias[r] + dot(W row r, x row t) (+ residual[t*residual_stride + r] when residual is
/// not NULL), then GELU when `gelu` is 1, for t < ntok. `packed` comes from pk_sgemm_pack; y must not
/// overlap x or residual.
void pk_sgemm(pk_pool *pool, const float *packed, ptrdiff_t rows, ptrdiff_t cols, const float *x, ptrdiff_t x_stride,
              ptrdiff_t ntok, float *y, ptrdiff_t y_stride, const float *residual, ptrdiff_t residual_stride, int gelu);
/// x[i] = GELU(x[i]) with the error function (not the tanh approximation).
void pk_gelu(float *x, ptrdiff_t n);
/// Layer normalisation of `ntok` rows of `n` floats; y may be x.
void pk_layer_norm(pk_pool *pool, const float *x, ptrdiff_t x_stride, ptrdiff_t ntok, ptrdiff_t n, const float *gamma,
                   const float *beta, float eps, float *y, ptrdiff_t y_stride);
/// Bidirectional attention over packed sequences: sequence s is tokens offsets[s] ..< offsets[s+1] and
/// attends to those only. qkv: per token its query, key and value, each n_head*head_dim floats, rows
/// qkv_stride apart. out: per token n_head*head_dim floats, rows out_stride apart. No sequence is longer
/// than max_length; scratch holds pk_encoder_attention_scratch_floats(pool, max_length, head_dim) floats.
void pk_encoder_attention(pk_pool *pool, const float *qkv, ptrdiff_t qkv_stride, const int32_t *offsets, int nseq,
                          int n_head, int head_dim, float scale, float *out, ptrdiff_t out_stride, ptrdiff_t max_length,
                          float *scratch);
size_t pk_encoder_attention_scratch_floats(const pk_pool *pool, ptrdiff_t max_length, int head_dim);

#ifdef __cplusplus
}
#endif

#endif
