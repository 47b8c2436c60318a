#!/usr/bin/env node
// bench/readability-extract.js — the peer side of bench/extraction: Mozilla Readability.js.
//
//   node bench/readability-extract.js DIR|FILE... [--out FILE.jsonl]
//
// For every .html (or .html.gz) page given (a directory is walked, in sorted order), it reads
// the file, parses it with JSDOM (no scripts, no subresources), runs new Readability(doc).parse()
// and takes the article's textContent, then closes the window. Only that work is timed, JSDOM
// parsing included (a user of Readability.js in node pays for it); node's start-up and loading
// the modules are not. gunzip time is included for .html.gz input, so bench/extraction feeds
// uncompressed pages. At the end it prints one JSON line to stdout:
//   {"pages", "bytes", "seconds", "seconds_jsdom", "seconds_readability", "seconds_load",
//    "failed", "empty", "versions"}
// bytes = the pages' HTML bytes as read (uncompressed). With --out it also writes one record per
// page, {"source", "title", "byline", "site", "published", "text"}, after the timing, so that
// eval/extraction --pred can score Readability.js itself. A page Readability gives up on
// (parse() returns null) gets "text": "". The modules come from bench/node_modules
// (bench/package.json pins them; bench/extraction runs npm on first use).
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const url = require('url');

function usage(code) {
    (code ? console.error : console.log)(
        'usage: node bench/readability-extract.js DIR|FILE... [--out FILE.jsonl]');
    process.exit(code);
}

const inputs = [];
let out = null;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') {
        if (i + 1 >= argv.length) usage(2);
        out = argv[++i];
    } else if (argv[i] === '-h' || argv[i] === '--help') {
        usage(0);
    } else {
        inputs.push(argv[i]);
    }
}
if (inputs.length === 0) usage(2);

const tLoad = process.hrtime.bigint();
let JSDOM, VirtualConsole, Readability;
try {
    ({ JSDOM, VirtualConsole } = require(path.join(__dirname, 'node_modules', 'jsdom')));
    ({ Readability } = require(path.join(__dirname, 'node_modules', '@mozilla', 'readability')));
} catch (e) {
    console.error('readability-extract: jsdom or @mozilla/readability is not installed in ' +
                  'bench/node_modules (run bench/extraction, or: npm install --prefix bench)');
    process.exit(2);
}
const secondsLoad = Number(process.hrtime.bigint() - tLoad) / 1e9;

function version(name) {
    try {
        return require(path.join(__dirname, 'node_modules', name, 'package.json')).version;
    } catch (e) {
        return null;
    }
}

const isPage = (name) => /\.html?(\.gz)?$/i.test(name);
const files = [];
for (const p of inputs) {
    let st;
    try {
        st = fs.statSync(p);
    } catch (e) {
        console.error(`readability-extract: cannot open '${p}': ${e.code || e.message}`);
        process.exit(2);
    }
    if (st.isDirectory())
        for (const name of fs.readdirSync(p).filter(isPage).sort()) files.push(path.join(p, name));
    else
        files.push(p);
}

// jsdom reports CSS it cannot parse and similar through the virtual console: count, never print.
let jsdomErrors = 0;
const records = [];
let bytes = 0, failed = 0, empty = 0;
let nsJsdom = 0n, nsReadability = 0n;
for (const file of files) {
    const t0 = process.hrtime.bigint();
    let buf = fs.readFileSync(file);
    if (file.endsWith('.gz')) buf = zlib.gunzipSync(buf);
    bytes += buf.length;
    let text = '', art = null, t1 = t0;
    try {
        const vc = new VirtualConsole();
        vc.on('jsdomError', () => { jsdomErrors++; });
        const dom = new JSDOM(buf.toString('utf8'),
                              { url: url.pathToFileURL(path.resolve(file)).href,
                                virtualConsole: vc });
        t1 = process.hrtime.bigint();
        art = new Readability(dom.window.document).parse();
        text = art && art.textContent ? art.textContent : '';
        dom.window.close();
    } catch (e) {
        failed++;
        console.error(`readability-extract: '${file}': ${e.message}`);
    }
    const t2 = process.hrtime.bigint();
    nsJsdom += t1 - t0;
    nsReadability += t2 - t1;
    if (!text.trim()) empty++;
    if (out)
        records.push({ source: file, title: art ? art.title || null : null,
                       byline: art ? art.byline || null : null,
                       site: art ? art.siteName || null : null,
                       published: art ? art.publishedTime || null : null, text });
}

if (out) {
    const tmp = out + '.tmp';
    fs.writeFileSync(tmp, records.map((r) => JSON.stringify(r) + '\n').join(''));
    fs.renameSync(tmp, out);
}
console.log(JSON.stringify({
    pages: files.length, bytes,
    seconds: Number(nsJsdom + nsReadability) / 1e9,
    seconds_jsdom: Number(nsJsdom) / 1e9,
    seconds_readability: Number(nsReadability) / 1e9,
    seconds_load: secondsLoad,
    failed, empty, jsdom_errors: jsdomErrors,
    versions: { jsdom: version('jsdom'), readability: version('@mozilla/readability'),
                node: process.versions.node },
}));
