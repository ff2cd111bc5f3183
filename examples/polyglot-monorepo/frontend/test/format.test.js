import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPrice } from '../src/format.js';

test('formats cents as dollars', () => {
  assert.equal(formatPrice(1999), '$19.99');
});

test('formats other currencies', () => {
  assert.equal(formatPrice(500, 'EUR'), '€5.00');
});
