// Validates SARIF logs against the official SARIF 2.1.0 JSON schema with ajv, offline.
// Usage: node validate-sarif.js SCHEMA FILE...   (NODE_PATH must reach ajv and ajv-formats)
'use strict';
const fs = require('fs');

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || files.length === 0) {
  console.error('usage: validate-sarif.js SCHEMA FILE...');
  process.exit(2);
}
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
// The schema names its JSON Schema dialect; pick the matching ajv class.
const dialect = String(schema.$schema || '');
const Ajv = dialect.includes('2020-12') ? require('ajv/dist/2020').default
  : dialect.includes('2019-09') ? require('ajv/dist/2019').default
  : require('ajv').default;
const addFormats = require('ajv-formats').default || require('ajv-formats');
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

let bad = 0;
for (const file of files) {
  let log;
  try {
    log = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`${file}: not JSON: ${e.message}`);
    bad++;
    continue;
  }
  if (validate(log)) {
    const results = (log.runs || []).reduce((n, r) => n + (r.results || []).length, 0);
    console.log(`${file}: valid SARIF 2.1.0 (${results} results)`);
  } else {
    bad++;
    console.error(`${file}: INVALID`);
    for (const e of validate.errors.slice(0, 20))
      console.error(`  ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}
process.exit(bad ? 1 : 0);
