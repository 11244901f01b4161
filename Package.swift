// swift-tools-version:6.1
import PackageDescription

/// The inference engine is compiled with optimisation even in debug builds: a debug build of the
/// matrix kernels is ~50x slower, which would make the test suite (which runs the real model) crawl.
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// `PARLEY_ENGINE_ONLY=1 swift test` builds just ParleyCore and ParleyInference with their tests: the
/// engine has no external dependencies, so working on it needs none of the server's build.
let engineOnly = Context.environment["PARLEY_ENGINE_ONLY"] != nil

let package = Package(
    name: "parley",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parley", targets: ["parley"]),
        .executable(name: "parley-mock", targets: ["parley-mock"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.21.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/vapor/fluent-kit", from: "1.52.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver", from: "2.10.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.32.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        .target(name: "ParleyCore"),
        // The engine's hot loops (quantised dot products, attention, the thread pool) in C with x86
        // intrinsics chosen at run time; compiled with optimisation in debug builds too.
        .target(
            name: "CParleyKernels",
            cSettings: [.unsafeFlags(["-O3"])],
            linkerSettings: [.linkedLibrary("pthread", .when(platforms: [.linux])), .linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(
            name: "ParleyInference",
            dependencies: ["ParleyCore", "CParleyKernels"],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "ParleyProviders",
            dependencies: [
                "ParleyCore",
                "ParleyInference",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "ParleyStorage",
            dependencies: [
                "ParleyCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // AES-GCM for provider secrets at rest; SHA-256 for API keys and session tokens.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The web UI's HTML, CSS and JavaScript modules, served as they are (no build step).
        .target(name: "ParleyWebUI", resources: [.copy("Web")]),
        // Retrieval: ingestion (URLs, PDFs, CSVs, text), chunking, embeddings, hybrid search, citations.
        .target(
            name: "ParleyKnowledge",
            dependencies: [
                "ParleyCore",
                "ParleyStorage",
                "ParleyInference",
                "ParleyProviders",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "ParleyServer",
            dependencies: [
                "ParleyCore",
                "ParleyWebUI",
                "ParleyStorage",
                "ParleyKnowledge",
                "ParleyInference",
                "ParleyProviders",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.yaml")]
        ),
        .target(
            name: "ParleyTesting",
            dependencies: [
                "ParleyCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "parley",
            dependencies: [
                "ParleyServer",
                "ParleyStorage",
                "ParleyInference",
                "ParleyProviders",
                "ParleyCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Thin benchmark of the engine alone (bench/engine/run.sh compares it with llama.cpp).
        .executableTarget(name: "parley-engine-bench", dependencies: ["ParleyInference"]),
        // Throughput of the local sentence encoder (bench/knowledge/embed.sh compares it with sentence-transformers).
        .executableTarget(
            name: "parley-embed-bench", dependencies: ["ParleyInference"], swiftSettings: optimisedInDebug),
        // Benchmark of the Store on a large database (bench/store/run.sh runs it on SQLite and PostgreSQL).
        .executableTarget(
            name: "parley-store-bench",
            dependencies: ["ParleyStorage", "ParleyCore", .product(name: "Logging", package: "swift-log")]
        ),
        // Times the API-key check in process (bench/auth/run.sh).
        .executableTarget(name: "parley-auth-bench", dependencies: ["ParleyServer"]),
        // Benchmark of ingestion and queries (bench/knowledge/run.sh).
        .executableTarget(
            name: "parley-knowledge-bench",
            dependencies: [
                "ParleyKnowledge", "ParleyStorage", "ParleyTesting", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "parley-mock",
            dependencies: [
                "ParleyTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ParleyCoreTests", dependencies: ["ParleyCore"]),
        .testTarget(
            name: "ParleyInferenceTests",
            dependencies: ["ParleyInference"],
            resources: [.copy("Fixtures")],
            swiftSettings: optimisedInDebug
        ),
        // Fresh test databases (a SQLite file, or a new database on the PostgreSQL test server) for the test targets.
        .target(
            name: "ParleyStorageTesting",
            dependencies: [
                "ParleyStorage",
                .product(name: "Logging", package: "swift-log"),
                // Creates and drops a database per PostgreSQL test.
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ]
        ),
        .testTarget(
            name: "ParleyStorageTests",
            dependencies: [
                "ParleyStorage",
                "ParleyStorageTesting",
                "ParleyCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ParleyKnowledgeTests",
            dependencies: [
                "ParleyKnowledge",
                "ParleyStorage",
                "ParleyCore",
                "ParleyTesting",
                "ParleyStorageTesting",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ParleyServerTests",
            dependencies: [
                "ParleyServer",
                "ParleyProviders",
                "ParleyKnowledge",
                "ParleyTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // A raw TCP server that answers with exactly the bytes a test scripts.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)

if engineOnly {
    let kept: Set<String> = [
        "ParleyCore", "CParleyKernels", "ParleyInference", "ParleyCoreTests", "ParleyInferenceTests",
        "parley-engine-bench", "parley-embed-bench",
    ]
    package.products = []
    package.dependencies = []
    package.targets = package.targets.filter { kept.contains($0.name) }
}
