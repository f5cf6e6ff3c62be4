import CImageCodecs
import DarkroomCore
import Foundation

/// Encoders for test fixtures and the simulator's JPEG and WebP results.
public enum ImageEncoder {
    private static let sixelLock = NSLock()

    /// PNG by libpng, from 8-bit RGB pixels (`width * height * 3` bytes, rows top to bottom).
    public static func png(width: Int, height: Int, rgb: [UInt8]) -> [UInt8]? {
        guard rgb.count == width * height * 3 else { return nil }
        var size = 0
        guard let p = rgb.withUnsafeBufferPointer({ dr_encode_png($0.baseAddress, Int32(width), Int32(height), 3, &size) }) else { return nil }
        defer { dr_buffer_free(p) }
        return Array(UnsafeBufferPointer(start: p, count: size))
    }

    /// PNG by libpng, from a bitmap (RGBA).
    public static func png(_ b: Bitmap) -> Data? {
        var size = 0
        guard let p = b.rgba.withUnsafeBufferPointer({ dr_encode_png($0.baseAddress, Int32(b.width), Int32(b.height), 4, &size) }) else { return nil }
        defer { dr_buffer_free(p) }
        return Data(bytes: p, count: size)
    }

    /// Sixel by libsixel from 8-bit RGB (`width * height * 3` bytes): the whole DCS sequence.
    /// One encode at a time: libsixel does not say it is thread-safe (its palette
    /// code keeps state of its own).
    public static func sixel(width: Int, height: Int, rgb: [UInt8]) -> [UInt8]? {
        guard rgb.count == width * height * 3 else { return nil }
        var size = 0
        sixelLock.lock()
        defer { sixelLock.unlock() }
        guard let p = rgb.withUnsafeBufferPointer({ dr_encode_sixel($0.baseAddress, Int32(width), Int32(height), &size) }) else { return nil }
        defer { dr_buffer_free(p) }
        return Array(UnsafeBufferPointer(start: p, count: size))
    }

    public static func jpeg(_ b: Bitmap, quality: Int = 85) -> Data? {
        var size = 0
        guard let p = b.rgba.withUnsafeBufferPointer({ dr_encode_jpeg($0.baseAddress, Int32(b.width), Int32(b.height), Int32(quality), &size) }) else { return nil }
        defer { dr_buffer_free(p) }
        return Data(bytes: p, count: size)
    }

    public static func webp(_ b: Bitmap, quality: Float = 80) -> Data? {
        var size = 0
        guard let p = b.rgba.withUnsafeBufferPointer({ dr_encode_webp($0.baseAddress, Int32(b.width), Int32(b.height), quality, &size) }) else { return nil }
        defer { dr_buffer_free(p) }
        return Data(bytes: p, count: size)
    }
}
