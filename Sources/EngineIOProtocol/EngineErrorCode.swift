import WireJSON

/// The error codes an Engine.IO server answers bad HTTP requests with, in a JSON body
/// `{"code":N,"message":"..."}` and status 400 (403 for `forbidden`).
public enum EngineErrorCode: Int, Sendable, CaseIterable {
    case transportUnknown = 0
    case sessionIDUnknown = 1
    case badHandshakeMethod = 2
    case badRequest = 3
    case forbidden = 4
    case unsupportedProtocolVersion = 5

    /// The message the reference server sends with the code.
    public var message: String {
        switch self {
        case .transportUnknown: return "Transport unknown"
        case .sessionIDUnknown: return "Session ID unknown"
        case .badHandshakeMethod: return "Bad handshake method"
        case .badRequest: return "Bad request"
        case .forbidden: return "Forbidden"
        case .unsupportedProtocolVersion: return "Unsupported protocol version"
        }
    }

    /// The HTTP status the reference server pairs with the code.
    public var httpStatus: Int { self == .forbidden ? 403 : 400 }

    public var jsonBody: String {
        JSONValue.object(JSONObject([("code", .int(Int64(rawValue))), ("message", .string(message))])).jsonText
    }

    /// Reads a code back from an error body; nil when the body is not one.
    public init?(jsonBody: String) {
        guard let value = try? JSONParser.parse(jsonBody), case .int(let code)? = value["code"],
              let known = EngineErrorCode(rawValue: Int(code)) else { return nil }
        self = known
    }
}
