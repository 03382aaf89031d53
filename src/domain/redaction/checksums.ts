/**
 * Check digits that tell personal data from numbers that only look like it (order ids,
 * timestamps): a candidate is redacted only when its checksum holds.
 */

/** Luhn (ISO/IEC 7812): payment cards. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** The remainder of a long decimal string divided by 97, digit by digit (no BigInt needed). */
function mod97(digits: string): number {
  let rem = 0;
  for (const d of digits) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  return rem;
}

/** ISO 13616 IBAN: letters become 10..35, the first four characters move to the end, mod 97 = 1. */
export function ibanValid(candidate: string): boolean {
  const s = candidate.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  return mod97(moved.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55))) === 1;
}

/**
 * US Social Security number: no check digit, but the SSA never assigns area 000, 666 or
 * 900-999, group 00 or serial 0000 (ssa.gov/employer/randomizationfaqs.html).
 */
export function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000';
}

/**
 * UK National Insurance number prefix: D, F, I, Q, U, V are never used as either letter, O
 * never as the second, and BG, GB, KN, NK, NT, TN, ZZ are not allocated (HMRC NIM39110).
 */
export function ninoPrefixValid(prefix: string): boolean {
  const p = prefix.toUpperCase();
  if (/[DFIQUV]/.test(p) || p[1] === 'O') return false;
  return !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(p);
}

/** Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): letter = table[n mod 23]. */
export function dniValid(candidate: string): boolean {
  const s = candidate.toUpperCase().replace(/[\s-]/g, '');
  const m = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(s);
  if (!m) return false;
  if (m[1] ? m[2]!.length !== 7 : m[2]!.length !== 8) return false;
  const n = Number(`${m[1] ? 'XYZ'.indexOf(m[1]) : ''}${m[2]}`);
  return 'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23] === m[3];
}

/**
 * French NIR (numéro de sécurité sociale): 13 characters and a 2-digit key = 97 - (n mod 97);
 * Corsican departments 2A / 2B count as 19 / 18 for the key.
 */
export function nirValid(candidate: string): boolean {
  const s = candidate.toUpperCase().replace(/\s+/g, '');
  if (!/^[12]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/.test(s)) return false;
  const body = s.slice(0, 13).replace('2A', '19').replace('2B', '18');
  return 97 - mod97(body) === Number(s.slice(13));
}
