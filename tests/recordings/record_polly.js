// Records every path of paths.txt with Polly.JS (node-http adapter, fs persister) into
// OUT/polly/<recording>/recording.har. Args: NODE_MODULES PORT OUT
const path = require('path');
const fs = require('fs');
const [modules, port, out] = process.argv.slice(2);
const { Polly } = require(path.join(modules, '@pollyjs/core'));
const NodeHttpAdapter = require(path.join(modules, '@pollyjs/adapter-node-http'));
const FSPersister = require(path.join(modules, '@pollyjs/persister-fs'));
const http = require('http');
const paths = fs.readFileSync(path.join(__dirname, 'paths.txt'), 'utf8').split(/\s+/).filter(Boolean);

Polly.register(NodeHttpAdapter);
Polly.register(FSPersister);

function get(p) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: Number(port), path: p }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
}

(async () => {
  const polly = new Polly('faults', {
    adapters: ['node-http'],
    persister: 'fs',
    persisterOptions: { fs: { recordingsDir: path.join(out, 'polly') } },
    mode: 'record',
    recordFailedRequests: true,
  });
  for (const p of paths) await get(p);
  await polly.stop();
})().catch((e) => { console.error(e); process.exit(1); });
