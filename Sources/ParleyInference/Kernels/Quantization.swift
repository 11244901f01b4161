import CParleyKernels

/// Element types of tensors as numbers: conversions and dot products, one row at a time.
///
/// The engine calls the kernels directly; this is for tools and tests that look at tensors.
public enum Quantization {
    /// Whether the engine can compute with tensors of this type.
    public static func isSupported(_ type: GGMLType) -> Bool {
        pk_type_supported(Int32(type.rawValue)) != 0
    }

    /// The first `count` elements of `bytes` (one or more rows of `type`) as floats.
    public static func dequantize(_ type: GGMLType, bytes: UnsafeRawBufferPointer, count: Int) -> [Float] {
        precondition(isSupported(type) || type == .q8_1, "cannot dequantise \(type.name)")
        precondition(type.rowBytes(count).map { $0 <= bytes.count } ?? false, "too few bytes for \(count) elements")
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            pk_dequantize_row(Int32(type.rawValue), bytes.baseAddress, buffer.baseAddress, count)
            initialized = count
        }
    }

    /// The dot product of a row of `type` with floats, computed the way the engine's matrix
    /// products compute it (activations quantised to 8 bits for quantised weights).
    /// - Parameter level: the kernels to use (see `kernelLevel`); by default the best the CPU has.
    public static func dot(_ type: GGMLType, row: UnsafeRawBufferPointer, with x: [Float], level: Int? = nil) -> Float {
        precondition(isSupported(type), "cannot multiply \(type.name)")
        let level = Int32(level ?? kernelLevel)
        let prepared = UnsafeMutableRawPointer.allocate(
            byteCount: max(1, pk_activation_row_bytes(Int32(type.rawValue), x.count)), alignment: 64)
        defer { prepared.deallocate() }
        pk_prepare_activations_at_level(level, Int32(type.rawValue), x, prepared, x.count)
        return pk_vec_dot_at_level(level, Int32(type.rawValue), row.baseAddress, prepared, x.count)
    }

    /// The instruction set of the dot products on this CPU: 2 AVX2 + VNNI, 1 AVX2, 0 portable C.
    public static var kernelLevel: Int { Int(pk_kernel_level()) }
}
