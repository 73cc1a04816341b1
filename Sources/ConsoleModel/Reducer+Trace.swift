import SocketIOTrace

extension Reducer {
    /// Trace events into the packets and decisions buffers, acks linked to their emits; the
    /// events that change what the cores look like into the snapshot (paused or not).
    static func ingest(_ state: inout AppState, _ events: [TraceEvent], time: Double) {
        var reshaped = false
        defer { if reshaped { clampSelections(&state) } }
        for event in events {
            switch event {
            case .middleware(let decision):
                state.decisions.append(DecisionRecord(time: time, decision: decision))
                continue
            case .enginePacket, .socketPacket:
                break
            default:
                if state.snapshot.apply(event, time: time) { reshaped = true }
            }
            guard !state.paused else {
                state.pausedSkipped += 1
                continue
            }
            guard let record = PacketRecord(event, seq: state.nextSeq, time: time) else { continue }
            state.nextSeq += 1
            state.rateWindowCount += 1
            link(&state, record)
            if state.tour != nil { see(&state, record) }
            state.packets.append(record, bytes: record.size + 160)
        }
        if state.follow {
            state.selectedPacketSeq = lastVisibleSeq(state)
        } else if let seq = state.selectedPacketSeq, state.packet(seq: seq) == nil {
            // The selected packet fell out of the ring: hold on to the oldest still kept.
            state.selectedPacketSeq = state.packets.isEmpty ? nil : state.packets[0].seq
        }
    }

    /// The newest packet that passes the filter, looking back only a little (cheap under a flood).
    static func lastVisibleSeq(_ state: AppState) -> Int? {
        let narrowed = !state.filter.isEmpty || state.narrowNamespace != nil || state.narrowSID != nil
        guard narrowed else { return state.packets.last?.seq ?? state.selectedPacketSeq }
        var i = state.packets.count - 1
        while i >= 0 {
            let r = state.packets[i]
            if (state.narrowNamespace == nil || r.namespace == state.narrowNamespace)
                && (state.narrowSID == nil || r.sid == state.narrowSID) && state.filter.matches(r) {
                return r.seq
            }
            i -= 1
        }
        return nil
    }

    /// An EVENT with an id waits for the ACK with the same id coming the other way on the same
    /// session and namespace; when it comes, each record points at the other.
    static func link(_ state: inout AppState, _ record: PacketRecord) {
        guard record.layer == .socket, let id = record.ackID, let namespace = record.namespace,
              let direction = record.direction else { return }
        if record.kind.isEvent {
            let key = PacketRecord.AckKey(sid: record.sid, namespace: namespace, id: id, emitDirection: direction, side: record.side)
            state.ackEmits[key] = record.seq
            if state.ackEmits.count > 4_096 { state.ackEmits.removeAll() }
        } else if record.kind.isAck {
            let emitDirection: TraceDirection = direction == .inbound ? .outbound : .inbound
            let key = PacketRecord.AckKey(sid: record.sid, namespace: namespace, id: id, emitDirection: emitDirection, side: record.side)
            guard let emitSeq = state.ackEmits.removeValue(forKey: key) else { return }
            state.ackLinks[emitSeq] = record.seq
            state.ackLinks[record.seq] = emitSeq
            // Links of packets long gone from the ring are dropped, so the table stays bounded.
            if state.ackLinks.count > 2 * state.packets.capacity, let oldest = state.packets.isEmpty ? nil : state.packets[0].seq {
                state.ackLinks = state.ackLinks.filter { $0.key >= oldest }
            }
        }
    }
}
