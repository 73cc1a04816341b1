import ConsoleModel
import TermUI

/// Pane 3: every packet of both layers, both directions, both cores, with lifecycle moments.
enum PacketsPane {
    static func render(_ state: AppState, into buffer: inout CellBuffer, area: Rect, focused: Bool, context: RenderContext) {
        let visible = state.visiblePackets
        var notes: [String] = []
        if state.paused { notes.append("PAUSED") } else if state.follow { notes.append("follow " + context.glyphs.bullet) }
        if !state.filter.isEmpty { notes.append("filter: " + state.filter.text) }
        if let n = state.narrowNamespace { notes.append("nsp \(n)") }
        if let s = state.narrowSID { notes.append("sid \(s)") }
        notes.append(visible.count == state.packets.count ? "\(visible.count)" : "\(visible.count)/\(state.packets.count)")
        let dropped = state.packets.dropped + state.queueDropped
        if dropped > 0 { notes.append("dropped \(dropped)") }
        let inner = Box(title: "3 Packets", note: notes.joined(separator: " \(context.glyphs.vertical) "), focused: focused)
            .render(into: &buffer, area: area, glyphs: context.glyphs)
        guard inner.height >= 2 else { return }
        let wide = inner.width >= 90
        let header = wide ? "time     dir  s sid    layer nsp        type          summary"
                          : "time     dir  sid    nsp      type       summary"
        buffer.put(header, x: inner.x, y: inner.y, role: .header, limit: inner.maxX)
        let list = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        guard !visible.isEmpty else {
            let hint = state.packets.isEmpty ? "waiting for traffic…" : "no packet matches the filter (Esc clears it)"
            buffer.put(hint, x: list.x + 1, y: list.y, role: .dim, limit: list.maxX)
            return
        }
        let marked = state.tour?.marked ?? []
        let selectedIndex = state.selectedPacketSeq.flatMap { visible.lastIndex(atMost: $0) } ?? visible.count - 1
        ListWindow.draw(count: visible.count, selected: selectedIndex, in: list, focused: focused, into: &buffer) { index, y, buffer in
            let r = visible[index]
            let role = marked.contains(r.seq) ? .lessonMark : role(of: r)
            let direction: String
            switch r.direction {
            case .inbound?: direction = context.glyphs.inbound + "in "
            case .outbound?: direction = context.glyphs.outbound + "out"
            case nil: direction = "    "
            }
            var cols = context.clock(r.time) + " " + direction + " "
            if wide { cols += (r.side == .server ? "S" : "C") + " " }
            cols += TextLayout.padded(r.sid, to: 6) + " "
            if wide { cols += TextLayout.padded(r.layer.rawValue, to: 5) + " " }
            cols += TextLayout.padded(r.namespace ?? "-", to: wide ? 10 : 8) + " "
            cols += TextLayout.padded(r.type, to: wide ? 13 : 10) + " "
            var summary = ""
            if let name = r.eventName { summary += "\"\(name)\" " }
            if let id = r.ackID, r.layer == .socket { summary += "#\(id) " }
            summary += r.summary
            if r.attachments > 0 { summary += " +\(r.attachments) bin" }
            if let link = state.linkedSeq(of: r) {
                summary += r.kind.isAck ? " \(context.glyphs.answers) answers \(link)" : " \(context.glyphs.acked) acked"
            }
            let x = buffer.put(cols, x: list.x, y: y, role: role, limit: list.maxX)
            buffer.put(summary, x: x, y: y, role: role, limit: list.maxX)
        }
    }

    static func role(of r: PacketRecord) -> Role {
        if r.isError { return .traceError }
        switch r.layer {
        case .engine: return .traceEngine
        case .lifecycle: return .dim
        case .socket: return r.direction == .inbound ? .inbound : .outbound
        }
    }
}
