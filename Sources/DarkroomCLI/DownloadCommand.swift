import ArgumentParser
import DarkroomCore
import DarkroomHistory
import Foundation

struct DownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Fetch a task's results again, or copy the saved files to a folder.")

    @Argument(help: "A task id or local id.")
    var task: String

    @Option(name: .long, help: "Copy the result files into this folder.")
    var to: String?

    @Flag(name: .long, help: "Fetch again even when the files are already saved.")
    var force = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        var record = try StudioSession.find(task, in: try StudioSession.openStore(ctx))
        guard !record.results.isEmpty else {
            throw CLIFailure(.invalidInput, "#\(record.localID) has no results (\(record.state.label))")
        }
        if force || record.results.contains(where: { $0.state != .saved || $0.file.map { !FileManager.default.fileExists(atPath: $0.path) } ?? true }) {
            let session = try StudioSession.open(ctx, connection: connection, download: true)
            defer { Task { await session.studio.shutdown() } }
            let missing = force || record.results.contains { r in r.file.map { !FileManager.default.fileExists(atPath: $0.path) } ?? false }
            do { record = try await session.studio.downloadNow(localID: record.localID, force: missing) ?? record } catch {
                throw CLIFailure(.unavailable, "cannot update the history: \(error)")
            }
        }
        var status = ExitStatus.ok
        for res in record.results {
            guard res.state == .saved, let path = res.file?.path, FileManager.default.fileExists(atPath: path) else {
                ctx.console.error("result \(res.index) of #\(record.localID) not saved: \(res.error ?? res.state.rawValue). URL: \(TerminalSanitizer.clean(res.url))")
                status = .unavailable
                continue
            }
            if let to {
                let dir = URL(fileURLWithPath: (to as NSString).expandingTildeInPath, isDirectory: true)
                let name = "\(record.taskID.map { DownloadCommand.safe($0) } ?? "local-\(record.localID)")-\(res.index).\((path as NSString).pathExtension)"
                let dest = dir.appendingPathComponent(name)
                do {
                    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                    if FileManager.default.fileExists(atPath: dest.path) { try FileManager.default.removeItem(at: dest) }
                    try FileManager.default.copyItem(atPath: path, toPath: dest.path)
                } catch {
                    throw CLIFailure(.invalidInput, "cannot copy to \(dest.path): \(error.localizedDescription)")
                }
                ctx.console.out(dest.path)
            } else {
                ctx.console.out(path)
            }
        }
        return status
    }

    static func safe(_ id: String) -> String {
        String(id.unicodeScalars.map { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") ? Character($0) : "_" })
    }
}
