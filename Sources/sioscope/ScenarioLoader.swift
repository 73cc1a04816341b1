import ArgumentParser
import Foundation
import Scenarios

/// A built-in scenario by name, else a scenario file; errors name the file, line and column.
enum ScenarioLoader {
    static func load(_ nameOrPath: String) throws -> Scenario {
        if let builtIn = Scenario.builtIn(named: nameOrPath) { return builtIn }
        guard FileManager.default.fileExists(atPath: nameOrPath) else {
            throw ValidationError("no scenario '\(nameOrPath)': not a file, and not built in (\(Scenario.builtIn.map(\.name).joined(separator: ", ")))")
        }
        guard let data = FileManager.default.contents(atPath: nameOrPath), let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("cannot read \(nameOrPath) as UTF-8 text")
        }
        let name = URL(fileURLWithPath: nameOrPath).deletingPathExtension().lastPathComponent
        do {
            return try ScenarioFile.parse(text, file: nameOrPath, defaultName: name)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
