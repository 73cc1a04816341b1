@testable import EngineIOServer
import Testing

@Suite("query strings of Engine.IO requests")
struct QueryStringTests {
    @Test("path and parameters; the first of a repeated name wins; a name without a value is empty")
    func split() {
        let (path, query) = QueryString.split("/socket.io/?EIO=4&transport=polling&sid=a1-B_&EIO=3&flag&&t=Pq1")
        #expect(path == "/socket.io/")
        #expect(query == ["EIO": "4", "transport": "polling", "sid": "a1-B_", "flag": "", "t": "Pq1"])
        #expect(QueryString.split("/socket.io/") == ("/socket.io/", [:]) as (String, [String: String]))
    }

    @Test("percent escapes and + are decoded, in names and values; malformed escapes stay as sent")
    func decoding() {
        let query = QueryString.split("/x?na%6De=a+b%20c%2B&token=%E2%9C%93&bad=%zz%4&plain=abc").1
        #expect(query["name"] == "a b c+")
        #expect(query["token"] == "✓")
        #expect(query["bad"] == "%zz%4")
        #expect(query["plain"] == "abc")
        #expect(QueryString.decode("a+b") == "a b")
        #expect(QueryString.decode("") == "")
    }

    @Test("a request built from a split URI equals one that splits it itself")
    func requestFromSplit() {
        let uri = "/socket.io/?EIO=4&transport=websocket&room=a%20b"
        let headers = [("Host", "h"), ("X-A", "1"), ("x-a", "2")]
        let direct = EngineRequest(method: "GET", uri: uri, headers: headers, remoteAddress: nil, time: 1)
        let given = EngineRequest(method: "GET", uri: uri, split: QueryString.split(uri), headers: headers, remoteAddress: nil,
                                  secure: false, time: 1)
        #expect(direct.path == given.path && direct.query == given.query && direct.headers == given.headers)
        #expect(direct.query["room"] == "a b" && direct.headers["x-a"] == "1, 2")
    }
}
