import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import Foundation

/// `submit` with several values or prompt alternatives: every request the
/// matrix makes, sent as a run (`RunSender`).
struct MatrixSubmit {
    let command: SubmitCommand
    let matrix: RequestMatrix

    func run(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        let expansion: RequestMatrix.Expansion
        do { expansion = try matrix.expand() } catch {
            throw CLIFailure(.invalidInput, "the requests are not valid; nothing was sent:\n  \(error.description)")
        }
        for n in expansion.notes { ctx.console.warning(n) }
        var expression = "prompt \"\(matrix.base.prompt)\""
        for (flag, values) in [("model", matrix.models), ("size", matrix.sizes), ("aspect-ratio", matrix.aspectRatios), ("quality", matrix.qualities),
                               ("style", matrix.styles.map(\.name))] {
            for v in values { expression += " --\(flag) \(v)" }
        }
        let run = RunSender(requests: expansion.requests, names: expansion.requests.indices.map { "request \($0 + 1)" },
                            expression: expression, axisValues: expansion.axes,
                            dryRun: command.dryRun, json: command.output.json, sending: command.sending,
                            connection: command.connection)
        return try await run.send(ctx)
    }
}
