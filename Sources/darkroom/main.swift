import DarkroomCLI
import Foundation

// Thin entry point: everything lives in DarkroomCLI so tests can run it in-process.
let status = await DarkroomMain.run(Array(CommandLine.arguments.dropFirst()))
exit(status)
