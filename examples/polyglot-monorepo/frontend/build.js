import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
const source = readFileSync('src/format.js', 'utf8');
writeFileSync('dist/format.js', source.replace(/\/\*\*[\s\S]*?\*\/\n/g, ''));
console.log(`built dist/format.js (${source.length} bytes of source)`);
