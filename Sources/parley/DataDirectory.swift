import Foundation
import ParleyServer

/// `--data`, else `PARLEY_DATA`, else `~/.parley`.
func dataDirectory(_ option: String?) -> URL {
    let path = option ?? ProcessInfo.processInfo.environment["PARLEY_DATA"] ?? ParleyConfiguration.defaultDataDirectory
    return URL(fileURLWithPath: path)
}
