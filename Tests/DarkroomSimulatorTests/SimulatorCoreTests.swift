import DarkroomCore
import Foundation
import Testing
@testable import DarkroomSimulator

@Suite("Simulator logic, without sockets")
struct SimulatorCoreTests {
    let auth = ["authorization": "Bearer sk-test-1234", "content-type": "application/json"]

    func core(_ configure: (inout SimulatorConfig) -> Void = { _ in }) -> (SimulatorCore, ManualTime) {
        var c = SimulatorConfig()
        configure(&c)
        let time = ManualTime()
        return (SimulatorCore(config: c, now: { time.now() }), time)
    }

    func submit(_ core: SimulatorCore, _ body: String, headers: [String: String]? = nil) async -> SimResponse {
        await core.handle(SimRequest(method: "POST", path: "/v1/images/tasks", headers: headers ?? auth, body: Array(body.utf8)))
    }

    func query(_ core: SimulatorCore, _ id: String) async -> SimResponse {
        await core.handle(SimRequest(method: "GET", path: "/v1/images/tasks/\(id)", headers: auth))
    }

    let gpt = #"{"model":"gpt-image-2","prompt":"a lighthouse","size":"1536x864","n":1}"#

    @Test("requires a Bearer sk- key, or the one configured key")
    func auth401() async {
        let (c, _) = core()
        #expect(await submit(c, gpt, headers: ["content-type": "application/json"]).status == 401)
        #expect(await submit(c, gpt, headers: ["authorization": "Bearer nope"]).status == 401)
        let (strict, _) = core { $0.apiKey = "sk-only-this" }
        #expect(await submit(strict, gpt).status == 401)
        let r = await submit(strict, gpt, headers: ["authorization": "Bearer sk-only-this"])
        #expect(r.status == 200)
        #expect(await submit(c, gpt).json?["error"] == .null)
        #expect(await submit(c, gpt, headers: [:]).json?["error"]?["type"] == "new_api_error")
    }

