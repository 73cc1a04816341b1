/// The shape rules of the specification, shared by the encoder (refuse to send) and the decoder
/// (refuse to accept).
enum PacketRules {
    /// The first rule `payload` breaks for a packet of `type`, or nil.
    static func violation(type: SocketPacketType, payload: JSONValue?, rejectReserved: Bool) -> SocketDecodeError.Kind? {
        switch type {
        case .connect:
            guard let payload else { return nil }
            if case .object = payload { return nil }
            return .connectPayloadNotObject(found: payload.typeName)
        case .disconnect:
            return payload == nil ? nil : .unexpectedPayload(type)
        case .connectError:
            guard let payload else { return .missingPayload(type) }
            if case .object = payload { return nil }
            return .connectErrorPayloadNotObject(found: payload.typeName)
        case .event, .binaryEvent:
            guard let payload else { return .missingPayload(type) }
            guard case .array(let items) = payload else { return .eventPayloadNotArray(found: payload.typeName) }
            guard let first = items.first else { return .emptyEventPayload }
            guard case .string(let name) = first else { return .eventNameNotString(found: first.typeName) }
            if rejectReserved && ReservedEvents.contains(name) { return .reservedEventName(name) }
            return nil
        case .ack, .binaryAck:
            guard let payload else { return .missingPayload(type) }
            if case .array = payload { return nil }
            return .ackPayloadNotArray(found: payload.typeName)
        }
    }
}
