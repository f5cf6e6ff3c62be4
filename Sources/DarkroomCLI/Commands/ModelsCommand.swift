import ArgumentParser
import DarkroomCore
import Foundation

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models, which of them this key may use, their tiers, aspect ratios, formats and gpt-image-2's 48 sizes.",
        discussion: """
        The rules (sizes, tiers, ratios) are darkroom's own catalog. Which models the key
        may call comes from the server (GET /v1/models), kept per profile: the first
        `models` of a profile asks, later ones read what was kept (and say when it was
        asked); --refresh asks again. Without a profile, or when the server does not
        answer, every catalog model is shown as not checked.
        """)

    @Flag(name: .long, help: "Ask the server again for the models this key may use (and its prices).")
    var refresh = false

    @OptionGroup(title: "Output") var output: JSONOutput

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        let local = ServerFacts.local(ctx, connection: connection)
        var facts = local.facts
        var fresh = false
        var note: String?
        if refresh || (facts.answers[.models] == nil && facts.off[.models] == nil) {
            // Asking needs the key: without a profile the catalog alone is shown (a refresh must have one).
            do {
                let config = try await connection.configuration(ctx, stdinKey: connection.apiKeyStdin ? ctx.readStdin() : nil)
                let (asked, said) = await ServerFacts.refresh(ctx, config: config, routes: [.models, .pricing])
                facts = asked
                fresh = said[.models]?.isAnswer ?? false
                if case let .unreachable(why)? = said[.models] {
                    note = "the server could not be asked (\(why))" + (facts.modelsAt == nil ? "" : "; showing what it said before")
                }
            } catch {
                if refresh { throw error }
                note = "not checked with a server: \(error.message)"
            }
        }
        if let why = facts.off[.models]?.why, facts.models == nil { note = note ?? "not checked: GET /v1/models: \(why)" }
        let access = ModelAccess(facts)
        let source = CatalogJSON.Source(route: facts.models == nil ? nil : .models, at: facts.modelsAt, cached: !fresh)
        if output.json {
            ctx.console.out(CatalogJSON.models(access: access, prices: Prices(table: local.table, server: facts.pricing), source: source).serialized(pretty: true))
        } else {
            ctx.console.out(CatalogJSON.text(access: access, prices: Prices(table: local.table, server: facts.pricing), source: source))
        }
        if let note { ctx.console.err(note) }
        return .ok
    }
}
