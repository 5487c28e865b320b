/*
 * Match-key normalisation shared by the browser (`hashUserData`) and the server (`metaUserData`), so
 * both send the same hash for the same input. Each function returns the documented form, or '' when
 * the input cannot be put in that form without guessing: the caller leaves the field out.
 * Sources: Meta's "Customer Information Parameters" (Conversions API) and Google's enhanced
 * conversions normalisation pages; see docs/server.md for the table.
 */

/**
 * Why a value normalised to '' was left out, in the words both sides record (the browser's
 * `hashUserData` `omitted`, the server's `metaUserData` `omitted`), never with the value.
 */
export const LEFT_OUT: Record<string, string> = {
  email: 'not an e-mail address',
  phone: 'no country code, or not 7 to 15 digits',
  date_of_birth: 'not a date, or day and month ambiguous',
  gender: 'not a word for female or male',
  region: 'not a US state',
  country: 'not a known country',
  // names, street, city
  '': 'only digits or symbols',
};

/** Meta's names (`fn`, `ln`): NFC, lowercase, without punctuation or symbols, spaces collapsed. */
export const metaName = (text: string): string =>
  text.normalize('NFC').toLowerCase().replace(/[\p{P}\p{S}]/gu, '').replace(/\s+/g, ' ').trim();

/** An e-mail address lowercase without spaces, or '' without exactly one `@` with text on each side. */
export function emailAddress(text: string): string {
  const email = text.normalize('NFC').toLowerCase().replace(/\s/g, '');
  return /^[^@]+@[^@]+$/.test(email) ? email : '';
}

/** ASCII letters only, lowercase, accents folded (`España` -> `espana`, `U.S.A.` -> `usa`). */
const letters = (text: string) => text.normalize('NFD').toLowerCase().replace(/[^a-z]/g, '');

// `code name name …|…`: English names and alpha-3 codes of the most common countries. `uk` and `el`
// are ISO's exceptionally reserved codes for GB and GR.
const COUNTRIES =
  'us usa unitedstates unitedstatesofamerica|gb gbr uk unitedkingdom greatbritain england scotland wales northernireland|' +
  'de deu germany|fr fra france|es esp spain|it ita italy|nl nld netherlands|be bel belgium|at aut austria|' +
  'ch che switzerland|ie irl ireland|pt prt portugal|se swe sweden|no nor norway|dk dnk denmark|fi fin finland|' +
  'pl pol poland|cz cze czechia czechrepublic|gr grc el greece|ca can canada|mx mex mexico|br bra brazil|' +
  'ar arg argentina|au aus australia|nz nzl newzealand|jp jpn japan|cn chn china|in ind india|kr kor southkorea|za zaf southafrica';

// US states, DC and Puerto Rico: each name is followed by the position in it of its ANSI code's
// second letter (the code's first letter is the name's): `alabama1` -> `al`, `alaska4` -> `ak`.
const US_STATES =
  'alabama1alaska4arizona3arkansas1california1colorado1connecticut6delaware1districtofcolumbia6florida1georgia6' +
  'hawaii4idaho1illinois1indiana1iowa3kansas3kentucky7louisiana6maine4maryland7massachusetts1michigan1minnesota2' +
  'mississippi2missouri4montana3nebraska1nevada2newhampshire3newjersey3newmexico3newyork3northcarolina5northdakota5' +
  'ohio1oklahoma1oregon1pennsylvania8puertorico3rhodeisland5southcarolina5southdakota5tennessee2texas2utah1' +
  'vermont6virginia7washington1westvirginia4wisconsin1wyoming1';

/** The two-letter code of the US state named `key` or coded `key`. */
function usState(key: string): string | undefined {
  for (const [, name, at] of US_STATES.matchAll(/([a-z]+)(\d)/g)) {
    const code = name![0]! + name![+at!];
    if (key == name || key == code) return code;
  }
  return undefined;
}

// Words for female and male in English, Spanish, German, French and Portuguese; nothing else maps.
const GENDERS = 'f female woman mujer femenino feminino weiblich femme|m male man hombre masculino mannlich homme';

/** The first word of the `|`-separated table whose words include `key`. */
const lookup = (table: string, key: string) => table.split('|').find((entry) => entry.split(' ').includes(key))?.split(' ')[0];

