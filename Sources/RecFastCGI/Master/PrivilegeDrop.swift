#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import RecCore

/// Least privilege for a pool started as root (`make serve` as root, a root container): once
/// the master has opened its listening socket, which may need root, the whole pool runs as an
/// unprivileged user (`REC_USER`, default `nobody`), so a compromised worker cannot read
/// `/etc/shadow`, change a published model (files stay root's, mode 0644) or touch anything
/// else root owns.
///
/// Before switching, the master gives that user what serving writes: the data folder (log
/// rotation renames there), its log files, the model folder with its lock and the `SERVED`
/// control file, and the run folder that holds the socket, so the master can remove the socket
/// on exit. The socket itself stays root's, mode 0660: only root (nginx under `make serve` as
/// root) can connect. Workers are spawned after the switch and inherit it.
public enum PrivilegeDrop {
    /// What `dropIfRoot` did.
    public enum Outcome: Sendable, Equatable {
        /// The pool was not started as root: nothing to drop.
        case notRoot
        /// `REC_USER=root` asked to stay root.
        case keptRoot
        /// The pool now runs as `user` (`userID`, `groupID`).
        case switched(user: String, userID: UInt32, groupID: UInt32)
    }

    /// A user that cannot be switched to, or a step that failed.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Switches the process to `configuration.serviceUser` when it runs as root, after giving
    /// that user the paths above under `dataDirectory` (and `socketDirectory` when it is the
    /// data folder's run folder).
    public static func dropIfRoot(
        configuration: ServingConfiguration, dataDirectory: DataDirectory,
        logger: Logger
    ) throws(Failure) -> Outcome {
        guard ServerSystemCalls.effectiveUserID() == 0 else { return .notRoot }
        let name = configuration.serviceUser
        if name == "root" {
            logger.warning("REC_USER=root: the worker pool keeps running as root")
            return .keptRoot
        }
        guard let user = ServerSystemCalls.user(named: name) else {
            throw Failure(
                description: "REC_USER=\(name) names no user on this system; create it or set REC_USER to another unprivileged user")
        }
        guard user.userID != 0 else { throw Failure(description: "REC_USER=\(name) is root (uid 0); name an unprivileged user") }
        do throws(SystemCallError) {
            try SystemCalls.makeDirectories(dataDirectory.modelDirectory)
            for path in ownedPaths(dataDirectory: dataDirectory, listenAddress: configuration.listenAddress)
            where SystemCalls.exists(path) {
                try ServerSystemCalls.changeOwner(path, user: user.userID, group: user.groupID)
            }
            try ServerSystemCalls.switchUser(to: user.userID, group: user.groupID)
        } catch {
            throw Failure(description: "cannot switch the worker pool to \(name): \(error)")
        }
        logger.info("running as an unprivileged user", metadata: ["user": "\(name)", "uid": "\(user.userID)", "gid": "\(user.groupID)"])
        return .switched(user: name, userID: user.userID, groupID: user.groupID)
    }

    /// The paths the service user must own: the data folder, its log files and their lock, the model folder
    /// with its lock and control file, and the socket's folder when it is the data folder's
    /// run folder.
    static func ownedPaths(dataDirectory: DataDirectory, listenAddress: ListenAddress) -> [String] {
        let model = dataDirectory.modelDirectory
        var paths = [
            dataDirectory.root, dataDirectory.logFile, dataDirectory.logFile + ".lock", model,
            model + "/" + ModelStore.lockFileName, ServedModelControl.controlFilePath(dataDirectory: dataDirectory),
        ]
        paths += (1...LogConfiguration.maximumBackupCount).map { dataDirectory.logFile + ".\($0)" }
        if case .unix(let socketPath) = listenAddress, socketPath.hasPrefix(dataDirectory.runDirectory + "/") {
            paths.append(dataDirectory.runDirectory)
        }
        return paths
    }
}
