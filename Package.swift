// swift-tools-version:6.0
import PackageDescription

/// Hot loops (SGD epochs, scoring, checksums) run on unsafe buffers; release builds also drop
/// the remaining overflow and bounds checks there. Debug builds keep every check.
let optimizedCore: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

let package = Package(
    name: "RecServe",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RecCore", targets: ["RecCore"]),
        .executable(name: "rec-cli", targets: ["rec-cli"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "RecCore",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: optimizedCore
        ),
        .executableTarget(
            name: "rec-cli",
            dependencies: [
                "RecCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RecCoreTests",
            dependencies: ["RecCore", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "RecCLITests",
            dependencies: ["RecCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
