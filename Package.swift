// swift-tools-version: 6.0
import PackageDescription

// Strict settings for every target: explicit `any`, and Swift 6 language mode from the tools version.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "sioscope",
    products: [
        .executable(name: "sioscope", targets: ["sioscope"]),
        .library(name: "EngineIOProtocol", targets: ["EngineIOProtocol"]),
        .library(name: "SocketIOProtocol", targets: ["SocketIOProtocol"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Pure layers: standard library only. Table-tested and fuzzed.
        .target(name: "WireJSON", swiftSettings: strict),
        .target(name: "EngineIOProtocol", dependencies: ["WireJSON"], swiftSettings: strict),
        .target(name: "SocketIOProtocol", dependencies: ["WireJSON"], swiftSettings: strict),
        .target(name: "ProtocolExplain",
                dependencies: ["WireJSON", "EngineIOProtocol", "SocketIOProtocol"], swiftSettings: strict),

        // The one binary: wiring only.
        .executableTarget(
            name: "sioscope",
            dependencies: [
                "ProtocolExplain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // Codec throughput against Foundation's JSONSerialization; run in release, never as a test.
        .executableTarget(
            name: "CodecBenchmarks",
            dependencies: ["WireJSON", "EngineIOProtocol", "SocketIOProtocol"],
            swiftSettings: strict),

        // Seeded generators of valid protocol values, shared by the property tests and the fuzz seeds.
        .target(name: "ProtocolTestSupport", dependencies: ["EngineIOProtocol", "SocketIOProtocol"],
                path: "Tests/ProtocolTestSupport", swiftSettings: strict),
        .testTarget(name: "WireJSONTests", dependencies: ["WireJSON", "ProtocolTestSupport"], swiftSettings: strict),
        .testTarget(name: "EngineIOProtocolTests", dependencies: ["EngineIOProtocol", "ProtocolTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "SocketIOProtocolTests",
                    dependencies: ["SocketIOProtocol", "EngineIOProtocol", "ProtocolTestSupport"], swiftSettings: strict),
        .testTarget(name: "ProtocolExplainTests", dependencies: ["ProtocolExplain"], swiftSettings: strict),
        .testTarget(name: "SioscopeCLITests", dependencies: ["sioscope"], swiftSettings: strict),
    ]
)
