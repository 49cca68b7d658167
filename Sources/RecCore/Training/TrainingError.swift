/// Training could not produce a model: bad input data or bad settings.
public struct TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable {
        /// The ratings or catalogue file could not be read.
        case unreadableData = "unreadable_data"
        /// A hyper-parameter override is unknown or invalid.
        case invalidHyperparameter = "invalid_hyperparameter"
        /// An option is outside its allowed range.
        case invalidOption = "invalid_option"
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for the user.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
