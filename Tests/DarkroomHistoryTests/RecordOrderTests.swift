import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

@Suite("RecordOrder: the last word on a task is the latest")
struct RecordOrderTests {
    @Test("a record read earlier is dropped once a later one of the same task was emitted")
    func dropsOlder() {
        var order = RecordOrder()
        let first = order.ticket(), second = order.ticket()
        // The second read's answer arrives first, as awaits that resume on the pool may.
        let newest = order.admit(7, ticket: second)
        let older = order.admit(7, ticket: first)
        let third = order.ticket()
        let later = order.admit(7, ticket: third)
        #expect(newest && !older && later)
    }

    @Test("records in order all pass, one write's records share a ticket, and tasks do not hold each other back")
    func inOrderAndPerTask() {
        var order = RecordOrder()
        let a = order.ticket(), b = order.ticket()
        let inOrder = [order.admit(1, ticket: a), order.admit(1, ticket: b)]
        let sameWrite = order.admit(1, ticket: b)
        let otherTask = order.admit(2, ticket: a)
        #expect(inOrder == [true, true])
        #expect(sameWrite, "two answers of one write for the same task")
        #expect(otherTask, "another task's later emission does not hold back this one")
    }
}
