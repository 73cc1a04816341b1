// socket.io's own parser (Debian's node-socket.io-parser) as a peer for the codec tests.
// Reads JSON lines on stdin, answers one JSON line each:
//   {"op":"encode","packet":{type,nsp,id?,data?}}  ->  {"parts":[text, {"_binary":b64}...]}
//   {"op":"decode","parts":[text, {"_binary":b64}...]}  ->  {"packet":{...}} or {"error":message}
// Binary values travel as {"_binary":"<base64>"} both ways.
const { Encoder, Decoder } = require("socket.io-parser");
const readline = require("readline");

const toBuffers = (v) => {
  if (Array.isArray(v)) return v.map(toBuffers);
  if (v && typeof v === "object") {
    if (Object.keys(v).length === 1 && typeof v._binary === "string") return Buffer.from(v._binary, "base64");
    const out = {};
    for (const k of Object.keys(v)) out[k] = toBuffers(v[k]);
    return out;
  }
  return v;
};
const fromBuffers = (v) => {
  if (Buffer.isBuffer(v) || v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return { _binary: Buffer.from(v).toString("base64") };
  if (Array.isArray(v)) return v.map(fromBuffers);
  if (v && typeof v === "object") {
    const out = {};
    for (const k of Object.keys(v)) out[k] = fromBuffers(v[k]);
    return out;
  }
  return v;
};

const encoder = new Encoder();
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const request = JSON.parse(line);
  let answer;
  try {
    if (request.op === "encode") {
      const packet = toBuffers(request.packet);
      answer = { parts: encoder.encode(packet).map((p) => (typeof p === "string" ? p : { _binary: Buffer.from(p).toString("base64") })) };
    } else {
      const decoder = new Decoder();
      let decoded = null;
      decoder.on("decoded", (p) => { decoded = p; });
      for (const part of request.parts) decoder.add(typeof part === "string" ? part : Buffer.from(part._binary, "base64"));
      answer = decoded ? { packet: fromBuffers(decoded) } : { error: "incomplete" };
    }
  } catch (e) {
    answer = { error: String(e.message || e) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
