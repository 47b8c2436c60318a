#!/usr/bin/env node
// bench/compromise-quotes.js — the peer side of bench/quotes.
//
// Reads JSONL ({"id", "text"} per line) from the path given, runs compromise's
// nlp(text).quotations() on every text, and prints one JSON line:
//   {"articles": N, "bytes": B, "quotes": Q, "seconds": S}
// bytes = UTF-8 bytes of the texts, seconds = time spent inside compromise (the caller
// measures wall clock itself). compromise is installed in bench/node_modules by bench/quotes.
'use strict';
const fs = require('fs');
const path = require('path');

let nlp;
try {
    nlp = require(path.join(__dirname, 'node_modules', 'compromise'));
} catch (e) {
    console.error('compromise-quotes: compromise is not installed in bench/node_modules ' +
                  '(run bench/quotes, or: npm install --prefix bench compromise)');
    process.exit(2);
}
if (nlp.default) nlp = nlp.default;

const file = process.argv[2];
if (!file) {
    console.error('usage: node bench/compromise-quotes.js FILE.jsonl');
    process.exit(2);
}

const lines = fs.readFileSync(file, 'utf8').split('\n');
let articles = 0, bytes = 0, quotes = 0, ns = 0n;
for (const line of lines) {
    if (!line.trim()) continue;
    const text = JSON.parse(line).text || '';
    const t0 = process.hrtime.bigint();
    const found = nlp(text).quotations().out('array');
    ns += process.hrtime.bigint() - t0;
    articles += 1;
    bytes += Buffer.byteLength(text, 'utf8');
    quotes += found.length;
}
console.log(JSON.stringify({articles, bytes, quotes, seconds: Number(ns) / 1e9}));
