import Foundation

/// An equivalent `curl` command for a submit, with the key written as
/// `$DARKROOM_API_KEY` so the output can be pasted and shared safely.
public enum CurlCommand {
    public static func submit(_ r: ValidRequest, tasksURL: String) -> String {
        var lines = ["curl -X POST \(quote(tasksURL))", "-H \"Authorization: Bearer $DARKROOM_API_KEY\""]
        if case let .files(files) = r.references {
            // --form-string: a value starting with @ or < must not make curl read a file.
            for (k, v) in RequestEncoder.textFields(r) { lines.append("--form-string \(quote("\(k)=\(v)"))") }
            for f in files { lines.append("-F \(quote("image=@\(f.path);type=\(f.format.mimeType)"))") }
        } else {
            lines.append("-H \"Content-Type: application/json\"")
            lines.append("-d \(quote(RequestEncoder.jsonObject(r).serialized()))")
        }
        return lines.joined(separator: " \\\n  ")
    }

    public static func query(taskID: String, tasksURL: String) -> String {
        "curl \(quote(tasksURL + "/" + taskID)) \\\n  -H \"Authorization: Bearer $DARKROOM_API_KEY\""
    }

    /// Single-quotes for POSIX shells.
    public static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
