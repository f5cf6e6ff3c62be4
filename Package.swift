// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "darkroom",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "darkroom", targets: ["darkroom"]),
        .library(name: "DarkroomCore", targets: ["DarkroomCore"]),
        .library(name: "DarkroomSimulator", targets: ["DarkroomSimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // The client core: catalog, requests, validation, HTTP client, configuration.
        // No terminal code and no printing: the CLI and the TUI both sit on it.
        .target(name: "DarkroomCore"),
        // zlib, to compress the simulator's PNG results.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // A loopback HTTP server that behaves like the vendor's API, for the demo and the tests.
        .target(
            name: "DarkroomSimulator",
            dependencies: [
                "DarkroomCore",
                "CZlib",
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]
        ),
        // The scriptable command line, as a library so tests can drive it in-process.
        .target(
            name: "DarkroomCLI",
            dependencies: [
                "DarkroomCore",
                "DarkroomSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "darkroom", dependencies: ["DarkroomCLI"]),
        .testTarget(name: "DarkroomCoreTests", dependencies: ["DarkroomCore"]),
        .testTarget(name: "DarkroomSimulatorTests", dependencies: ["DarkroomCore", "DarkroomSimulator"]),
        .testTarget(name: "DarkroomCLITests", dependencies: ["DarkroomCLI", "DarkroomCore", "DarkroomSimulator"]),
    ],
    swiftLanguageModes: [.v6]
)
