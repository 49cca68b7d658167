/// A rating model: a plain value type that is trained from indexed ratings and predicts
/// ratings for known users and items.
///
/// Every algorithm (global mean, biases, matrix factorisation, SVD++, ...) conforms, so the
/// training pipeline, hyper-parameter selection, evaluation and the model file treat them
/// alike. Each reduces to `FactorParameters` for serving.
public protocol RatingModel: Sendable {
    /// The algorithm's settings.
    associatedtype Hyperparameters: ModelHyperparameters

    /// Fits a model to `ratings`. `context` carries the seed, an optional validation set that
    /// is only used to report progress and stop early, and the progress callback.
    static func train(on ratings: IndexedRatings, hyperparameters: Hyperparameters, context: TrainingContext) -> Self

    /// The unclamped predicted rating of dense `user` for dense `item`.
    func predict(user: Int, item: Int) -> Float

    /// The learned parameters in servable form.
    var parameters: FactorParameters { get }
}

extension RatingModel {
    /// The prediction of the servable parameters: what a factor model predicts, and what the
    /// model file serves, so a model only overrides it when it predicts otherwise.
    @inline(__always)
    public func predict(user: Int, item: Int) -> Float {
        parameters.predict(user: user, item: item)
    }
}

/// Settings of a model that can be recorded in the model's metadata and overridden by name
/// from the command line.
public protocol ModelHyperparameters: Sendable, Equatable {
    /// The default settings.
    init()
    /// The settings as name–value pairs, for the model metadata.
    var dictionary: [String: Double] { get }
    /// Settings with the named values replaced; unknown names are an error that lists the known ones.
    func overriding(_ values: [String: Double]) throws(HyperparameterError) -> Self
}

/// A hyper-parameter override that names no setting of the model or has an invalid value.
public struct HyperparameterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the override was refused.
    public enum Code: String, Sendable {
        /// The model has no setting of that name.
        case unknownName = "unknown_name"
        /// The value is outside the setting's range.
        case invalidValue = "invalid_value"
    }

    /// Why the override was refused.
    public var code: Code
    /// A sentence naming the setting and what is allowed.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

extension ModelHyperparameters {
    /// Applies `values` through `apply`, which returns false for a name it does not know.
    func applying(_ values: [String: Double], _ apply: (inout Self, String, Double) -> Bool) throws(HyperparameterError) -> Self {
        var result = self
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard value.isFinite, value >= 0 else {
                throw HyperparameterError(.invalidValue, "\(name) must be a finite, non-negative number, not \(value)")
            }
            guard apply(&result, name, value) else {
                let known = dictionary.keys.sorted().joined(separator: ", ")
                throw HyperparameterError(.unknownName, "unknown hyper-parameter \(name); this model has: \(known)")
            }
        }
        return result
    }
}
