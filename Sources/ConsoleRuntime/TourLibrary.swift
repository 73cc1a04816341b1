import ConsoleModel
import Foundation
import TermUI

/// The guided tour's lessons and where the operator stopped: lesson files (`*.tour`) from the
/// shipped `tours/` folder and the user's own (`$XDG_CONFIG_HOME/sioscope/tours`), in file-name
/// order, the first file of a name winning; progress in `$XDG_CONFIG_HOME/sioscope/tour-progress`.
public struct TourLibrary: Sendable {
    public var directories: [String]
    public var progressFile: String

    public init(directories: [String], progressFile: String) {
        self.directories = directories
        self.progressFile = progressFile
    }

    public init(environment: [String: String]) {
        self.init(directories: DataDirectories.search(folder: "tours", variable: "SIOSCOPE_TOURS", environment: environment),
                  progressFile: DataDirectories.configDirectory(environment: environment) + "/tour-progress")
    }

    /// Every lesson that parses, and a `FILE:LINE:COLUMN` line for each that does not.
    public func load() -> (lessons: [Lesson], problems: [String]) {
        var files: [String: String] = [:]
        for dir in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names where name.hasSuffix(".tour") && files[name] == nil { files[name] = dir + "/" + name }
        }
        var lessons: [Lesson] = [], problems: [String] = []
        for name in files.keys.sorted() {
            let path = files[name]!
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                problems.append("\(path): cannot read it as UTF-8")
                continue
            }
            do {
                lessons.append(try LessonFile.parse(text, file: path, id: String(name.dropLast(".tour".count))))
            } catch {
                problems.append(error.description)
            }
        }
        return (lessons, problems)
    }

    /// Where the operator stopped: a lesson id and a step (from 0).
    public func progress() -> (lesson: String, step: Int)? {
        guard let text = try? String(contentsOfFile: progressFile, encoding: .utf8) else { return nil }
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.count == 2, let step = Int(words[1]), step >= 0 else { return nil }
        return (String(words[0]), step)
    }

    public func saveProgress(lesson: String, step: Int) throws {
        let directory = (progressFile as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "\(lesson) \(step)\n".write(toFile: progressFile, atomically: true, encoding: .utf8)
    }
}
