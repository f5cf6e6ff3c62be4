import DarkroomCore
import DarkroomPreview
import DarkroomSimulator
import Foundation
import Testing

/// Copies that carry their request: written into PNG, JPEG and WebP without
/// touching the picture, read back by darkroom and by exiftool.
@Suite("Files that carry their story")
struct StoryMetadataTests {
    static let story = PictureStory(
        prompt: "一只猫在屋顶上, a cat on the roof <at> \"dusk\" & rain", model: "gpt-image-2", size: "1024x1024", quality: "high",
        outputFormat: "png", taskID: "task_story0001", localID: 7, index: 1, host: "api.example.com",
        date: Date(timeIntervalSince1970: 1_800_000_000),
        parents: [PictureOrigin(localID: 3, taskID: "task_parent", index: 0, sha256: String(repeating: "ab", count: 32))])

    static func picture(_ f: OutputFormat) -> [UInt8] { ScenePainter.encoded(prompt: "story", variant: 0, aspect: 1.5, longSide: 96, format: f) }

    @Test("PNG, JPEG and WebP: the story goes in, comes back whole, and the pixels are the same", arguments: OutputFormat.allCases)
    func roundTrip(_ format: OutputFormat) throws {
        let original = Self.picture(format)
        let copy = try MetadataWriter.embed(Self.story, into: original)
        #expect(copy != original)
        #expect(try MetadataReader.read(copy) == .darkroom(Self.story))
        #expect(try MetadataReader.read(original) == .nothing(format))
        let a = try ImageDecoder.decode(Data(original)), b = try ImageDecoder.decode(Data(copy))
        #expect(a == b, "the picture decodes to the same pixels")
        // Written twice: one story, the newest (WebP replaces its XMP chunk; the others add before the old).
        var again = Self.story
        again.prompt = "second"
        #expect(try MetadataReader.read(try MetadataWriter.embed(again, into: copy)) != .nothing(format))
    }

    @Test("exiftool reads the prompt, the model and the task id from each format",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/exiftool")), arguments: OutputFormat.allCases)
    func exiftool(_ format: OutputFormat) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-story-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("copy.\(format.fileExtension)")
        try Data(try MetadataWriter.embed(Self.story, into: Self.picture(format))).write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/exiftool")
        p.arguments = ["-json", "-XMP-darkroom:all", "-Description", "-Warning", file.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let json = try #require(try JSONParser.parse(Array(data)).arrayValue?.first)
        #expect(json["Prompt"]?.stringValue == Self.story.prompt, "\(String(decoding: data, as: UTF8.self))")
        #expect(json["Model"]?.stringValue == "gpt-image-2")
        #expect(json["TaskID"]?.stringValue == "task_story0001")
        #expect(json["Description"]?.stringValue == Self.story.prompt)
        #expect(json["Warning"] == nil, "exiftool found nothing wrong: \(String(decoding: data, as: UTF8.self))")
    }

    @Test("PNG also carries the 'parameters' text other tools show (iTXt when it is not Latin-1); another tool's parameters are read as such")
    func parameters() throws {
        let copy = try MetadataWriter.embed(Self.story, into: Self.picture(.png))
        let text = String(decoding: copy, as: UTF8.self)
        #expect(text.contains("iTXtparameters"))
        var plain = Self.story
        plain.prompt = "a lighthouse"
        #expect(String(decoding: try MetadataWriter.embed(plain, into: Self.picture(.png)), as: UTF8.self).contains("tEXtparameters\u{0}a lighthouse\nModel: gpt-image-2"))
        // Another tool's PNG: a tEXt "parameters" chunk and nothing of darkroom's.
        let png = Self.picture(.png)
        let theirs = Array(png[0..<33]) + MetadataWriter.pngChunk("tEXt", Array("parameters\u{0}a fox\nSteps: 20, Sampler: Euler".utf8)) + Array(png[33...])
        #expect(try MetadataReader.read(theirs) == .other("a fox\nSteps: 20, Sampler: Euler"))
    }

    @Test("damaged, truncated or lying files are clear errors, never a crash", arguments: OutputFormat.allCases)
    func damaged(_ format: OutputFormat) {
        let copy = (try? MetadataWriter.embed(Self.story, into: Self.picture(format))) ?? []
        for cut in [13, 40, copy.count / 3, copy.count - 1] {
            _ = try? MetadataReader.read(Array(copy.prefix(cut)))
        }
        var lying = copy
        // A length field that points past the end.
        let at = format == .png ? 33 : format == .jpeg ? 2 : 16
        if lying.count > at + 4 { for i in 0..<4 { lying[at + (format == .jpeg ? 2 : 0) + i] = 0xFF } }
        #expect(throws: MetadataReader.Failure.self) { _ = try MetadataReader.read(lying) }
        #expect(throws: MetadataReader.Failure.notPicture) { _ = try MetadataReader.read(Array("not a picture".utf8)) }
        #expect(throws: MetadataWriter.Failure.self) { _ = try MetadataWriter.embed(Self.story, into: Array("GIF89a".utf8)) }
    }
}
