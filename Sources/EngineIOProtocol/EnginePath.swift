/// Engine.IO paths as servers match them: a leading `/` and a trailing `/` (`socket.io` and
/// `/socket.io` both mean `/socket.io/`).
public func normalizedEnginePath(_ path: String) -> String {
    var p = path.hasPrefix("/") ? path : "/" + path
    if !p.hasSuffix("/") { p += "/" }
    return p
}
