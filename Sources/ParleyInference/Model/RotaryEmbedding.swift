import Foundation

/// Rotary position embedding (RoPE). Llama-family GGUF files rotate adjacent pairs (ggml's "normal"
/// mode; the converter permutes Q and K for it); NeoX-style models rotate the two halves of a head.
struct RotaryEmbedding: Sendable {
    enum Pairing: Sendable {
        case adjacent
        case halves
    }

    /// Dimensions rotated at the start of each head (the rest pass through).
    let dimensions: Int
    let base: Float
    let pairing: Pairing

    /// cos and sin of every pair's angle at each of `positions`, laid out [position][pair].
    func table(positions: Range<Int>, cos cosines: UnsafeMutablePointer<Float>, sin sines: UnsafeMutablePointer<Float>)
    {
        let pairs = dimensions / 2
        // Angles grow by repeated multiplication in Float, as llama.cpp computes them.
        let step = powf(base, -2 / Float(dimensions))
        for (row, position) in positions.enumerated() {
            var theta = Float(position)
            for pair in 0..<pairs {
                cosines[row * pairs + pair] = cosf(theta)
                sines[row * pairs + pair] = sinf(theta)
                theta *= step
            }
        }
    }

    /// Rotates `heads` heads of `headSize` floats in each of `rows` rows (`stride` floats apart).
    func apply(
        _ x: UnsafeMutablePointer<Float>, rows: Int, stride: Int, heads: Int, headSize: Int,
        cos cosines: UnsafePointer<Float>, sin sines: UnsafePointer<Float>
    ) {
        let pairs = dimensions / 2
        for row in 0..<rows {
            let c = cosines + row * pairs
            let s = sines + row * pairs
            for head in 0..<heads {
                let h = x + row * stride + head * headSize
                for pair in 0..<pairs {
                    let (i, j) = pairing == .adjacent ? (2 * pair, 2 * pair + 1) : (pair, pair + pairs)
                    let a = h[i]
                    let b = h[j]
                    // Fused as llama.cpp's build fuses them, so both round alike.
                    h[i] = (-(b * s[pair])).addingProduct(a, c[pair])
                    h[j] = (b * c[pair]).addingProduct(a, s[pair])
                }
            }
        }
    }
}
