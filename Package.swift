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
        .package(url: "https://github.com/pointfreeco/swift-clocks", from: "1.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Property tests (random byte streams into the key decoder); tests only.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // The client core: catalog, requests, validation, HTTP client, configuration.
        // No terminal code and no printing: the CLI and the TUI both sit on it.
        .target(
            name: "DarkroomCore",
            dependencies: ["CCurl", "CSHA256"]
        ),
        // HTTP: the system's libcurl (libcurl4-openssl-dev), driven through its multi
        // interface by one thread (docs/decisions/http-client.md).
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl"),
        // SHA-256 on the CPU's SHA instructions, when it has them (SHA256.swift falls back to Swift).
        .target(name: "CSHA256"),
        // The durable history: SQLite through GRDB, its migrations, the submit journal. Storage only.
        .target(
            name: "DarkroomHistory",
            dependencies: ["DarkroomCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The Studio: the coordinator of intent -> submit -> poller -> history -> downloads -> runs,
        // shared by the CLI and the TUI's shell.
        .target(name: "DarkroomStudio", dependencies: ["DarkroomCore", "DarkroomHistory"]),
        // The TUI core: state, events, the pure update function, views drawing into a
        // Screen of cells. No ncurses here.
        .target(name: "DarkroomTUI", dependencies: ["DarkroomCore", "DarkroomPreview"]),
        // libpng, libjpeg-turbo, libwebp and libsixel (libpng-dev, libjpeg-dev, libwebp-dev,
        // libsixel-dev), in C so libjpeg's longjmp error handling never crosses Swift frames.
        .target(
            name: "CImageCodecs",
            linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg"), .linkedLibrary("webp"), .linkedLibrary("sixel")]
        ),
        // Image previews in terminal cells: decoding, filtered scaling, half blocks,
        // colour mapping, and a worker thread that keeps decoding off the terminal thread.
        .target(name: "DarkroomPreview", dependencies: ["DarkroomCore", "CImageCodecs"]),
        // ncursesw (libncurses-dev), wide-character API, through a small shim.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        // The one module that talks to the terminal: the ncurses backend and the event loop.
        .target(name: "DarkroomTerminal", dependencies: ["DarkroomTUI", "DarkroomCore", "DarkroomHistory", "DarkroomStudio", "DarkroomPreview", "CNcurses"]),
        // A loopback HTTP server that behaves like the vendor's API, for the demo and the tests.
        .target(
            name: "DarkroomSimulator",
            dependencies: [
                "DarkroomCore",
                "DarkroomPreview",
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]
        ),
        // The scriptable command line, as a library so tests can drive it in-process.
        .target(
            name: "DarkroomCLI",
            dependencies: [
                "DarkroomCore",
                "DarkroomHistory",
                "DarkroomStudio",
                "DarkroomPreview",
                "DarkroomSimulator",
                "DarkroomTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Clocks", package: "swift-clocks"),
            ]
        ),
        .executableTarget(name: "darkroom", dependencies: ["DarkroomCLI"]),
        // Servers that misbehave on purpose, for the tests only.
        .target(name: "DarkroomTestSupport", dependencies: ["DarkroomSimulator"]),
        // Prints performance figures (see BENCHMARKS.md). Not part of the tests.
        .executableTarget(name: "darkroom-bench", dependencies: ["DarkroomCore", "DarkroomHistory", "DarkroomStudio", "DarkroomTUI", "DarkroomTerminal", "DarkroomPreview", "DarkroomSimulator",
                                                               "DarkroomTestSupport"]),
        .testTarget(
            name: "DarkroomCoreTests",
            dependencies: ["DarkroomCore", "DarkroomTestSupport", .product(name: "Clocks", package: "swift-clocks")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "DarkroomHistoryTests",
            dependencies: ["DarkroomHistory", "DarkroomStudio", "DarkroomCore", "DarkroomSimulator", "DarkroomTestSupport",
                           .product(name: "Clocks", package: "swift-clocks")],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "DarkroomTUITests", dependencies: ["DarkroomTUI", "DarkroomCore", "DarkroomPreview"], exclude: ["__Snapshots__"]),
        .testTarget(name: "DarkroomPreviewTests", dependencies: ["DarkroomPreview", "DarkroomCore", "DarkroomSimulator", "DarkroomTestSupport"]),
        .testTarget(name: "DarkroomTerminalTests", dependencies: ["DarkroomTerminal", "DarkroomStudio", "DarkroomTUI", "DarkroomPreview", "DarkroomTestSupport",
                                                             .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "DarkroomSimulatorTests", dependencies: ["DarkroomCore", "DarkroomSimulator", "DarkroomTestSupport"]),
        .testTarget(
            name: "DarkroomCLITests",
            dependencies: ["DarkroomCLI", "DarkroomCore", "DarkroomHistory", "DarkroomStudio", "DarkroomPreview", "DarkroomSimulator", "DarkroomTestSupport",
                           .product(name: "Clocks", package: "swift-clocks")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
