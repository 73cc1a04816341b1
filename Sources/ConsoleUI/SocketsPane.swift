import ConsoleModel
import TermUI

/// Pane 2: server sockets and simulated clients.
enum SocketsPane {
    static func render(_ state: AppState, into buffer: inout CellBuffer, area: Rect, focused: Bool, context: RenderContext) {
        let rows = state.socketRows
        let note = state.narrowNamespace.map { "in \($0)" } ?? "\(rows.count)"
        let inner = Box(title: "2 Sockets", note: note, focused: focused).render(into: &buffer, area: area, glyphs: context.glyphs)
        guard !inner.isEmpty else { return }
        if rows.isEmpty {
            buffer.put("no sockets; press c on a namespace", x: inner.x + 1, y: inner.y, role: .dim, limit: inner.maxX)
            return
        }
        let selected = min(state.selection[.sockets] ?? 0, rows.count - 1)
        ListWindow.draw(count: rows.count, selected: selected, in: inner, focused: focused, into: &buffer) { index, y, buffer in
            let s = rows[index]
            let side = s.side == .server ? "srv" : "cli"
            let transport = s.state == .connected ? (s.transport == .websocket ? "ws  " : "poll") : stateWord(s.state)
            let role: Role = s.state == .refused ? .traceError : (s.state == .connected ? .base : .dim)
            var x = buffer.put(TextLayout.padded(s.id, to: 8), x: inner.x, y: y, role: role, limit: inner.maxX)
            x = buffer.put(" \(side) \(transport) ", x: x, y: y, role: .dim, limit: inner.maxX)
            var tail = s.namespace
            if !s.rooms.isEmpty { tail += " [" + s.rooms.joined(separator: ",") + "]" }
            if s.side == .client, !s.note.isEmpty { tail += " " + s.note }
            buffer.put(TextLayout.truncated(tail, to: inner.maxX - x), x: x, y: y, role: role, limit: inner.maxX)
        }
    }

    static func stateWord(_ state: SocketInfo.State) -> String {
        switch state {
        case .connecting: return "conn"
        case .connected: return "ok  "
        case .refused: return "REFU"
        case .disconnected: return "gone"
        }
    }
}
