extension Unicode.Scalar {
    /// Python's `str.isspace()` (and regex `\s`): the characters Jinja's whitespace control and
    /// `strip()`/`split()` treat as whitespace, which is more than ASCII space, tab and newline.
    var isPythonWhitespace: Bool {
        switch value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
            0x3000:
            return true
        default:
            return false
        }
    }

    /// Python's `str.splitlines()` boundaries.
    var isPythonLineBoundary: Bool {
        switch value {
        case 0x0A...0x0D, 0x1C...0x1E, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }
}
