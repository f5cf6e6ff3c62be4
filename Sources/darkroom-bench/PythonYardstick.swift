import Foundation

/// python3 against the same simulator, to put darkroom's figures in scale.
/// Each script prints its CPU per request in ms (and its request count) as
/// the last words on stderr.
///
/// - `bareLoop`: `http.client` on one kept-alive connection, GET and
///   `json.loads` back to back, nothing else.
/// - `onSchedule`: the same, on darkroom's schedule (first at 2 s, then x1.5 to
///   5 s, ±20%), sleeping until the next is due, until each task ends.
/// - `durableWatch`: the durable part of `darkroom watch`, on that schedule:
///   each change an SQLite transaction (WAL, as darkroom's history); each result
///   streamed to a temporary file while hashed with SHA-256, fsynced, renamed,
///   with a fsynced JSON sidecar and its folder fsynced, then recorded in its
///   own transaction. No terminal, no claims between processes.
enum PythonYardstick {
    /// What every script starts with: argv is host, port, then the script's own.
    private static let prelude = """
        import hashlib, heapq, http.client, json, os, random, resource, sqlite3, sys, time, urllib.parse
        host, port = sys.argv[1], int(sys.argv[2])
        h = {"Authorization": "Bearer sk-bench-0000000000", "Accept": "application/json"}
        api = http.client.HTTPConnection(host, port)
        def cpu():
            u = resource.getrusage(resource.RUSAGE_SELF)
            return u.ru_utime + u.ru_stime
        def delay(poll):
            base = min(5.0, 2.0 * 1.5 ** (poll - 1))
            return min(5.0, max(2.0, base * (1 + 0.2 * (2 * random.random() - 1))))
        def ask(tid):
            api.request("GET", "/v1/images/tasks/" + tid, headers=h)
            return (json.loads(api.getresponse().read()) or {}).get("data") or {}
        def report(start, requests):
            print("%f %d" % ((cpu() - start) * 1000 / requests, requests), file=sys.stderr)

        """

    /// Polls one task `count` times back to back.
    static func bareLoop(base: URL, taskID: String, count: Int) throws -> Double {
        try run(prelude + """
            tid, n = sys.argv[3], int(sys.argv[4])
            start = cpu()
            for _ in range(n):
                ask(tid)
            report(start, n)
            """, base: base, args: [taskID, "\(count)"]).ms
    }

    /// The loop shared by the scheduled scripts; `on_answer(tid, task)` returns whether the task ended.
    private static let scheduleLoop = """
        ids = sys.stdin.read().split()
        start, requests, t0 = cpu(), 0, time.monotonic()
        heap = [(t0 + 2.0, i, tid, 1) for i, tid in enumerate(ids)]
        heapq.heapify(heap)
        while heap:
            due, i, tid, poll = heapq.heappop(heap)
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            sent = time.monotonic()
            task = ask(tid)
            requests += 1
            ended, extra = on_answer(tid, task)
            requests += extra
            if not ended:
                heapq.heappush(heap, (sent + delay(poll + 1), i, tid, poll + 1))
        report(start, requests)

        """

    /// Polls `ids` on darkroom's schedule until each ends.
    static func onSchedule(base: URL, ids: [String]) throws -> Double {
        try run(prelude + """
            def on_answer(tid, task):
                return str(task.get("status", "")).lower() in ("succeeded", "failed"), 0

            """ + scheduleLoop, base: base, args: [], input: ids.joined(separator: "\n")).ms
    }

    /// Follows `ids` to the end doing the durable work, in `folder`.
    static func durableWatch(base: URL, ids: [String], folder: URL) throws -> (ms: Double, requests: Int) {
        try run(prelude + """
            folder = sys.argv[3]
            os.makedirs(folder, exist_ok=True)
            db = sqlite3.connect(os.path.join(folder, "history.sqlite"), isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE tasks(id TEXT PRIMARY KEY, status TEXT, progress TEXT)")
            db.execute("CREATE TABLE events(id TEXT, status TEXT, progress TEXT, at REAL)")
            db.execute("CREATE TABLE results(id TEXT, idx INT, path TEXT, sha256 TEXT)")
            files = http.client.HTTPConnection(host, port)
            last = {}
            def fsync_dir(d):
                fd = os.open(d, os.O_RDONLY)
                os.fsync(fd)
                os.close(fd)
            def save(url, tid, i):
                files.request("GET", urllib.parse.urlsplit(url).path, headers=h)
                r = files.getresponse()
                d = os.path.join(folder, tid)
                os.makedirs(d, exist_ok=True)
                part, sha = os.path.join(d, ".%d.png.part" % i), hashlib.sha256()
                with open(part, "wb") as f:
                    while True:
                        chunk = r.read(65536)
                        if not chunk:
                            break
                        sha.update(chunk)
                        f.write(chunk)
                    f.flush()
                    os.fsync(f.fileno())
                final = os.path.join(d, "%d.png" % i)
                os.rename(part, final)
                with open(final + ".json.part", "w") as f:
                    json.dump({"task_id": tid, "url": url, "sha256": sha.hexdigest()}, f)
                    f.flush()
                    os.fsync(f.fileno())
                os.rename(final + ".json.part", final + ".json")
                fsync_dir(d)
                return final, sha.hexdigest()
            def on_answer(tid, task):
                status, progress = str(task.get("status", "")).lower(), str(task.get("progress", ""))
                if last.get(tid) != (status, progress):
                    last[tid] = (status, progress)
                    db.execute("BEGIN")
                    db.execute("INSERT OR REPLACE INTO tasks VALUES(?, ?, ?)", (tid, status, progress))
                    db.execute("INSERT INTO events VALUES(?, ?, ?, ?)", (tid, status, progress, time.time()))
                    db.execute("COMMIT")
                    print("#%s %s %s" % (tid, status, progress), flush=True)
                saved = 0
                if status == "succeeded":
                    urls = ((task.get("metadata") or {}).get("result_urls")) or [task.get("result_url")]
                    for n, url in enumerate(u for u in urls if u):
                        path, digest = save(url, tid, n)
                        saved += 1
                        db.execute("BEGIN")
                        db.execute("INSERT INTO results VALUES(?, ?, ?, ?)", (tid, n, path, digest))
                        db.execute("COMMIT")
                return status in ("succeeded", "failed"), saved

            """ + scheduleLoop, base: base, args: [folder.path], input: ids.joined(separator: "\n"))
    }

    /// Runs `script` with host, port and `args`, `input` on its stdin; reads the figures it reports.
    private static func run(_ script: String, base: URL, args: [String], input: String = "") throws -> (ms: Double, requests: Int) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, base.host ?? "127.0.0.1", "\(base.port ?? 80)"] + args
        let stdin = Pipe()
        let stderr = Pipe()
        p.standardInput = stdin
        p.standardOutput = FileHandle.nullDevice
        p.standardError = stderr
        try p.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stderr.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.count >= 2, let requests = Int(words[words.count - 1]), let ms = Double(words[words.count - 2]) else {
            throw BenchError(description: "python3 printed no figure: \(text.suffix(400))")
        }
        return (ms, requests)
    }
}
