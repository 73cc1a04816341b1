import ConsoleModel
import EngineIOProtocol
import ProtocolExplain
import SocketIOProtocol
import TermUI

/// Pane 4: the selection explained. A packet is dissected field by field (the teaching view), with
/// its raw text and hex for binary; a namespace or socket shows its facts.
enum DetailPane {
    static func render(_ state: AppState, into buffer: inout CellBuffer, area: Rect, focused: Bool, context: RenderContext) {
        let (title, lines) = content(state, context: context)
        let inner = Box(title: "4 " + title, note: state.detailScroll > 0 ? "+\(state.detailScroll)" : "", focused: focused)
            .render(into: &buffer, area: area, glyphs: context.glyphs)
        guard !inner.isEmpty else { return }
        let wrapped = lines.flatMap { line in hangingWrap(line.0, width: inner.width).map { ($0, line.1) } }
        let top = min(state.detailScroll, max(0, wrapped.count - inner.height))
        for (i, line) in wrapped.dropFirst(top).prefix(inner.height).enumerated() {
            buffer.put(line.0, x: inner.x, y: inner.y + i, role: line.1, limit: inner.maxX)
        }
    }

    /// Wraps a line; continuation lines start under the text, past the line's own indentation.
    static func hangingWrap(_ text: String, width: Int) -> [String] {
        let indent = min(text.prefix { $0 == " " }.count + 2, width / 2)
        let first = TextLayout.wrapped(text, to: width)
        guard first.count > 1 else { return first }
        let rest = String(text.dropFirst(first[0].count)).drop { $0 == " " }
        let pad = String(repeating: " ", count: indent)
        return [first[0]] + TextLayout.wrapped(String(rest), to: max(1, width - indent)).map { pad + $0 }
    }

    static func content(_ state: AppState, context: RenderContext) -> (String, [(String, Role)]) {
        switch state.focus {
        case .namespaces:
            guard let row = state.selectedNamespaceRow else { return ("Detail", [("no namespace selected", .dim)]) }
            return ("Namespace", namespaceLines(row, state))
        case .sockets:
            guard let socket = state.selectedSocket else { return ("Detail", [("no socket selected", .dim)]) }
            return ("Socket", socketLines(socket, context) + outcomeLines(for: socket.id, state))
        default:
            guard let packet = state.selectedPacket else {
                return ("Detail", [("select a packet in pane 3 to see it explained field by field", .dim)])
            }
            return ("Packet #\(packet.seq)", packetLines(packet, state, context))
        }
    }

    static func namespaceLines(_ row: NamespaceRow, _ state: AppState) -> [(String, Role)] {
        var lines: [(String, Role)] = []
        switch row.kind {
        case .parent:
            lines.append(("parent \(row.name): creates a child namespace on the first CONNECT whose name matches", .base))
        case .child:
            lines.append(("\(row.name): a child created by a parent pattern", .base))
        case .plain:
            lines.append(("namespace \(row.name)", .base))
        }
        lines.append(("sockets: \(row.socketCount)", .base))
        if row.middleware.isEmpty { lines.append(("no middleware of its own", .dim)) }
        for mw in row.middleware {
            lines.append(("middleware \(mw.name): " + MiddlewarePane.forcedText(mw.forced), mw.forced == nil ? .allow : .toggleOn))
        }
        lines.append(("Enter narrows sockets and packets to it; c spawns a client; r forces a reject", .dim))
        return lines
    }

