import ArgumentParser
import DarkroomCore
import DarkroomHistory
import DarkroomStudio
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
        let store = try StudioSession.openStore(ctx)
        var record = try await StudioSession.find(task, in: store)
        guard !record.results.isEmpty else {
            throw CLIFailure(.invalidInput, "#\(record.localID) has no results (\(record.statusLabel))")
        }
        let fileMissing = record.results.contains { r in r.file.map { !FileManager.default.fileExists(atPath: $0.path) } ?? false }
        var status = ExitStatus.ok
        if force || fileMissing || record.results.contains(where: { $0.state != .saved }) {
            let session = try await StudioSession.open(ctx, connection: connection, download: true)
            let id = record.localID, again = force || fileMissing
            let report = try await session.closing { () async throws(CLIFailure) -> DownloadReport in
                do { return try await session.studio.downloadNow(localID: id, force: again) } catch {
                    throw CLIFailure(.ioError, "cannot update the history \(store.path): \(HistoryStore.describe(error))")
                }
            }
            record = report.record ?? record
            for f in report.failed {
                let res = record.results.first { $0.index == f.index }
                if f.keptSavedCopy, let path = res?.file?.path {
                    ctx.console.error("result \(f.index) of #\(record.localID): re-download failed: \(f.message); the saved copy is kept: \(path)")
                } else {
                    ctx.console.error("result \(f.index) of #\(record.localID) not saved: \(f.message). URL: \(TerminalSanitizer.clean(res?.url ?? ""))")
                }
                status = .resultsNotSaved
            }
        }
        for res in record.results {
            guard res.state == .saved, let path = res.file?.path, FileManager.default.fileExists(atPath: path) else {
                if status == .ok {
                    ctx.console.error("result \(res.index) of #\(record.localID) not saved: \(res.error ?? res.state.rawValue). URL: \(TerminalSanitizer.clean(res.url))")
                }
                status = .resultsNotSaved
                continue
            }
            if let to {
                let dir = URL(fileURLWithPath: (to as NSString).expandingTildeInPath, isDirectory: true)
                let name = GalleryExport.fileName(record, res)
                let dest = dir.appendingPathComponent(name)
                do {
                    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                    if FileManager.default.fileExists(atPath: dest.path) { try FileManager.default.removeItem(at: dest) }
                    // The copy carries its request inside (the original stays as the server sent it).
                    try StoryCopy.copy(path, to: dest, record: record, index: res.index)
                } catch {
                    throw CLIFailure(.cannotCreate, "cannot copy to \(dest.path): \(FileErrorText.describe(error))")
                }
                ctx.console.out(dest.path)
            } else {
                ctx.console.out(path)
            }
        }
        return status
    }
}
