// swift-tools-version: 6.0
import PackageDescription

// Strict settings for every target: explicit `any`, and Swift 6 language mode from the tools version.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

/// What the two NIO cores (server and client) use of swift-nio and swift-nio-ssl (https and wss).
let nioHTTPAndWebSocket: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
    .product(name: "NIOWebSocket", package: "swift-nio"),
    .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
    .product(name: "NIOSSL", package: "swift-nio-ssl"),
    .product(name: "NIOTLS", package: "swift-nio"),
]

let package = Package(
    name: "sioscope",
    products: [
        .executable(name: "sioscope", targets: ["sioscope"]),
        .library(name: "EngineIOProtocol", targets: ["EngineIOProtocol"]),
        .library(name: "SocketIOProtocol", targets: ["SocketIOProtocol"]),
        // The cores, for packages that embed a Socket.IO server or client.
        .library(name: "SocketIOServer", targets: ["SocketIOServer"]),
        .library(name: "SocketIOClient", targets: ["SocketIOClient"]),
        .library(name: "EngineIOServer", targets: ["EngineIOServer"]),
        .library(name: "EngineIOClient", targets: ["EngineIOClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Pure layers: standard library only. Table-tested and fuzzed.
        .target(name: "WireJSON", swiftSettings: strict),
        .target(name: "MessagePack", dependencies: ["WireJSON"], swiftSettings: strict),
        .target(name: "EngineIOProtocol", dependencies: ["WireJSON"], swiftSettings: strict),
        .target(name: "SocketIOProtocol", dependencies: ["WireJSON"], swiftSettings: strict),
        // Running a socket's `async` event handlers one at a time, in arrival order.
        .target(name: "OrderedHandlers", swiftSettings: strict),
        // What the console observes: no I/O.
        .target(name: "SocketIOTrace", dependencies: ["WireJSON", "EngineIOProtocol", "SocketIOProtocol"], swiftSettings: strict),

        // What the server and the client share on SwiftNIO: packets in WebSocket frames, masking
        // keys, handshake keys, one flush per event-loop turn.
        .target(
            name: "EngineIOWebSocket",
            dependencies: ["EngineIOProtocol", "WireJSON", .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                           .product(name: "NIOWebSocket", package: "swift-nio")],
            swiftSettings: strict),

        // Engine.IO server on SwiftNIO: HTTP long-polling and WebSocket on one port, sessions, heartbeat.
        .target(
            name: "EngineIOServer",
            dependencies: ["EngineIOProtocol", "EngineIOWebSocket", "SocketIOTrace"] + nioHTTPAndWebSocket,
            swiftSettings: strict),

        // Engine.IO client on SwiftNIO: polling, WebSocket, upgrade, heartbeat.
        .target(
            name: "EngineIOClient",
            dependencies: ["EngineIOProtocol", "EngineIOWebSocket", "SocketIOTrace"] + nioHTTPAndWebSocket,
            swiftSettings: strict),

        // Socket.IO client: a Manager per connection, a socket per namespace.
        .target(
            name: "SocketIOClient",
            dependencies: [
                "EngineIOClient", "SocketIOProtocol", "SocketIOTrace", "OrderedHandlers",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),   // the default event loops
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict),

        // Socket.IO server on the Engine.IO server: namespaces, middleware, sockets, rooms, acks.
        .target(
            name: "SocketIOServer",
            dependencies: [
                "EngineIOServer", "EngineIOProtocol", "EngineIOWebSocket", "SocketIOProtocol", "SocketIOTrace", "OrderedHandlers",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict),

        // Simulated clients at scale for `sioscope bench`: echo, ramp and fan-out workloads.
        .target(name: "LoadGenerator",
                dependencies: ["SocketIOClient", "EngineIOClient", .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOPosix", package: "swift-nio"),
                               .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
                swiftSettings: strict),

        // Servers described as data: the built-in demo and protocol-suite scenarios.
        .target(name: "Scenarios", dependencies: ["SocketIOServer", "SocketIOTrace"], swiftSettings: strict),

        // The terminal UI kit: cells with semantic roles, display widths, themes, keys. No terminal I/O.
        .target(name: "TermUI", swiftSettings: strict),
        // The console's state, actions and reducer: pure, so every action is a plain value test.
        .target(name: "ConsoleModel",
                dependencies: ["WireJSON", "SocketIOTrace", "EngineIOProtocol", "SocketIOProtocol"], swiftSettings: strict),
        // The console's screens: state -> panes -> CellBuffer, and the key table.
        .target(name: "ConsoleUI", dependencies: ["ConsoleModel", "TermUI", "ProtocolExplain"], swiftSettings: strict),
        // The console's runtime: the loop on any TerminalDevice, effects against the cores, the
        // tables read back, simulated clients. Tested in-process through keys.
        .target(name: "ConsoleRuntime",
                dependencies: ["ConsoleModel", "ConsoleUI", "TermUI", "Scenarios", "SocketIOServer", "SocketIOClient",
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
                swiftSettings: strict),
        // ncursesw with the wide-character API, and accessors for the globals Swift 6 refuses.
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        // The only importer of CNcurses: terminal session, colours, keys, resize, restore on every exit.
        .target(name: "TerminalNcurses", dependencies: ["CNcurses", "TermUI"], swiftSettings: strict),

        .target(name: "ProtocolExplain",
                dependencies: ["WireJSON", "EngineIOProtocol", "SocketIOProtocol"], swiftSettings: strict),

        // The one binary: wiring only.
        .executableTarget(
            name: "sioscope",
            dependencies: [
                "ProtocolExplain", "Scenarios", "SocketIOServer", "SocketIOTrace", "SocketIOClient",
                "ConsoleModel", "ConsoleUI", "ConsoleRuntime", "TermUI", "TerminalNcurses", "LoadGenerator",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict),

        // Codec throughput against Foundation's JSONSerialization; run in release, never as a test.
        .executableTarget(
            name: "CodecBenchmarks",
            dependencies: ["WireJSON", "EngineIOProtocol", "SocketIOProtocol"],
            swiftSettings: strict),

        // The console's speed under a packet flood, and the server's throughput while it watches.
        .executableTarget(
            name: "ConsoleBenchmarks",
            dependencies: ["ConsoleModel", "ConsoleUI", "ConsoleRuntime", "TermUI", "SocketIOServer", "SocketIOClient",
                           .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strict),

        // libFuzzer over the whole server pipeline (HTTP, WebSocket, Engine.IO, Socket.IO, middleware):
        // built only by scripts/fuzz, with --sanitize=fuzzer,address.
        .executableTarget(
            name: "PipelineFuzz",
            dependencies: ["Scenarios", "SocketIOServer", "EngineIOServer", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strict),

        // Seeded generators of valid protocol values, shared by the property tests and the fuzz seeds.
        .target(name: "ProtocolTestSupport", dependencies: ["EngineIOProtocol", "SocketIOProtocol"],
                path: "Tests/ProtocolTestSupport", swiftSettings: strict),
        .testTarget(name: "WireJSONTests", dependencies: ["WireJSON", "ProtocolTestSupport"], swiftSettings: strict),
        .testTarget(name: "MessagePackTests", dependencies: ["MessagePack", "WireJSON"], swiftSettings: strict),
        .testTarget(name: "EngineIOProtocolTests", dependencies: ["EngineIOProtocol", "ProtocolTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "SocketIOProtocolTests",
                    dependencies: ["SocketIOProtocol", "EngineIOProtocol", "ProtocolTestSupport"], swiftSettings: strict),
        .testTarget(name: "LoadGeneratorTests",
                    dependencies: ["LoadGenerator", "Scenarios", "SocketIOServer", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
                    swiftSettings: strict),
        .testTarget(name: "TermUITests", dependencies: ["TermUI"], swiftSettings: strict),
        .testTarget(name: "TerminalNcursesTests", dependencies: ["TerminalNcurses"], swiftSettings: strict),
        .target(name: "ConsoleTestSupport", dependencies: ["ConsoleModel"], path: "Tests/ConsoleTestSupport", swiftSettings: strict),
        .testTarget(name: "ConsoleModelTests", dependencies: ["ConsoleModel", "ConsoleTestSupport", "SocketIOProtocol"], swiftSettings: strict),
        .testTarget(name: "ConsoleRuntimeTests",
                    dependencies: ["ConsoleRuntime", "ConsoleModel", "ConsoleUI", "TermUI", "Scenarios", "SocketIOServer",
                                   "SocketIOClient", "ConsoleTestSupport", .product(name: "NIOPosix", package: "swift-nio")],
                    swiftSettings: strict),
        .testTarget(name: "ConsoleUITests", dependencies: ["ConsoleUI", "ConsoleModel", "TermUI", "ConsoleTestSupport"],
                    exclude: ["Snapshots"], swiftSettings: strict),
        .testTarget(name: "ProtocolExplainTests", dependencies: ["ProtocolExplain"], swiftSettings: strict),
        .testTarget(name: "SioscopeCLITests", dependencies: ["sioscope"], swiftSettings: strict),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios", "SocketIOServer", "EngineIOClient", "SocketIOClient"],
                    exclude: ["sample.scenario"], swiftSettings: strict),
        .testTarget(
            name: "SocketIOServerTests",
            dependencies: ["SocketIOServer", "EngineIOServer", "Scenarios", "SocketIOTrace", "ProtocolTestSupport",
                           .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strict),
        .testTarget(
            name: "SocketIOClientTests",
            dependencies: ["SocketIOClient", "SocketIOServer", "SocketIOTrace", "ProtocolTestSupport",
                           .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strict),
        .testTarget(
            name: "EngineIOWebSocketTests",
            dependencies: ["EngineIOWebSocket", "EngineIOProtocol", "WireJSON", .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio")],
            swiftSettings: strict),
        .testTarget(
            name: "EngineIOClientTests",
            dependencies: ["EngineIOClient", "EngineIOServer", "EngineIOWebSocket", "ProtocolTestSupport", .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOEmbedded", package: "swift-nio")],
            swiftSettings: strict),
        .testTarget(
            name: "EngineIOServerTests",
            dependencies: ["EngineIOServer", "ProtocolTestSupport", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strict),
    ]
)
