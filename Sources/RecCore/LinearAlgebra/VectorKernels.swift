/// SIMD kernels over padded factor rows (lengths are multiples of 16 floats).
///
/// Training and scoring spend nearly all their time here, so the kernels use 16-wide SIMD
/// accumulators with a tree reduction and take raw pointers, with no bounds checks.
public enum VectorKernels {
    /// The SIMD vector the kernels work in.
    public typealias Lane = SIMD16<Float>

    /// Loads 16 floats at `pointer`.
    @inlinable @inline(__always)
    public static func load(_ pointer: UnsafePointer<Float>) -> Lane {
        UnsafeRawPointer(pointer).loadUnaligned(as: Lane.self)
    }

    /// Stores 16 floats at `pointer`.
    @inlinable @inline(__always)
    public static func store(_ value: Lane, to pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Lane.self)
    }

    /// The sum of a lane's elements, reduced as a tree to keep the dependency chain short.
    @inlinable @inline(__always)
    public static func horizontalSum(_ value: Lane) -> Float {
        let eight = value.lowHalf + value.highHalf
        let four = eight.lowHalf + eight.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    /// `Σ a[i] × b[i]` over `length` floats.
    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, length: Int) -> Float {
        var accumulator = Lane()
        var index = 0
        while index < length {
            accumulator += load(a + index) * load(b + index)
            index &+= 16
        }
        return horizontalSum(accumulator)
    }

    /// `Σ (a[i] + b[i]) × c[i]` over `length` floats: SVD++'s `q_i · (p_u + implicit sum)`.
    @inlinable @inline(__always)
    public static func dotOfSum(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>, length: Int) -> Float {
        var accumulator = Lane()
        var index = 0
        while index < length {
            accumulator += (load(a + index) + load(b + index)) * load(c + index)
            index &+= 16
        }
        return horizontalSum(accumulator)
    }

    /// `y[i] += scale × x[i]` over `length` floats.
    @inlinable @inline(__always)
    public static func addScaled(_ x: UnsafePointer<Float>, scale: Float, to y: UnsafeMutablePointer<Float>, length: Int) {
        let factor = Lane(repeating: scale)
        var index = 0
        while index < length {
            store(load(y + index) + factor * load(x + index), to: y + index)
            index &+= 16
        }
    }

    /// `x[i] *= scale` over `length` floats.
    @inlinable @inline(__always)
    public static func scale(_ x: UnsafeMutablePointer<Float>, by scale: Float, length: Int) {
        let factor = Lane(repeating: scale)
        var index = 0
        while index < length {
            store(load(x + index) * factor, to: x + index)
            index &+= 16
        }
    }
}
