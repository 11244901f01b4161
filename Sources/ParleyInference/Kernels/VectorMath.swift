import CParleyKernels
import Foundation

/// The element-wise steps between matrix products; cheap next to them, so plain Swift.
/// Each follows llama.cpp's arithmetic (double accumulators, float exponentials) to stay close to it.
enum VectorMath {
    /// out = x / rms(x) * weight, for `rows` rows of `count` floats.
    static func rmsNorm(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, epsilon: Float, count: Int, rows: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        for row in 0..<rows {
            let input = x + row * count
            let output = out + row * count
            var sum: Double = 0
            for i in 0..<count { sum += Double(input[i] * input[i]) }
            let scale = 1 / (Float(sum / Double(count)) + epsilon).squareRoot()
            for i in 0..<count { output[i] = input[i] * scale * weight[i] }
        }
    }

    /// x += y, over `count` floats.
    static func add(_ y: UnsafePointer<Float>, to x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }

    /// gate = silu(gate) * up, over `count` floats (in C: its exp must be llama.cpp's, see exp.c).
    static func swiGLU(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        pk_swiglu(gate, up, count)
    }
}