/**
 * ISO 3166-1 alpha-2, lowercase: `United States`, `USA`, `us` -> `us`; `UK` -> `gb`. A name or
 * alpha-3 code not in the table is left out (''); any other two letters are taken as a code.
 */
export function countryCode(text: string): string {
  const key = letters(text);
  return lookup(COUNTRIES, key) ?? (key.length === 2 ? key : '');
}

/**
 * State: in the US (or when the country is unknown) a state's name or code -> its two-letter code
 * (`California` -> `ca`), and with country `us` anything else is left out; elsewhere Meta's rule,
 * lowercase without punctuation or spaces.
 */
export function stateCode(text: string, country: string): string {
  const code = country && country != 'us' ? undefined : usState(letters(text));
  if (code || country == 'us') return code ?? '';
  return text.normalize('NFC').toLowerCase().replace(/[\p{P}\p{S}\s]/gu, '');
}

/** `f` or `m` from a recognised word (`Female`, `mujer`, `M`); anything else is left out. */
export const genderCode = (text: string): string => lookup(GENDERS, letters(text)) ?? '';

/**
 * Date of birth as `YYYYMMDD`, from year-first dates (`1997-02-16`, `19970216`) or day and month
 * before a four-digit year (`02/16/1997`, `16.02.1997`). Day and month must be told apart by a
 * value over 12 (or be equal): `01/02/1997` is left out, as is any impossible date.
 */
export function birthDate(text: string): string {
  const parts = text.trim().match(/^(\d{4})([-/. ]?)(\d\d?)\2(\d\d?)$|^(\d\d?)([-/. ])(\d\d?)\6(\d{4})$/);
  if (!parts) return '';
  let [year, month, day] = parts[1] ? [+parts[1], +parts[3]!, +parts[4]!] : [+parts[8]!, +parts[5]!, +parts[7]!];
  if (!parts[1] && month != day) {
    if (month > 12 == day > 12) return ''; // both could be the month, or neither can
    if (month > 12) [month, day] = [day, month];
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCDate() == day && date.getUTCMonth() == month - 1 && year >= 1900 && date.getTime() <= Date.now()
    ? `${year}${`${month}`.padStart(2, '0')}${`${day}`.padStart(2, '0')}`
    : '';
}

/**
 * Postal code, lowercase without spaces or dashes; a US ZIP+4 (`94035-1234`, or nine digits in the
 * US) keeps its first five digits. A UK postcode stays whole (`M1 1AE` -> `m11ae`).
 */
export function postalCode(text: string, country: string): string {
  const zip = text.trim().toLowerCase();
  return /^\d{5}-\d{4}$/.test(zip) || (country == 'us' && /^\d{9}$/.test(zip)) ? zip.slice(0, 5) : zip.replace(/[\s-]/g, '');
}

/**
 * A phone number's E.164 digits without the `+` (`442071838750`), or '' when its country code is
 * unknown. International forms: `+44 20 7183 8750`, `0044 20 7183 8750`; the national trunk `0`
 * written after the country code is dropped (`+44 (0)20 7183 8750`, `+49-030-1234567`), except where
 * the `0` belongs to the number (Italy +39, San Marino +378, Vatican +379, Côte d'Ivoire +225, Congo
 * +242). A national number (`(650) 555-1212`, `020 7183 8750`) needs `callingCode`; without it, it
 * is left out: hashed as typed it would match nobody.
 */
export function phoneDigits(text: string, callingCode = ''): string {
  const raw = text.trim().replace(/\(0\)/g, '');
  let digits = raw.replace(/\D/g, '');
  if (/^(\+|00)/.test(raw)) {
    const [country, next] = raw.replace(/^(\+|00)\D*/, '').split(/\D+/);
    digits = digits.replace(/^0*/, '');
    if (country!.length <= 3 && next?.[0] == '0' && !/^(39|378|379|225|242)$/.test(country!)) {
      digits = country! + digits.slice(country!.length).replace(/^0+/, '');
    }
  } else digits = callingCode && callingCode.replace(/\D/g, '') + digits.replace(/^0+/, '');
  return digits.length >= 7 && digits.length <= 15 ? digits : '';
}