    static func socketLines(_ s: SocketInfo, _ context: RenderContext) -> [(String, Role)] {
        var lines: [(String, Role)] = [
            ("\(s.side == .server ? "server socket" : "simulated client") \(s.id) on \(s.namespace)", .base),
            ("state: \(s.state.rawValue)\(s.note.isEmpty ? "" : " (\(s.note))")", s.state == .refused ? .traceError : .base),
            ("engine session: \(s.sid.isEmpty ? "-" : s.sid) over \(s.transport.rawValue)", .base),
            ("connected: \(context.clock(s.connectedAt)), \(context.age(since: s.connectedAt)) ago", .base),
            ("rooms: \(s.rooms.isEmpty ? "-" : s.rooms.joined(separator: ", "))", .base),
            ("auth: \(s.auth.isEmpty ? "-" : s.auth)", .base),
        ]
        if !s.remoteAddress.isEmpty { lines.append(("from: \(s.remoteAddress)", .base)) }
        lines.append(("Enter shows its packets; x disconnects it", .dim))
        return lines
    }

    /// What the operator's actions on this socket came to (acks with their replies, refusals with
    /// their data), newest first.
    static func outcomeLines(for id: String, _ state: AppState) -> [(String, Role)] {
        var lines: [(String, Role)] = []
        var i = state.outcomes.count - 1
        while i >= 0, lines.count < 6 {
            let outcome = state.outcomes[i]
            if outcome.concerns(id) { lines.append(("  " + outcome.text, outcome.isError ? .traceError : .base)) }
            i -= 1
        }
        return lines.isEmpty ? [] : [("your actions on it, newest first:", .dim)] + lines
    }

    static func packetLines(_ r: PacketRecord, _ state: AppState, _ context: RenderContext) -> [(String, Role)] {
        var lines: [(String, Role)] = []
        let direction = r.direction.map { $0 == .inbound ? "received" : "sent" } ?? ""
        lines.append(("\(context.clock(r.time)) \(r.side.rawValue) \(direction) \(r.transport?.rawValue ?? "") session \(r.sid)", .dim))
        if let link = state.linkedSeq(of: r) {
            lines.append((r.kind.isAck ? "answers the emit #\(link)" : "answered by the ACK #\(link)", .allow))
        } else if r.ackID != nil, r.layer == .socket, !r.kind.isAck {
            lines.append(("asks for an ack; no answer seen yet", .dim))
        }
        if case .socketPacket(_, _, _, let packet) = r.event, let payload = packet.payload {
            for (i, bytes) in binaries(in: payload).enumerated() {
                lines.append(("attachment \(i) (\(bytes.count) B): " + hex(bytes.prefix(48)) + (bytes.count > 48 ? " " + context.glyphs.ellipsis : ""),
                              .explainRaw))
            }
        }
        guard let inputs = wire(of: r.event) else {
            lines.append((r.summary, .base))
            return lines
        }
        let text = ExplanationText.render(PacketExplainer().explain(inputs))
        // The words the tour's step talks about, in the packets it marked.
        let marks = state.tour.flatMap { $0.marked.contains(r.seq) ? $0.currentStep.marks : nil } ?? []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let marked = marks.contains { line.contains($0) }
            lines.append((String(line), marked ? .lessonMark : line.contains(" — ") ? .explainMeaning : .base))
        }
        return lines
    }

    /// The packet as it travelled: the Engine.IO frame text, then each attachment as `b<base64>`.
    static func wire(of event: TraceEvent) -> [String]? {
        switch event {
        case .enginePacket(_, _, _, _, let packet):
            return [TraceEvent.raw(packet)]
        case .socketPacket(_, _, _, let packet):
            guard let encoded = try? SocketPacketEncoder.encode(packet) else { return nil }
            return ["4" + encoded.text] + encoded.attachments.map { "b" + Base64.encodeToString($0) }
        default:
            return nil
        }
    }

    static func binaries(in value: JSONValue) -> [[UInt8]] {
        switch value {
        case .binary(let bytes): return [bytes]
        case .array(let items): return items.flatMap(binaries)
        case .object(let object): return object.entries.flatMap { binaries(in: $0.value) }
        default: return []
        }
    }

    static func hex(_ bytes: some Collection<UInt8>) -> String {
        bytes.map { hexByte($0) }.joined(separator: " ")
    }
}
