import CParleyKernels

/// Scratch memory of a Llama forward pass for up to `batch` tokens at once, reused between calls.
/// Used only under its model's lock.
final class LlamaWorkspace: @unchecked Sendable {
    let batch: Int
    let x: UnsafeMutablePointer<Float>
    let normed: UnsafeMutablePointer<Float>
    let query: UnsafeMutablePointer<Float>
    let key: UnsafeMutablePointer<Float>
    let value: UnsafeMutablePointer<Float>
    let attention: UnsafeMutablePointer<Float>
    let projected: UnsafeMutablePointer<Float>
    let gate: UnsafeMutablePointer<Float>
    let up: UnsafeMutablePointer<Float>
    let ropeCos: UnsafeMutablePointer<Float>
    let ropeSin: UnsafeMutablePointer<Float>
    let activations: UnsafeMutableRawPointer
    private(set) var attentionScratch: UnsafeMutablePointer<Float>
    private var attentionScratchCount: Int
    private let allocations: [UnsafeMutablePointer<Float>]

    init(shape: LlamaHyperparameters, batch: Int, matrices: [WeightMatrix]) {
        self.batch = batch
        func floats(_ count: Int) -> UnsafeMutablePointer<Float> { .allocate(capacity: max(1, count * batch)) }
        x = floats(shape.embedding)
        normed = floats(shape.embedding)
        query = floats(shape.queryDimension)
        key = floats(shape.kvDimension)
        value = floats(shape.kvDimension)
        attention = floats(shape.queryDimension)
        projected = floats(shape.embedding)
        gate = floats(shape.feedForward)
        up = floats(shape.feedForward)
        ropeCos = floats(shape.ropeDimensions / 2)
        ropeSin = floats(shape.ropeDimensions / 2)
        allocations = [x, normed, query, key, value, attention, projected, gate, up, ropeCos, ropeSin]
        let scratchBytes = matrices.map { $0.scratchBytes(tokens: batch) }.max() ?? 0
        activations = .allocate(byteCount: max(64, scratchBytes), alignment: 64)
        attentionScratchCount = 0
        attentionScratch = .allocate(capacity: 1)
    }

    deinit {
        allocations.forEach { $0.deallocate() }
        activations.deallocate()
        attentionScratch.deallocate()
    }

    /// Makes room in the attention scratch for `floats` floats.
    func reserveAttentionScratch(_ floats: Int) {
        guard floats > attentionScratchCount else { return }
        attentionScratch.deallocate()
        attentionScratch = .allocate(capacity: floats)
        attentionScratchCount = floats
    }
}
