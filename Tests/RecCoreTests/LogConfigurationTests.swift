import Logging
import RecCore
import Testing

struct LogConfigurationTests {
    @Test(arguments: [
        ("trace", Logger.Level.trace), ("DEBUG", .debug), (" Info ", .info), ("notice", .notice),
        ("warn", .warning), ("WARNING", .warning), ("error", .error), ("Critical", .critical),
    ])
    func levelNamesAreReadAsUsersTypeThem(text: String, level: Logger.Level) {
        #expect(LogConfiguration.level(named: text) == level)
    }

    @Test(arguments: ["", "loud", "war", "5"])
    func unknownLevelNamesAreRejected(text: String) {
        #expect(LogConfiguration.level(named: text) == nil)
    }

    @Test(arguments: [
        ("1048576", 1_048_576), ("512K", 512 * 1024), ("10M", 10 * 1024 * 1024), ("10MiB", 10 * 1024 * 1024),
        ("1g", 1 << 30), (" 64 kb ", 64 * 1024), ("100b", 100),
    ])
    func byteCountsAcceptBinarySuffixes(text: String, bytes: Int) {
        #expect(LogConfiguration.byteCount(text) == bytes)
    }

    @Test(arguments: ["", "abc", "-5", "10X", "M", "1.5M", "99999999999999G"])
    func malformedByteCountsAreRejected(text: String) {
        #expect(LogConfiguration.byteCount(text) == nil)
    }

    @Test func explicitValuesOutOfRangeAreClamped() {
        let configuration = LogConfiguration(maximumFileBytes: 0, backupCount: 0)
        #expect(configuration.maximumFileBytes == 1)
        #expect(configuration.backupCount == 1)
        #expect(LogConfiguration(backupCount: 10_000).backupCount == LogConfiguration.maximumBackupCount)
    }
}
