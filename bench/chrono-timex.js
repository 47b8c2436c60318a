#!/usr/bin/env node
// bench/chrono-timex.js -- chrono-node as a temporal-expression peer (eval/timex --peer chrono,
// bench/timex).
//
//   node bench/chrono-timex.js IN.jsonl [--out FILE]   one record {"id", "times": [...]} per line
//   node bench/chrono-timex.js IN.jsonl --rate         {"bytes", "seconds", "docs", "timexes"}
//
// IN.jsonl: one article a line, {"id", "text", "published" (or "dct")}: the reference date,
// a TIMEX3-like date "1998-08-10" or date-time "1998-08-10T12:30". Each text goes through
// chrono.parse(text, ref, {forwardDate: false}) (the casual English parser, chrono's default).
//
// chrono gives no TIMEX3 type or value, so they are made from what the parse *knows*
// (ParsingComponents.isCertain), at that granularity, with the rest of the date filled from
// chrono's own resolution (implied values):
//   hour known                         -> TIME  YYYY-MM-DDTHH:MM
//   day or weekday known               -> DATE  YYYY-MM-DD
//   month known                        -> DATE  YYYY-MM
//   year known                         -> DATE  YYYY
//   nothing known (should not happen)  -> DATE  null
// A range ("Monday to Friday") is one entry, valued by its start. Offsets are UTF-8 byte
// offsets into text (chrono's index counts UTF-16 units). --rate times chrono.parse only
// (process CPU time, user + system), not reading, JSON or offsets, after an untimed warm-up
// over the first 200 KB of texts. Times are computed in UTC
// (TZ=UTC is set before any date is made) so the result does not depend on the machine.

process.env.TZ = "UTC";
const fs = require("fs");
const path = require("path");
const chrono = require(path.join(__dirname, "node_modules", "chrono-node"));

function usage(msg) {
  if (msg) process.stderr.write("chrono-timex: " + msg + "\n");
  process.stderr.write("usage: node bench/chrono-timex.js IN.jsonl [--out FILE] [--rate]\n");
  process.exit(2);
}

const args = process.argv.slice(2);
let input = null, out = null, rate = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--out") out = args[++i];
  else if (args[i] === "--rate") rate = true;
  else if (args[i] === "--help" || args[i] === "-h") usage();
  else if (input === null) input = args[i];
  else usage("unexpected argument " + args[i]);
}
if (!input) usage("no input");

function refDate(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(s || "");
  if (!m) return new Date();
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], m[4] ? +m[4] : 12, m[5] ? +m[5] : 0,
                           m[6] ? +m[6] : 0));
}

const pad = (n, w) => String(n).padStart(w, "0");

function timexOf(c) {
  const y = pad(c.get("year"), 4), mo = pad(c.get("month"), 2), d = pad(c.get("day"), 2);
  if (c.isCertain("hour"))
    return ["TIME", `${y}-${mo}-${d}T${pad(c.get("hour"), 2)}:${pad(c.get("minute") || 0, 2)}`];
  if (c.isCertain("day") || c.isCertain("weekday")) return ["DATE", `${y}-${mo}-${d}`];
  if (c.isCertain("month")) return ["DATE", `${y}-${mo}`];
  if (c.isCertain("year")) return ["DATE", y];
  return ["DATE", null];
}

const docs = fs.readFileSync(input, "utf8").split("\n").filter((l) => l.trim())
  .map((l) => JSON.parse(l));
const refs = docs.map((d) => refDate(d.published || d.dct));
const opt = { forwardDate: false };

if (rate) {
  let bytes = 0, found = 0;
  for (const d of docs) bytes += Buffer.byteLength(d.text || "", "utf8");
  // Warm-up, untimed: the first 200 KB of texts once, so the JIT has compiled chrono's
  // patterns (a long-running node process would have); ~2x faster on 0.5 MB than cold.
  for (let i = 0, w = 0; i < docs.length && w < 200000; i++) {
    chrono.parse(docs[i].text || "", refs[i], opt);
    w += (docs[i].text || "").length;
  }
  const t0 = process.cpuUsage();
  for (let i = 0; i < docs.length; i++) found += chrono.parse(docs[i].text || "", refs[i], opt).length;
  const t = process.cpuUsage(t0);
  process.stdout.write(JSON.stringify({ bytes, seconds: (t.user + t.system) / 1e6,
                                        docs: docs.length, timexes: found }) + "\n");
  process.exit(0);
}

const lines = [];
docs.forEach((d, i) => {
  const text = d.text || "";
  const times = [];
  for (const r of chrono.parse(text, refs[i], opt)) {
    const start = Buffer.byteLength(text.slice(0, r.index), "utf8");
    const end = start + Buffer.byteLength(r.text, "utf8");
    const [type, value] = timexOf(r.start);
    times.push({ start, end, text: r.text, type, value });
  }
  lines.push(JSON.stringify({ id: d.id, published: d.published || d.dct || null, times }));
});
const body = lines.join("\n") + (lines.length ? "\n" : "");
if (out) fs.writeFileSync(out, body); else process.stdout.write(body);
