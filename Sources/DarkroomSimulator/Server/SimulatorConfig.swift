/// How the simulator behaves. Defaults give tasks that finish in a few seconds to
/// tens of seconds, succeed unless the prompt holds the fail marker, and no faults.
public struct SimulatorConfig: Sendable {
    /// When set, the only key accepted; otherwise any `Bearer sk-...` key is.
    public var apiKey: String?
    /// Time runs this many times faster for tasks (2 halves every duration). Default 1.
    public var speed: Double = 1
    /// A prompt containing this text fails (case-insensitive). Default `[fail]`.
    public var failMarker = "[fail]"
    public var faults = FaultProfile()
    /// Seeds ids, timings, faults and pictures. Same seed, same run.
    public var seed: UInt64 = 1
    /// Models answered with 503 `model_not_found`, as for an account without access.
    public var deniedModels: Set<String> = []
    /// Every submit answers 403 `insufficient_user_quota`.
    public var quotaExhausted = false
    /// How the gateway's routes (models, usage, billing, pricing) behave: on
    /// (default), off (404) or slow (5 s). Keys differ by name: see `SimulatedGateway`.
    public var gateway = GatewayMode.on
    /// Seconds a task waits queued, and runs, before the speed factor.
    public var queueSeconds: ClosedRange<Double> = 0.5...2.5
    public var runSeconds: ClosedRange<Double> = 4...20
    /// The longer side of result pictures, in pixels. Default 384.
    public var imageLongSide = 384
    /// Bodies larger than this are answered 413. Default 30 MiB.
    public var maxBodyBytes = 30 * 1024 * 1024
    /// Wait this long (real time) before serving a result file; nil (default) serves at once.
    public var fileDelay: Duration?

    public init() {}
}

/// How the simulator's gateway routes (`/v1/models`, `/api/usage/token/`, the
/// billing pair, `/api/pricing`) behave.
public enum GatewayMode: String, Sendable, CaseIterable {
    /// They answer.
    case on
    /// They answer 404, as on a deployment that switched them off.
    case off
    /// They answer after 5 seconds.
    case slow
}
