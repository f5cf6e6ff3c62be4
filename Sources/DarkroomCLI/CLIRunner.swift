import ArgumentParser
import DarkroomCore

/// Runs a command body: prints a `CLIFailure` as `error: ...` on stderr and
/// turns statuses into process exit codes.
enum CLIRunner {
    static func run(_ body: (CLIContext) async throws(CLIFailure) -> ExitStatus) async throws {
        let ctx = CLIContext.current
        let status: ExitStatus
        do { status = try await body(ctx) } catch {
            ctx.console.error(error.message)
            throw ExitCode(error.status.rawValue)
        }
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
