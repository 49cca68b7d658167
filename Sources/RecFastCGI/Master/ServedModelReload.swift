import Logging
import RecCore

/// Makes every worker serve the current model generation from its next request on; the master
/// calls it on SIGHUP.
///
/// It is the same reload as `/api/reload`: `CURRENT`'s generation is checked in full and
/// published to the shared control file every worker checks before each request. SIGHUP is
/// deliberately not forwarded to the workers: the control file, not a signal, is how workers in
/// every container learn about a new model. A refused generation leaves serving unchanged.
public func reloadServedModel(dataDirectory: DataDirectory, logger: Logger) {
    do throws(ReloadError) {
        let outcome = try ServedModelControl.reloadFromCurrent(dataDirectory: dataDirectory)
        var metadata: Logger.Metadata = ["signal": "SIGHUP", "generation": "\(outcome.generation)",
                                         "previous_generation": "\(outcome.previousGeneration.map(String.init) ?? "none")"]
        if let warning = outcome.durabilityWarning { metadata["warning"] = "\(warning)" }
        logger.info("reloaded the served model", metadata: metadata)
    } catch {
        logger.error("reload refused; serving continues unchanged", metadata: ["signal": "SIGHUP", "error": "\(error)"])
    }
}
