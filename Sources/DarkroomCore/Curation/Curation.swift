import Foundation

/// A change the user makes to how a task is kept: a star (on the task, or on
/// one picture by its result index; off for the task takes every star off),
/// hidden or shown, its whole set of tags.
public enum Curation: Equatable, Sendable {
    case star(picture: Int?, Bool)
    case hide(Bool)
    case tags([TaskTag])

    /// The change made to a record in memory, as the history will store it
    /// (`now` stamps a star or a hide): for a screen that shows it at once.
    public func applied(to r: TaskRecord, now: Date) -> TaskRecord {
        var r = r
        switch self {
        case let .star(picture?, on):
            if on { r.starredPictures.insert(picture) } else { r.starredPictures.remove(picture) }
        case let .star(nil, on):
            // Off for the task: every star, its pictures' too.
            r.starredAt = on ? (r.starredAt ?? now) : nil
            if !on { r.starredPictures = [] }
        case let .hide(on):
            r.hiddenAt = on ? (r.hiddenAt ?? now) : nil
        case let .tags(tags):
            r.tags = Array(Set(tags)).sorted()
        }
        return r
    }
}
