// Validates XML files against an XML schema with libxml2 (xmllint-wasm).
//
//   node validate-xml.mjs SCHEMA.xsd [--preload DEP.xsd]... FILE.xml...
//
// Preloaded schemas are found by their file name, as `xsd:import` names them.
// Prints every error and exits 1 if any file is invalid.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { validateXML } from 'xmllint-wasm';

const args = process.argv.slice(2);
const schema = args.shift();
const preload = [];
const files = [];
while (args.length > 0) {
  const arg = args.shift();
  if (arg === '--preload') {
    const path = args.shift();
    preload.push({ fileName: basename(path), contents: await readFile(path, 'utf8') });
  } else {
    files.push(arg);
  }
}
if (!schema || files.length === 0) {
  console.error('usage: node validate-xml.mjs SCHEMA.xsd [--preload DEP.xsd]... FILE.xml...');
  process.exit(2);
}

const result = await validateXML({
  xml: await Promise.all(files.map(async (f) => ({ fileName: basename(f), contents: await readFile(f, 'utf8') }))),
  schema: [await readFile(schema, 'utf8')],
  preload,
  maxMemoryPages: 16384,
});
if (!result.valid) {
  for (const e of result.errors) console.error(e.rawMessage);
  process.exit(1);
}
console.log(`valid: ${files.map((f) => basename(f)).join(', ')}`);
