// Runs the npm peers on the same input as `proviso mask` and prints MB/s for each.
// Usage: node peers.cjs INPUT [SECONDS_PER_TOOL]
// Each tool redacts the input line by line, in process (node start-up and file reading excluded),
// for at most SECONDS_PER_TOOL seconds; throughput is characters processed per second.
const fs = require('fs');
const input = fs.readFileSync(process.argv[2], 'utf8');
const budget = Number(process.argv[3] || 20) * 1000;
const warmup = Number(process.env.WARMUP || 12) * 1000;
const runs = 5; // timed passes per tool (as Proviso's pii-file); the median is reported
const lines = input.split('\n');
const mb = (chars) => chars / 1024 / 1024;

async function measure(name, types, redact) {
  // warm-up: WARMUP seconds (default 12, as long as Proviso's on one core) cycling through the lines, so V8
  // has optimized the hot paths before anything is timed
  const warmStart = Date.now();
  for (let i = 0; Date.now() - warmStart < warmup; i = (i + 1) % lines.length) await redact(lines[i]);
  const times = [];
  let done = 0;
  for (let run = 0; run < runs; run++) {
    const start = Date.now();
    let chars = 0;
    for (const line of lines) {
      await redact(line);
      chars += line.length + 1;
      if (Date.now() - start > budget / runs) break;
    }
    const seconds = (Date.now() - start) / 1000;
    times.push(mb(chars) / seconds);
    done = chars;
  }
  times.sort((a, b) => a - b);
  console.log(`${name}\t${times[runs >> 1].toFixed(1)} MB/s\t(median of ${runs}; ${mb(done).toFixed(1)} MB per run; entity types: ${types})`);
}

(async () => {
  const { SyncRedactor } = require('redact-pii');
  const rp = new SyncRedactor();
  await measure('redact-pii', 12, (s) => rp.redact(s));

  const { Redactor } = require('@redactpii/node');
  const rn = new Redactor();
  await measure('@redactpii/node', 5, (s) => rn.redact(s));

  const { OpenRedaction } = require('openredaction');
  const orr = new OpenRedaction();
  await measure('openredaction', 'many (570+ patterns)', async (s) => (await orr.detect(s)).redacted);
})();
