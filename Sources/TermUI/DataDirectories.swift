import Foundation

/// Where the console's data files (themes, tour lessons) are looked for, in order: the folder an
/// environment variable names, `FOLDER/` in the working directory, next to the binary's package
/// (`.build/<config>/sioscope` is three levels below it), and `$XDG_CONFIG_HOME/sioscope/FOLDER`.
public enum DataDirectories {
    public static func search(folder: String, variable: String, environment: [String: String]) -> [String] {
        var dirs: [String] = []
        if let explicit = environment[variable] { dirs.append(explicit) }
        dirs.append(FileManager.default.currentDirectoryPath + "/" + folder)
        var executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for _ in 0..<4 {
            executable.deleteLastPathComponent()
            dirs.append(executable.path + "/" + folder)
        }
        dirs.append(configDirectory(environment: environment) + "/" + folder)
        return dirs
    }

    /// `$XDG_CONFIG_HOME/sioscope`, or `~/.config/sioscope`.
    public static func configDirectory(environment: [String: String]) -> String {
        (environment["XDG_CONFIG_HOME"] ?? ((environment["HOME"] ?? "") + "/.config")) + "/sioscope"
    }
}
