import Foundation
import Logging
import ParleyCore
import ParleyProviders

/// Builds a provider from its configuration.
enum ProviderFactory {
    static func make(
        _ provider: ProviderConfiguration, configuration: ParleyConfiguration, client: UpstreamClient, logger: Logger
    ) throws -> any ChatProvider {
        switch provider.kind {
        case .openAICompatible:
            return OpenAICompatibleProvider(
                name: provider.name, baseURL: provider.baseURL ?? "", apiKey: provider.apiKey, headers: provider.headers,
                client: client)
        case .azureOpenAI:
            return AzureOpenAIProvider(
                name: provider.name, baseURL: provider.baseURL ?? "", apiKey: provider.apiKey,
                apiVersion: provider.apiVersion ?? "", deployments: provider.deployments, client: client)
        case .ollama:
            return OllamaProvider(name: provider.name, baseURL: provider.baseURL ?? "", apiKey: provider.apiKey, client: client)
        case .embedded:
            return EmbeddedProvider(
                name: provider.name, modelsDirectory: modelsDirectory(of: provider, configuration: configuration),
                threads: configuration.embeddedThreads, installEmbeddingModel: configuration.embeddedAutoPull,
                logger: logger)
        }
    }
}

/// Where an embedded provider's GGUF files are: its `models_dir`, else `<data>/models`.
func modelsDirectory(of provider: ProviderConfiguration, configuration: ParleyConfiguration) -> URL {
    if let directory = provider.modelsDirectory { return URL(fileURLWithPath: directory) }
    return URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("models")
}
