import Foundation
import Testing

/// The gateway in the real binary, in tmux, on the demo (whose key has $5 and
/// may not call NanoBananaPro-8K), in the serialized tmux suite.
extension TmuxTests {
    @Test("the demo's unavailable model is marked in the picker and refused before sending; the balance drops after a task succeeds",
          .enabled(if: tmuxAvailable))
    func gatewayInTheDemo() async throws {
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.start(width: 120, height: 40)
        try tmux.text("\(ProcessTests.binary.path) demo --seed 0 --speed 20\n")
        _ = try await tmux.waitFor("the balance") { $0.contains("Describe the image") && $0.contains("$5.00 left") }
        try tmux.text("a lighthouse at dusk")
        // Model: NanoBanana Pro (one up from gpt-image-2), then its tier list.
        try tmux.keys("Tab", "Enter")
        _ = try await tmux.waitFor("the model list") { $0.contains("▸ gpt-image-2") && $0.contains("Esc cancel") }
        try tmux.keys("Up", "Enter")
        _ = try await tmux.waitFor("NanoBanana Pro chosen") { $0.contains("NanoBananaPro-1K") }
        try tmux.keys("Tab", "Enter")
        let tiers = try await tmux.waitFor("the tier list") { $0.contains("8K  (not for this key)") }
        #expect(!tiers.contains("4K  (not for this key)"), "only the one the key may not use is marked")
        try tmux.keys("Down", "Down", "Down", "Enter")
        _ = try await tmux.waitFor("the problem beside the field") { $0.contains("Model     NanoBananaPro-8K") && $0.contains("! this key may not use") }
        try tmux.keys("C-s")
        let refused = try await tmux.waitFor("the refusal") { $0.contains("Not sent: this key may not use NanoBanana") }
        #expect(refused.contains("No tasks yet"), "nothing was sent")
        #expect(refused.contains("$5.00 left"))
        // Back to gpt-image-2 ($0.04 a picture on the demo's gateway): sent, done, and the balance drops.
        // The refusal puts the cursor on the field it is about.
        _ = try await tmux.waitFor("the Model field") { $0.contains("▸ Model") }
        try tmux.keys("Enter")
        _ = try await tmux.waitFor("the model list again") { $0.contains("▸ NanoBanana Pro") && $0.contains("Esc cancel") }
        try tmux.keys("Down", "Enter")
        _ = try await tmux.waitFor("gpt-image-2 chosen") { $0.contains("‹ gpt-image-2 ›") }
        try tmux.keys("C-s")
        _ = try await tmux.waitFor("the task done", within: 60) { $0.contains("✓ #1 done") || $0.contains("✓ 1 done") }
        let after = try await tmux.waitFor("the balance after the task", within: 30) { $0.contains("$4.96 left") }
        #expect(!after.contains("$5.00 left"))
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the demo to end") { $0.contains("darkroom demo ended") }
    }
}
