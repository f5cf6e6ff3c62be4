import DarkroomCLI
import Foundation
import NIOCore
import NIOPosix

// Swift concurrency's tasks run on NIO's event loops, where darkroom's HTTP
// (AsyncHTTPClient) already runs: an answer resumes the task that waits for it
// on the same threads, instead of waking a second pool for every request.
// It must be done first, on the main thread, once (see BENCHMARKS.md, "Poller").
NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

// Thin entry point: everything lives in DarkroomCLI so tests can run it in-process.
let status = await DarkroomMain.run(Array(CommandLine.arguments.dropFirst()))
exit(status)
