// The formats of the npm package's validators, as the contract checks them (the Rust
// `jsonschema` crate that evschema uses): ajv-formats accepts a space for the `T` of a
// `date-time` and a `urn:uuid:` prefix on a `uuid`, which the contract refuses. `ipv4` and
// `ipv6` are ajv-formats' own.
//
// Copied unchanged into the npm package by `cargo xtask package`; compile.mjs registers these
// same functions with ajv, and the standalone code imports them from here.

import ajvFormats from 'ajv-formats/dist/formats.js';

const DATE_TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))$/;

/** RFC 3339 `date-time`: a real calendar date, a leap second only at 23:59:60 UTC. */
function dateTime(value) {
  const m = DATE_TIME.exec(value);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day === 0) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (day > days || hour > 23 || minute > 59 || second > 60) return false;
  if (m[7] !== undefined) return second !== 60 || (hour === 23 && minute === 59);
  const offsetHours = Number(m[9]);
  const offsetMinutes = Number(m[10]);
  if (offsetHours > 23 || offsetMinutes > 59) return false;
  if (second !== 60) return true;
  const sign = m[8] === '+' ? -1 : 1;
  const total = (((hour * 60 + minute + sign * (offsetHours * 60 + offsetMinutes)) % 1440) + 1440) % 1440;
  return total === 23 * 60 + 59;
}

/** `uuid`: the hyphenated form only, 8-4-4-4-12 hexadecimal digits. */
const uuid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export default {
  'date-time': { type: 'string', validate: dateTime },
  uuid: { type: 'string', validate: uuid },
  ipv4: ajvFormats.fullFormats.ipv4,
  ipv6: ajvFormats.fullFormats.ipv6,
};
