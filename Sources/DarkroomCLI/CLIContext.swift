import Clocks
import DarkroomCore
import Foundation

/// Everything a command touches outside itself: output, environment, standard
/// input, network and time. Tests replace it to run commands in-process, with
/// captured output and a clock they move by hand.
public struct CLIContext: Sendable {
    public var console: Console
    public var environment: [String: String]
    /// Reads all of standard input (for `--prompt -` and `--api-key-stdin`).
    public var readStdin: @Sendable () -> String
    /// The HTTP transport for API calls and downloads, through the configuration's proxy.
    public var transport: @Sendable (ProxySettings) -> any HTTPTransport
    /// Waits between polls and retries.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// The wall clock, for ages and elapsed times.
    public var now: @Sendable () -> Date
    /// The clock the poller schedules on.
    public var clock: AnyClock<Duration>
    /// How long a history call waits for another process's lock (default 10 s).
    public var historyBusyTimeout: TimeInterval = 10
    /// How long each gateway route (`models`, `balance`) may take to answer (default 10 s).
    public var gatewayTimeout: Duration = .seconds(10)
    /// Asks a yes/no question on the terminal; nil when there is none to ask on
    /// (standard input or error is not a terminal): then a flag must say yes.
    public var confirm: (@Sendable (String) -> Bool)? = CLIContext.terminalConfirm

    /// The question on stderr, the answer a line of stdin: y or yes (any case).
    public static var terminalConfirm: (@Sendable (String) -> Bool)? {
        guard isatty(0) == 1, isatty(2) == 1 else { return nil }
        return { question in
            Console.writer(fd: 2)(question + " [y/N] ")
            let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            return answer == "y" || answer == "yes"
        }
    }

    public init(console: Console, environment: [String: String], readStdin: @escaping @Sendable () -> String,
                transport: @escaping @Sendable (ProxySettings) -> any HTTPTransport, sleep: @escaping @Sendable (Duration) async throws -> Void,
                now: @escaping @Sendable () -> Date, clock: AnyClock<Duration> = AnyClock(ContinuousClock())) {
        self.console = console
        self.environment = environment
        self.readStdin = readStdin
        self.transport = transport
        self.sleep = sleep
        self.now = now
        self.clock = clock
    }

    public static let standard = CLIContext(
        console: .standard, environment: ProcessInfo.processInfo.environment,
        readStdin: { String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) },
        transport: { CurlTransport(proxy: $0) }, sleep: { try await Task.sleep(for: $0) }, now: { Date() })

    @TaskLocal public static var current = CLIContext.standard
}
