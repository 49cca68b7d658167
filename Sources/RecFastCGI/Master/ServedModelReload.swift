import Logging
import RecCore

/// Makes every worker serve the current model generation from its next request on; the master
/// calls it on SIGHUP.
///
/// **Integration seam.** The reload core (on the API branch) provides
/// `ServedModelControl.reloadFromCurrent(dataDirectory:)`, which validates `CURRENT` and
/// publishes it to the shared memory-mapped control file that every worker checks before each
/// request. When it lands, this function's body becomes that call (logging the new and previous
/// generation, and the error if validation fails). Until then it only logs the request: SIGHUP
/// is deliberately not forwarded to the workers, because the control file, not a signal, is how
/// workers learn about a new model. Everything up to this call (the signal pipe, the event loop
/// dispatch) is final.
public func reloadServedModel(dataDirectory: DataDirectory, logger: Logger) {
    logger.info("reload requested", metadata: ["data_directory": "\(dataDirectory.root)", "signal": "SIGHUP"])
}
