import ArgumentParser
import RecCore

@main
struct RecCLI: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rec-cli", abstract: "RecServe command line.")
    func run() throws {}
}
