// swift-tools-version: 6.0
import PackageDescription

// How another package uses sioscope's cores: depend on the package, import the library products.
// Built and run by scripts/examples (in CI), and the source of the README's library snippets.
let package = Package(
    name: "sioscope-examples",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "sioscope", path: "..")],   // named: a path package is otherwise named after its folder
    targets: [
        .executableTarget(name: "ChatServer", dependencies: [.product(name: "SocketIOServer", package: "sioscope")]),
        .executableTarget(name: "ChatClient", dependencies: [.product(name: "SocketIOClient", package: "sioscope")]),
    ]
)
