extension [UInt8] {
    /// Appends the decimal digits of `value`, zero-padded to at least `width` digits, without
    /// going through `String`: log lines and FastCGI response heads are built byte by byte.
    package mutating func appendDecimal(_ value: Int64, width: Int = 1) {
        if value < 0 { append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt64 = 1
        var digitCount = 1
        while digitCount < Swift.min(width, 19) || magnitude / divisor >= 10 {
            divisor *= 10
            digitCount += 1
        }
        while divisor > 0 {
            append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }
}
