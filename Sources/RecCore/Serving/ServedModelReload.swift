import CoreMetrics
import Logging
import RecConfiguration
import RecTelemetry

extension ServedModelControl {
    /// The one reload that `/api/reload`, the master's `SIGHUP`, `REC_AUTO_RELOAD=1` training and
    /// `APIRouter`'s default action share: validates and publishes `CURRENT`'s generation
    /// (`reloadFromCurrent(dataDirectory:)`) and logs the result the same way for every caller.
    ///
    /// - A reload in effect is logged at `info` ("reloaded the served model"), with the
    ///   generation, the previous one and `trigger`; one that is in effect but could not be made
    ///   durable is logged at `warning` ("reload is in effect but not durable") with the warning.
    /// - A refused reload is logged at `error` ("reload refused; serving continues unchanged")
    ///   with the error's code and message.
    ///
    /// Each outcome is also counted, as `recserve_reloads_total` or `recserve_reloads_refused_total`,
    /// through swift-metrics: in a pool process the counts land in its slot of the shared counters;
    /// elsewhere (`rec-cli`, tests) no backend is bootstrapped and counting does nothing.
    ///
    /// The caller gets the outcome to report (a response, a `PublishedModel.reload`) and does
    /// whatever else its process needs, such as a worker adopting the new generation at once.
    public static func reload(dataDirectory: DataDirectory, trigger: ReloadTrigger, logger: Logger) -> Result<ReloadOutcome, ReloadError> {
        let outcome = Result { () throws(ReloadError) in try reloadFromCurrent(dataDirectory: dataDirectory) }
        switch outcome {
        case .success(let reloaded):
            Counter(label: MetricNames.reloads).increment()
            var metadata: Logger.Metadata = [
                "trigger": "\(trigger.rawValue)", "generation": "\(reloaded.generation)",
                "previous_generation": "\(reloaded.previousGeneration.map(String.init) ?? "none")",
            ]
            if let warning = reloaded.durabilityWarning {
                metadata["warning"] = "\(warning)"
                logger.warning("reload is in effect but not durable", metadata: metadata)
            } else {
                logger.info("reloaded the served model", metadata: metadata)
            }
        case .failure(let error):
            Counter(label: MetricNames.refusedReloads).increment()
            logger.error(
                "reload refused; serving continues unchanged",
                metadata: [
                    "trigger": "\(trigger.rawValue)", "code": "\(error.code.rawValue)", "error": "\(error.message)",
                ])
        }
        return outcome
    }
}
