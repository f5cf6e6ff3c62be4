import ArgumentParser
import DarkroomCore

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models, their tiers, aspect ratios, formats and gpt-image-2's 48 sizes.")

    @OptionGroup(title: "Output") var output: JSONOutput

    func run() async throws {
        let ctx = CLIContext.current
        ctx.console.out(output.json ? CatalogJSON.models().serialized(pretty: true) : CatalogJSON.text())
    }
}
