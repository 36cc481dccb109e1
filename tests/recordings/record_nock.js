// Records every path of paths.txt with nock's recorder (output_objects) into OUT/NAME.json.
// Args: NODE_MODULES PORT OUT NAME
const path = require('path');
const fs = require('fs');
const [modules, port, out, name] = process.argv.slice(2);
const nockModule = require(path.join(modules, 'nock'));
const nock = nockModule.recorder ? nockModule : nockModule.default;
const http = require('http');
const paths = fs.readFileSync(path.join(__dirname, 'paths.txt'), 'utf8').split(/\s+/).filter(Boolean);

function get(p) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: Number(port), path: p }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
}

(async () => {
  nock.recorder.rec({ output_objects: true, dont_print: true });
  for (const p of paths) await get(p);
  const recorded = nock.recorder.play();
  fs.writeFileSync(path.join(out, name + '.json'), JSON.stringify(recorded, null, 2) + '\n');
  nock.restore();
})().catch((e) => { console.error(e); process.exit(1); });
