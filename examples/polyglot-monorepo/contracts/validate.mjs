#!/usr/bin/env node
// Validates event files against the contracts: `node validate.mjs FILE|DIR...`.
// A file holds one JSON event, a JSON array of events, or NDJSON (one event per line), so a
// backend test can dump what it emitted and have it checked here. Exit 1 if any is invalid,
// 2 on a usage error or a file that cannot be read.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createValidator, formatErrors } from './lib/schemas.mjs';

function files(target) {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target)
    .filter((f) => f.endsWith('.json') || f.endsWith('.ndjson') || f.endsWith('.jsonl'))
    .sort()
    .map((f) => path.join(target, f));
}

function events(file) {
  const text = readFileSync(file, 'utf8');
  try {
    const value = JSON.parse(text);
    return Array.isArray(value) ? value : [value];
  } catch {
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, index) => {
        try {
          return JSON.parse(line);
        } catch {
          throw new Error(`${file}:${index + 1}: not JSON`);
        }
      });
  }
}

const targets = process.argv.slice(2);
if (targets.length === 0) {
  console.error('usage: node validate.mjs FILE|DIR...');
  process.exit(2);
}
const validator = createValidator();
let invalid = 0;
let total = 0;
try {
  for (const file of targets.flatMap(files)) {
    for (const [index, event] of events(file).entries()) {
      total += 1;
      const result = validator.validate(event);
      if (!result.valid) {
        invalid += 1;
        console.error(`✗ ${file}#${index} (${result.schema ?? 'unknown'})`);
        for (const line of formatErrors(result.errors)) console.error(`    ${line}`);
      }
    }
  }
} catch (error) {
  console.error(`validate: ${error.message}`);
  process.exit(2);
}
console.log(`${total - invalid}/${total} events valid`);
process.exit(invalid > 0 ? 1 : 0);
