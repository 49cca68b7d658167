import RecCore

extension PublishedModel {
    /// Prints where the generation was published and whether the API serves it yet: the last
    /// lines of `rec-cli train` and `rec-cli import`, which publish the same way.
    func printPublication() {
        print("Published generation \(generation): \(path)")
        switch reload {
        case .none:
            print("The API keeps serving its current generation until POST /api/reload (or set \(RecSettings.autoReloadVariable)=1).")
        case .success(let outcome)?:
            print("The API now serves generation \(outcome.generation) (\(RecSettings.autoReloadVariable)=1).")
        case .failure(let error)?:
            print("The API was not reloaded: \(error)")
        }
    }
}
