import Foundation

/// A file system error in words about what happened ("the disk is full",
/// "something of that name is already there"), never Foundation's
/// ("NSCocoaErrorDomain error 256", "The file isn't in the correct format").
/// The caller names the path.
public enum FileErrorText {
    public static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileWriteFileExists: return "something of that name is already there (a file, a folder or a link)"
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder (or a link to one that is gone)"
            case .fileWriteOutOfSpace: return "the disk is full"
            case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
            case .fileWriteVolumeReadOnly: return "the disk is read-only"
            case .fileReadCorruptFile, .fileReadInapplicableStringEncoding: return "its content cannot be read as expected"
            case .fileReadTooLarge: return "it is too large"
            default: return "the file system refused it (\(ns.code))"
            }
        }
        return TerminalSanitizer.clean(String(describing: error))
    }
}
