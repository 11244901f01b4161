import Logging
import ParleyStorage

/// The parts of sign-in and limits that every surface shares: one authenticator (with its caches), one
/// rate limiter, one usage meter and one sign-in throttle per process.
struct Security: Sendable {
    let authenticator: Authenticator
    let limiter: RateLimiter
    let meter: UsageMeter
    let loginThrottle: LoginThrottle
    let settings: AuthSettings

    init(configuration: ParleyConfiguration, store: Store, logger: Logger) {
        self.settings = configuration.auth
        self.authenticator = Authenticator(
            mode: configuration.authMode, settings: configuration.auth, store: store, logger: logger)
        self.limiter = RateLimiter()
        self.meter = UsageMeter(store: store, logger: logger)
        self.loginThrottle = LoginThrottle(attempts: configuration.auth.loginAttempts)
    }

    /// The middleware of a surface whose keys need one of `scopes`.
    func middleware(scopes: [APIKeyScope]?) -> AuthMiddleware {
        AuthMiddleware(
            authenticator: authenticator, limiter: limiter, meter: meter, settings: settings, surfaceScopes: scopes)
    }
}
