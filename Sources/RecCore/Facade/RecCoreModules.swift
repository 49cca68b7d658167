/// `import RecCore` brings in the whole library: the façade `MyRecModel` and every layer's public
/// types, which its signatures use (`RatingsDataset`, `TrainingOptions`, `LoadedModel` and so
/// on). The layers themselves may import only what lies below them (docs/architecture.md).
@_exported import RecAPI
@_exported import RecConfiguration
@_exported import RecLogging
@_exported import RecModelFile
@_exported import RecModels
@_exported import RecSupport
@_exported import RecSystem
@_exported import RecTelemetry
@_exported import RecTitleMatching
@_exported import RecTraining
