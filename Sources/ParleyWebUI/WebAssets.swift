import Foundation

/// The web UI's static files (HTML, CSS, JavaScript modules), from the module's bundle or, for
/// development, from a folder on disk so that edits show without a rebuild.
public struct WebAssets: Sendable {
    /// One file, ready to send.
    public struct Asset: Sendable {
        public let bytes: Data
        public let contentType: String
        /// A strong validator derived from the bytes (quoted, as the `ETag` header wants it).
        public let etag: String
    }

    private enum Source: Sendable {
        case memory([String: Asset])
        case folder(URL)
    }

    private let source: Source

    /// The files shipped in the module's bundle, read once.
    public static func bundled() -> WebAssets {
        guard let root = Bundle.module.resourceURL?.appendingPathComponent("Web") else {
            return WebAssets(source: .memory([:]))
        }
        return WebAssets(source: .memory(Self.readAll(under: root)))
    }

    /// The files of a folder, read again on every request (`PARLEY_WEBUI_DIR`, for working on the UI).
    public static func live(folder: String) -> WebAssets {
        WebAssets(source: .folder(URL(fileURLWithPath: folder, isDirectory: true)))
    }

    /// The file at a relative path (`index.html`, `js/app.js`), or nil when there is none or the path
    /// tries to leave the UI's folder.
    public func asset(at path: String) -> Asset? {
        guard let clean = Self.normalised(path) else { return nil }
        switch source {
        case .memory(let files): return files[clean]
        case .folder(let root):
            let url = root.appendingPathComponent(clean)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue,
                let bytes = try? Data(contentsOf: url)
            else { return nil }
            return Self.asset(bytes, path: clean)
        }
    }

    /// Only plain relative paths of letters, digits, `-`, `_`, `.` and `/`, without `..` or empty parts.
    static func normalised(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty else { return nil }
        for part in parts {
            guard !part.isEmpty, part != ".", part != "..", !part.hasPrefix("."),
                part.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
            else { return nil }
        }
        return parts.joined(separator: "/")
    }

    private static func readAll(under root: URL) -> [String: Asset] {
        var files: [String: Asset] = [:]
        let base = root.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else { return files }
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                let bytes = try? Data(contentsOf: url)
            else { continue }
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(base + "/") else { continue }
            let relative = String(full.dropFirst(base.count + 1))
            files[relative] = asset(bytes, path: relative)
        }
        return files
    }

    private static func asset(_ bytes: Data, path: String) -> Asset {
        Asset(bytes: bytes, contentType: contentType(of: path), etag: "\"\(fingerprint(bytes))\"")
    }

    /// The media type by extension; anything unknown is sent as bytes, never sniffed.
    public static func contentType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    /// 64-bit FNV-1a of the bytes, in hex: enough to tell versions of a file apart.
    static func fingerprint(_ bytes: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16) + "-" + String(bytes.count, radix: 16)
    }
}