    @Test("a method a resource does not take is 405 with the Allow header naming those it does (RFC 9110)",
          arguments: ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "BREW", "post"])
    func methodNotAllowed(method: String) async {
        let (c, _) = core()
        let tasks = await c.handle(SimRequest(method: method, path: "/v1/images/tasks", headers: auth))
        if method != "POST" {
            #expect(tasks.status == 405)
            #expect(tasks.headers["allow"] == "POST")
        }
        let one = await c.handle(SimRequest(method: method, path: "/v1/images/tasks/task_x", headers: auth))
        let file = await c.handle(SimRequest(method: method, path: "/files/task_x/0.png", headers: auth))
        let root = await c.handle(SimRequest(method: method, path: "/", headers: auth))
        for r in [one, file, root] where method != "GET" {
            #expect(r.status == 405)
            #expect(r.headers["allow"] == "GET")
        }
    }

    @Test("moves a task from queued through processing to succeeded over time")
    func lifecycle() async throws {
        let (c, time) = core()
        let submitted = await submit(c, gpt)
        #expect(submitted.status == 200)
        let bare = try #require(submitted.json)
        #expect(bare["status"] == "queued")
        #expect(bare["data"] == nil)
        let id = try #require(bare["task_id"]?.stringValue)
        var seen: [String] = []
        var progress: [Int] = []
        for _ in 0..<30 {
            let r = await query(c, id)
            #expect(r.status == 200)
            #expect(r.json?["code"] == "success")
            let task = try TaskDecoder.decode(r.body)
            if seen.last != task.status.name { seen.append(task.status.name) }
            progress.append(task.progress ?? -1)
            time.advance(by: .seconds(1))
        }
        #expect(seen == ["queued", "processing", "succeeded"])
        #expect(progress == progress.sorted())
        let done = try TaskDecoder.decode(await query(c, id).body)
        #expect(done.resultURLs == ["http://127.0.0.1/files/\(id)/0.png"])
        let file = await c.handle(SimRequest(method: "GET", path: "/files/\(id)/0.png"))
        #expect(file.status == 200)
        #expect(ImageSniffer.format(of: file.body) == .png)
        #expect(PNGInfo.size(file.body).map { "\($0.width)x\($0.height)" } == "384x216")
    }

    @Test("results come in the requested output_format: JPEG and WebP by the system encoders, with the matching extension",
          arguments: [("jpeg", "jpg", OutputFormat.jpeg), ("webp", "webp", .webp), ("png", "png", .png)])
    func formats(_ requested: String, _ ext: String, _ format: OutputFormat) async throws {
        let (c, time) = core()
        let body = #"{"model":"NanoBanana","prompt":"a fox","aspect_ratio":"16:9","output_format":"\#(requested)"}"#
        let id = try #require(await submit(c, body).json?["task_id"]?.stringValue)
        time.advance(by: .seconds(120))
        let done = try TaskDecoder.decode(await query(c, id).body)
        #expect(done.resultURLs == ["http://127.0.0.1/files/\(id)/0.\(ext)"])
        let file = await c.handle(SimRequest(method: "GET", path: "/files/\(id)/0.\(ext)"))
        #expect(file.status == 200)
        #expect(file.headers["content-type"] == format.mimeType)
        #expect(ImageSniffer.format(of: file.body) == format)
        // The wrong extension is not served.
        #expect(await c.handle(SimRequest(method: "GET", path: "/files/\(id)/0.\(ext == "png" ? "jpg" : "png")")).status == 404)
    }

    @Test("fails a prompt holding the fail marker, with a reason")
    func failMarker() async throws {
        let (c, time) = core()
        let id = try #require(await submit(c, #"{"model":"NanoBanana","prompt":"please [FAIL] now"}"#).json?["task_id"]?.stringValue)
        time.advance(by: .seconds(60))
        let t = try TaskDecoder.decode(await query(c, id).body)
        #expect(t.status == .failed)
        #expect(t.errorMessage?.contains("content policy") == true)
        #expect(t.resultURLs.isEmpty)
    }

    @Test("answers n results, in metadata.result_urls or comma-joined")
    func manyResults() async throws {
        let (c, time) = core()
        let id = try #require(await submit(c, #"{"model":"NanoBanana2-1K","prompt":"x","n":3,"aspect_ratio":"9:16"}"#).json?["task_id"]?.stringValue)
        time.advance(by: .seconds(60))
        let r = await query(c, id)
        #expect(r.json?["data"]?["metadata"]?["result_urls"]?.arrayValue?.count == 3)
        let (joined, t2) = core { $0.faults.commaJoinedResults = 1 }
        let id2 = try #require(await submit(joined, #"{"model":"NanoBanana2-1K","prompt":"x","n":2}"#).json?["task_id"]?.stringValue)
        t2.advance(by: .seconds(60))
        let r2 = await query(joined, id2)
        #expect(r2.json?["data"]?["result_url"]?.stringValue?.split(separator: ",").count == 2)
        #expect(try TaskDecoder.decode(r2.body).resultURLs.count == 2)
    }

    @Test("validates like the platform, in the gateway's error shape", arguments: [
        (#"{"model":"gpt-image-2","prompt":"x"}"#, 400, "size is required"),
        (#"{"model":"gpt-image-2","prompt":"x","size":"1000x1000"}"#, 400, "not supported"),
        (#"{"model":"gpt-image-2","prompt":"x","size":"1024x1024","aspect_ratio":"1:1"}"#, 400, "does not support aspect_ratio"),
        (#"{"model":"NanoBanana2-1K","prompt":"x","size":"1024x1024"}"#, 400, "does not take size"),
        (#"{"model":"NanoBanana2-1K","prompt":"x","output_format":"webp"}"#, 400, "output_format webp"),
        (#"{"model":"NanoBanana","prompt":"   "}"#, 400, "prompt is required"),
        (#"{"model":"NanoBanana","prompt":"x","n":9}"#, 400, "between 1 and 8"),
        (#"{"model":"NanoBanana","prompt":"x","task_type":"image2image"}"#, 400, "requires image"),
        (#"{"model":"NanoBanana","prompt":"x","image":"file:///etc/passwd"}"#, 400, "http(s) URL"),
        (#"{"model":"Midjourney","prompt":"x"}"#, 503, "No available channel"),
        ("not json", 400, "not a JSON object"),
    ])
    func validation(body: String, status: Int, message: String) async {
        let (c, _) = core()
        let r = await submit(c, body)
        #expect(r.status == status)
        #expect(r.json?["error"]?["message"]?.stringValue?.contains(message) == true, "\(String(decoding: r.body, as: UTF8.self))")
        #expect(await c.allTasks.isEmpty)
    }

    @Test("answers an unknown task with task_not_exist")
    func unknownTask() async {
        let (c, _) = core()
        let r = await query(c, "task_nope")
        #expect(r.status == 404)
        #expect(r.json?["code"] == "task_not_exist")
    }

    @Test("refuses denied models and an exhausted quota")
    func accountErrors() async {
        let (denied, _) = core { $0.deniedModels = ["NanoBananaPro-8K"] }
        let r = await submit(denied, #"{"model":"NanoBananaPro-8K","prompt":"x"}"#)
        #expect(r.status == 503)
        #expect(r.json?["error"]?["code"] == "model_not_found")
        let (broke, _) = core { $0.quotaExhausted = true }
        #expect(await submit(broke, gpt).status == 403)
    }

    @Test("injects each fault when its rate is 1")
    func faults() async throws {
        let (e5, _) = core { $0.faults.serverError = 1 }
        #expect((500...503).contains(await submit(e5, gpt).status))
        let (ra, _) = core { $0.faults.rateLimitRetryAfter = 1 }
        let r429 = await submit(ra, gpt)
        #expect(r429.status == 429)
        #expect(r429.headers["retry-after"] == "1")
        let (nj, _) = core { $0.faults.notJSON = 1 }
        let id = try #require(await submit(nj, gpt).json?["task_id"]?.stringValue)
        let html = await query(nj, id)
        #expect(html.status == 200 && html.json == nil)
        let (drop, _) = core { $0.faults.drop = 1 }
        let dropped = await submit(drop, gpt)
        #expect(dropped.dropAfterBytes != nil)
        #expect(await drop.allTasks.count == 1)
        let (slow, _) = core { $0.faults.slow = 1; $0.faults.slowDelay = .seconds(3) }
        #expect(await submit(slow, gpt).delay == .seconds(3))
    }

    @Test("writes statuses and progress in other gateways' shapes")
    func shapes() async throws {
        let (c, time) = core { $0.faults.synonymStatus = 1; $0.faults.numericProgress = 1; $0.faults.extraFields = 1 }
        let first = try #require(await submit(c, gpt).json)
        #expect(["QUEUED", "SUBMITTED", "not_start"].contains(first["status"]?.stringValue ?? ""))
        #expect(first["platform"] == "simulator")
        time.advance(by: .seconds(60))
        let id = try #require(first["task_id"]?.stringValue)
        let t = try TaskDecoder.decode(await query(c, id).body)
        #expect(t.status == .succeeded)
        #expect(["SUCCESS", "completed"].contains(t.rawStatus))
        #expect(t.progress == 100)
    }

    @Test("forgets vanishing tasks and expires result files")
    func vanishAndExpiry() async throws {
        let (v, tv) = core { $0.faults.vanish = 1 }
        let id = try #require(await submit(v, gpt).json?["task_id"]?.stringValue)
        tv.advance(by: .seconds(60))
        #expect(await query(v, id).json?["code"] == "task_not_exist")
        let (e, te) = core { $0.faults.resultTTL = .seconds(30) }
        let id2 = try #require(await submit(e, gpt).json?["task_id"]?.stringValue)
        te.advance(by: .seconds(25))
        _ = await query(e, id2)
        te.advance(by: .seconds(10))
        let ok = await e.handle(SimRequest(method: "GET", path: "/files/\(id2)/0.png"))
        te.advance(by: .seconds(60))
        let gone = await e.handle(SimRequest(method: "GET", path: "/files/\(id2)/0.png"))
        #expect(ok.status == 200)
        #expect(gone.status == 403)
    }

    @Test("reads the fault profiles by name and as a list")
    func profiles() throws {
        #expect(try FaultProfile.parse("none") == FaultProfile())
        #expect(try FaultProfile.parse("chaos").serverError > 0)
        let custom = try FaultProfile.parse("server_error=0.2, drop=0.05,result_ttl=30")
        #expect(custom.serverError == 0.2 && custom.drop == 0.05 && custom.resultTTL == .seconds(30))
        #expect(throws: FaultSpecError.self) { try FaultProfile.parse("explode=1") }
    }

    @Test("paints the same picture for the same prompt and a different one otherwise")
    func deterministicPictures() {
        let a = ScenePainter.png(prompt: "fjord", variant: 0, aspect: 1)
        #expect(a == ScenePainter.png(prompt: "fjord", variant: 0, aspect: 1))
        #expect(a != ScenePainter.png(prompt: "fjord", variant: 1, aspect: 1))
        #expect(PNGInfo.size(ScenePainter.png(prompt: "x", variant: 0, aspect: 9.0 / 21)).map { "\($0.width)x\($0.height)" } == "165x384")
    }
}

/// Reads a PNG's size from its IHDR and checks every chunk's CRC.
enum PNGInfo {
    static func size(_ png: [UInt8]) -> (width: Int, height: Int)? {
        guard ImageSniffer.format(of: png) == .png, png.count > 33 else { return nil }
        func be32(_ i: Int) -> Int { Int(png[i]) << 24 | Int(png[i + 1]) << 16 | Int(png[i + 2]) << 8 | Int(png[i + 3]) }
        var i = 8
        while i + 12 <= png.count {
            let len = be32(i)
            guard i + 12 + len <= png.count else { return nil }
            let crc = be32(i + 8 + len)
            guard UInt32(crc) == crc32(Array(png[(i + 4)..<(i + 8 + len)])) else { return nil }
            i += 12 + len
        }
        return (be32(16), be32(20))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return c ^ 0xFFFF_FFFF
    }
}
