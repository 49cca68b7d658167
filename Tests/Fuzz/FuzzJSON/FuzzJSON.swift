import FuzzSupport
import RecCore

/// libFuzzer target: `JSONParser.parse` on arbitrary bytes, the parser every request body
/// goes through.
///
/// Beyond "never crashes", it checks two properties of the parser's contract:
/// - a refusal names a byte offset inside the input (`0...count`);
/// - an accepted document survives a round trip: `JSONWriter` writes it, the parser reads
///   the text back to an equal value, and writing that value gives the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let value: JSONValue
    do {
        value = try JSONParser.parse(bytes)
    } catch {
        FuzzSupport.require((0...size).contains(error.offset), "error offset \(error.offset) outside 0...\(size): \(error)")
        return 0
    }
    var written: [UInt8] = []
    JSONWriter.write(value, to: &written)
    let reparsed: JSONValue
    do {
        reparsed = try JSONParser.parse(written)
    } catch {
        FuzzSupport.require(false, "the writer's output does not parse: \(error)")
        return 0
    }
    FuzzSupport.require(reparsed == value, "the round trip changed the value")
    var rewritten: [UInt8] = []
    JSONWriter.write(reparsed, to: &rewritten)
    FuzzSupport.require(rewritten == written, "writing the reparsed value gave different bytes")
    return 0
}
