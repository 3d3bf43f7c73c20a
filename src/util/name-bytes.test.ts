import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeName, encodeName, isUtf8Name } from './name-bytes.js';

const bytes = (...values: number[]): Buffer => Buffer.from(values);

test('decodeName: names that differ in bytes that are not UTF-8 stay different', () => {
  const names = [
    bytes(0x74, 0xff),
    bytes(0x74, 0xfe),
    bytes(0x74, 0xef, 0xbf, 0xbd), // "t" and U+FFFD itself
    bytes(0x74, 0xc0, 0x80), // an overlong NUL
    bytes(0x74, 0xed, 0xa0, 0x80), // an encoded surrogate
    bytes(0x74, 0xe2, 0x82), // a sequence cut short
    bytes(0x74, 0xe2, 0x82, 0xac), // "t€"
  ];
  const decoded = names.map(decodeName);
  assert.equal(new Set(decoded).size, names.length, decoded.map((n) => JSON.stringify(n)).join(' '));
});

test('encodeName gives back the bytes decodeName read', () => {
  const cases = [
    bytes(0x74, 0xff),
    bytes(0xef, 0xbb, 0xbf, 0x61), // a BOM is part of the name
    bytes(0xe2, 0x82, 0x74, 0xf0, 0x9f, 0x98, 0x80, 0x80),
    Buffer.from('usr/src/linux-headers-6.1/ü€.h'),
  ];
  for (const name of cases) assert.deepEqual(encodeName(decodeName(name)), name, name.toString('hex'));
});

test('isUtf8Name: false only for names with bytes that are not UTF-8', () => {
  assert.equal(isUtf8Name(decodeName(bytes(0x74, 0xff))), false);
  assert.equal(isUtf8Name(decodeName(Buffer.from('t😀€'))), true);
  assert.equal(isUtf8Name('\u{10080}'), true, 'a surrogate pair whose low half is in U+DC80…U+DCFF');
});
