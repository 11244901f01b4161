import Logging
import ParleyCore
import ParleyProviders

/// Builds a provider from its configuration.
enum ProviderFactory {
    static func make(
        _ provider: ProviderConfiguration, configuration: ParleyConfiguration, client: UpstreamClient, logger: Logger
    ) throws -> (any ChatProvider)? {
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
            logger.warning("The embedded engine is not part of this build yet", metadata: ["parley.provider": .string(provider.name)])
            return nil
        }
    }
}
