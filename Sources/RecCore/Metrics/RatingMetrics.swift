/// Error metrics of rating predictions.
///
/// Predictions are clamped to the rating scale before they are scored, as a served
/// prediction would be.
public enum RatingMetrics {
    /// The lowest rating a prediction is clamped to.
    public static let lowestRating: Float = 1
    /// The highest rating a prediction is clamped to.
    public static let highestRating: Float = 5

    /// `prediction` clamped to the rating scale.
    @inline(__always)
    public static func clamp(_ prediction: Float) -> Float {
        min(max(prediction, lowestRating), highestRating)
    }

    /// The root mean squared error of `predict` on `ratings`, or 0 when there are none.
    public static func rmse(of ratings: IndexedRatings, predict: (Int, Int) -> Float) -> Double {
        guard ratings.count > 0 else { return 0 }
        var sum = 0.0
        for row in 0..<ratings.count {
            let error = Double(clamp(predict(Int(ratings.users[row]), Int(ratings.items[row]))) - ratings.ratings[row])
            sum += error * error
        }
        return (sum / Double(ratings.count)).squareRoot()
    }

    /// The root mean squared error between two equally long arrays.
    public static func rmse(predictions: [Float], actual: [Float]) -> Double {
        precondition(predictions.count == actual.count, "predictions and ratings must pair up")
        guard !actual.isEmpty else { return 0 }
        var sum = 0.0
        for index in actual.indices {
            let error = Double(predictions[index] - actual[index])
            sum += error * error
        }
        return (sum / Double(actual.count)).squareRoot()
    }

    /// The mean absolute error between two equally long arrays.
    public static func meanAbsoluteError(predictions: [Float], actual: [Float]) -> Double {
        precondition(predictions.count == actual.count, "predictions and ratings must pair up")
        guard !actual.isEmpty else { return 0 }
        var sum = 0.0
        for index in actual.indices { sum += Double(abs(predictions[index] - actual[index])) }
        return sum / Double(actual.count)
    }
}
