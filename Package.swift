// swift-tools-version:6.0
import PackageDescription

/// Hot loops (SGD epochs, Gibbs sweeps, scoring, checksums) run on unsafe buffers; release builds
/// also drop the remaining overflow and bounds checks there. Debug builds keep every check.
///
/// On x86-64, release builds target x86-64-v3 (AVX2 and FMA: Intel Haswell, AMD Excavator and
/// newer), which makes the 16-wide SIMD kernels of the samplers about three times faster than
/// the SSE2 baseline. `REC_PORTABLE_BUILD=1` builds for any x86-64 instead.
#if arch(x86_64)
let targetCPU: [String] = Context.environment["REC_PORTABLE_BUILD"] == "1" ? [] : ["-target-cpu", "haswell"]
#else
let targetCPU: [String] = []
#endif

/// Fuzz builds (`REC_FUZZ=1`, see the end of this file) keep the plain release `-O`, so every
/// bounds and overflow check stays in and a bug the fuzzer reaches traps instead of corrupting.
let isFuzzBuild = Context.environment["REC_FUZZ"] == "1"

let optimizedCore: [SwiftSetting] =
    isFuzzBuild
    ? []
    : [
        .unsafeFlags(["-Ounchecked", "-wmo"] + targetCPU, .when(configuration: .release))
    ]

let swiftLog: Target.Dependency = .product(name: "Logging", package: "swift-log")
/// swift-metrics' recording API (`Counter`, `Timer`, `Gauge`); `RecTelemetry` is its backend.
let coreMetrics: Target.Dependency = .product(name: "CoreMetrics", package: "swift-metrics")

/// Every folder of `Sources/RecCore`; each belongs to exactly one of the core's targets below.
let coreFolders = [
    "Configuration", "Data", "Evaluation", "Facade", "JSON", "LinearAlgebra", "Logging", "Metrics", "ModelFile",
    "Models", "Ranking", "Recommendation", "Replication", "Serving", "Support", "System", "Telemetry", "TitleMatching",
    "Training",
]

/// One layer of the core: the given folders of `Sources/RecCore`, optimised like the rest of it.
/// The other folders are excluded, so that SwiftPM does not warn about them as unhandled files.
func coreTarget(_ name: String, folders: [String], dependencies: [Target.Dependency]) -> Target {
    .target(
        name: name, dependencies: dependencies, path: "Sources/RecCore",
        exclude: coreFolders.filter { !folders.contains($0) }, sources: folders, swiftSettings: optimizedCore)
}

/// Every layer of the core, for the test targets, which reach into each with `@testable import`.
let coreLayers: [Target.Dependency] = [
    "RecCore", "RecAPI", "RecTraining", "RecModelFile", "RecTitleMatching", "RecModels",
    "RecLogging", "RecTelemetry", "RecConfiguration", "RecSupport", "RecSystem",
]

let package = Package(
    name: "RecServe",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RecCore", targets: ["RecCore"]),
        .executable(name: "rec-cli", targets: ["rec-cli"]),
        .executable(name: "rec-fcgi", targets: ["rec-fcgi"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    ],
    targets: [
        // RecCore is split into one target per concept, each a set of folders under Sources/RecCore,
        // so that an import against the layering does not compile (docs/architecture.md draws the
        // graph). Lowest first: every target depends only on targets above it in this list.
        coreTarget("RecSystem", folders: ["System"], dependencies: []),
        coreTarget("RecSupport", folders: ["Support"], dependencies: ["RecSystem"]),
        coreTarget("RecConfiguration", folders: ["Configuration"], dependencies: ["RecSystem", swiftLog]),
        coreTarget("RecLogging", folders: ["Logging"], dependencies: ["RecSystem", "RecSupport", "RecConfiguration", swiftLog]),
        coreTarget("RecTelemetry", folders: ["Telemetry"], dependencies: ["RecSystem", coreMetrics]),
        coreTarget(
            "RecModels", folders: ["Data", "LinearAlgebra", "Models", "Metrics", "Ranking"],
            dependencies: ["RecSupport", swiftLog]),
        coreTarget("RecTitleMatching", folders: ["TitleMatching"], dependencies: []),
        coreTarget(
            "RecModelFile", folders: ["ModelFile"],
            dependencies: ["RecModels", "RecTitleMatching", "RecSystem", "RecConfiguration"]),
        coreTarget(
            "RecTraining", folders: ["Training"],
            dependencies: ["RecModels", "RecTitleMatching", "RecModelFile", "RecSupport", swiftLog]),
        coreTarget(
            "RecAPI", folders: ["JSON", "Recommendation", "Serving"],
            dependencies: [
                "RecModels", "RecTitleMatching", "RecModelFile", "RecLogging", "RecTelemetry", "RecSystem",
                "RecSupport", "RecConfiguration", swiftLog, coreMetrics,
            ]),
        coreTarget(
            "RecCore", folders: ["Evaluation", "Facade", "Replication"],
            dependencies: [
                "RecAPI", "RecTraining", "RecModelFile", "RecModels", "RecTitleMatching", "RecLogging",
                "RecTelemetry", "RecConfiguration", "RecSupport", "RecSystem", swiftLog,
            ]),
        .executableTarget(
            name: "rec-cli",
            dependencies: [
                "RecCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libfcgi's FCGX_* API (fcgiapp.h) only; Debian's libfcgi-dev ships fcgi.pc, and the
        // module map links -lfcgi as well so the build does not depend on pkg-config.
        .systemLibrary(
            name: "CFastCGI",
            pkgConfig: "fcgi",
            providers: [.apt(["libfcgi-dev"])]
        ),
        // The FastCGI serving side: libfcgi wrapper, worker loop, prefork master and their
        // pure decision logic, in a library so the tests can reach all of it.
        .target(
            name: "RecFastCGI",
            dependencies: ["RecCore", "CFastCGI", .product(name: "Logging", package: "swift-log"), coreMetrics]
        ),
        .executableTarget(
            name: "rec-fcgi",
            dependencies: ["RecFastCGI", "RecCore", .product(name: "Logging", package: "swift-log"), coreMetrics]
        ),
        .testTarget(
            name: "RecFastCGITests",
            dependencies: ["RecFastCGI", swiftLog, coreMetrics] + coreLayers
        ),
        .testTarget(
            name: "RecCoreTests",
            dependencies: [swiftLog, coreMetrics] + coreLayers
        ),
        .testTarget(
            name: "RecCLITests",
            dependencies: coreLayers
        ),
        // The real stack: deploy/serve.sh runs nginx and the rec-fcgi pool on loopback.
        .testTarget(
            name: "RecServeIntegrationTests",
            dependencies: coreLayers
        ),
    ],
    swiftLanguageModes: [.v6]
)

/// libFuzzer targets (Tests/Fuzz), declared only with `REC_FUZZ=1` so that a normal build or
/// test run neither sees nor builds them. `make fuzz` builds them with
/// `-sanitize=fuzzer,address` on the command line, so RecCore is instrumented too.
/// See docs/reliability.md.
if isFuzzBuild {
    package.targets.append(
        .target(
            name: "FuzzSupport", dependencies: ["RecCore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/Fuzz/FuzzSupport"))
    for name in ["FuzzJSON", "FuzzRouter", "FuzzTitleMatcher", "FuzzRatingsParser", "FuzzModelFile"] {
        package.targets.append(.executableTarget(name: name, dependencies: ["RecCore", "FuzzSupport"], path: "Tests/Fuzz/\(name)"))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
