// bench/minhash-npm.js - the npm `minhash` package's signatures (and LSH pairs) on the texts of a
// JSONL file, for bench/link. Words are counted as quotetrail's fingerprint counts them: runs of
// letters and digits (Unicode), an apostrophe between two kept inside, lowercased, the curly
// apostrophe taken as the straight one; shingles are 5 words joined by a space; numPerm = 96,
// quotetrail's signature length. LshIndex with --band-size rows per band (default 2: 48 bands,
// quotetrail's banding). Only building signatures (and, with --pairs, indexing, querying and
// verifying by m.jaccard() >= --min) is timed, not reading.
//
// usage: node bench/minhash-npm.js INPUT.jsonl [--min 0.8] [--band-size 2] [--pairs FILE]
'use strict';
const fs = require('fs');
const { Minhash, LshIndex } = require('minhash');

const args = process.argv.slice(2);
let input = null, pairsPath = null, min = 0.8, bandSize = 2;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--min') min = parseFloat(args[++i]);
  else if (args[i] === '--pairs') pairsPath = args[++i];
  else if (args[i] === '--band-size') bandSize = parseInt(args[++i], 10);
  else input = args[i];
}
if (!input) { console.error('usage: minhash-npm.js INPUT.jsonl [--min 0.8] [--band-size 2] [--pairs FILE]'); process.exit(2); }

const texts = fs.readFileSync(input, 'utf8').split('\n').filter(l => l.trim()).map(l => JSON.parse(l).text || '');
let bytes = 0;
const sigs = [];
const WORD = /[\p{L}\p{M}\p{N}]+(?:'[\p{L}\p{M}\p{N}]+)*/gu;
const t0 = process.cpuUsage();
for (const text of texts) {
  bytes += Buffer.byteLength(text, 'utf8');
  const words = text.toLowerCase().replace(/\u2019/g, "'").match(WORD) || [];
  const m = new Minhash({ numPerm: 96 });
  for (let i = 0; i + 5 <= words.length; i++) m.update(words.slice(i, i + 5).join(' '));
  sigs.push(m);
}
const t1 = process.cpuUsage(t0);
let pairRows = 0, pairsCpu = 0, candidates = 0;
if (pairsPath) {
  const p0 = process.cpuUsage();
  const index = new LshIndex({ bandSize });
  sigs.forEach((m, i) => index.insert(i, m));
  const out = [];
  candidates = 0;
  sigs.forEach((m, i) => {
    for (const j of index.query(m)) {
      if (j > i) {
        candidates++;
        const s = m.jaccard(sigs[j]);
        if (s >= min) { out.push(i + '\t' + j + '\t' + s.toFixed(4)); pairRows++; }
      }
    }
  });
  const u = process.cpuUsage(p0);
  pairsCpu = (u.user + u.system) / 1e6;
  fs.writeFileSync(pairsPath, out.join('\n') + (out.length ? '\n' : ''));
}
console.log(JSON.stringify({ articles: texts.length, bytes, cpu_seconds: (t1.user + t1.system) / 1e6,
                             band_size: bandSize, bands: Math.ceil(96 / bandSize), candidates,
                             pair_rows: pairRows, pairs_cpu_seconds: pairsCpu }));
