import Foundation
import Testing
import TermUI

/// Compares a rendered buffer (text layer and role layer) with Snapshots/<name>.txt.
/// `RECORD_SNAPSHOTS=1` rewrites the file and fails the test, so a recording is never a pass.
func assertSnapshot(_ buffer: CellBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try assertText(buffer.text + "\n--- roles ---\n" + buffer.roleDump + "\n", named: name, sourceLocation: sourceLocation)
}

/// Compares text with Snapshots/<name>.txt (same recording rules).
func assertText(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = directory.appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try actual.write(to: file, atomically: true, encoding: .utf8)
        Issue.record("recorded \(file.lastPathComponent); run again without RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("no snapshot \(file.path); record it with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
        Issue.record("""
            \(name) differs from its snapshot at line \(first + 1):
            expected: \(first < e.count ? String(e[first]) : "<end>")
            actual:   \(first < a.count ? String(a[first]) : "<end>")
            (RECORD_SNAPSHOTS=1 re-records after a deliberate change)
            """, sourceLocation: sourceLocation)
    }
}
