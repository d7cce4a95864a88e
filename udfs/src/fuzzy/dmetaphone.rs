//! `dmetaphone(text)` and `dmetaphone_alt(text)`: the primary and alternate
//! Double Metaphone codes (Lawrence Philips' algorithm), with the results of
//! PostgreSQL 15's fuzzystrmatch.
//!
//! As in PostgreSQL 15, the input is upper-cased and read byte by byte:
//! only ASCII letters are upper-cased and produce sounds, the bytes of
//! accented letters are skipped (`dmetaphone('Zoé')` is `S`), except that a
//! byte 0xC7 or 0xD1 reads as Latin-1 `Ç` (→ `S`) or `Ñ` (→ `N`), which in
//! UTF-8 are lead bytes of other letters (`ǆ`, Cyrillic `р`…`џ`):
//! `dmetaphone('Рыбаков')` is `N`. Codes are at most four characters.

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};

use super::{Arg, Strs, doc, map1_text, udf};

pub(super) fn functions() -> Vec<ScalarUDF> {
    vec![
        udf(
            "dmetaphone",
            &[&[Arg::Str]],
            DataType::Utf8,
            primary_kernel,
            doc(
                "Primary Double Metaphone code of a string (at most four characters), as PostgreSQL's fuzzystrmatch computes it.",
                "dmetaphone(text)",
                "SELECT dmetaphone('Schmidt'); -- XMT",
                &[("text", "Text to encode.")],
            ),
        ),
        udf(
            "dmetaphone_alt",
            &[&[Arg::Str]],
            DataType::Utf8,
            alternate_kernel,
            doc(
                "Alternate Double Metaphone code of a string (at most four characters), as PostgreSQL's fuzzystrmatch computes it.",
                "dmetaphone_alt(text)",
                "SELECT dmetaphone_alt('Schmidt'); -- SMT",
                &[("text", "Text to encode.")],
            ),
        ),
    ]
}

fn primary_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    kernel(args, n, false)
}

fn alternate_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    kernel(args, n, true)
}

fn kernel(args: &[ColumnarValue], n: usize, alternate: bool) -> Result<ArrayRef> {
    let mut codes = Codes::default();
    map1_text(&Strs::new(&args[0])?, n, |s, buf| {
        codes.compute(s);
        buf.push_str(if alternate {
            codes.secondary()
        } else {
            codes.primary()
        });
        Ok(())
    })
}

/// Both codes of one word, with reused buffers.
#[derive(Default)]
struct Codes {
    word: Vec<u8>,
    primary: String,
    secondary: String,
}

impl Codes {
    fn primary(&self) -> &str {
        &self.primary[..self.primary.len().min(4)]
    }
    fn secondary(&self) -> &str {
        &self.secondary[..self.secondary.len().min(4)]
    }

    fn add(&mut self, p: &str, s: &str) {
        self.primary.push_str(p);
        self.secondary.push_str(s);
    }

    fn get(&self, pos: i32) -> u8 {
        if pos < 0 {
            return 0;
        }
        self.word.get(pos as usize).copied().unwrap_or(0)
    }

    /// Whether one of `options` (each `len` bytes) starts at `start`.
    fn at(&self, start: i32, options: &[&[u8]]) -> bool {
        if start < 0 || start as usize >= self.word.len() {
            return false;
        }
        let rest = &self.word[start as usize..];
        options.iter().any(|o| rest.starts_with(o))
    }

    fn vowel(&self, pos: i32) -> bool {
        matches!(self.get(pos), b'A' | b'E' | b'I' | b'O' | b'U' | b'Y')
    }

    fn slavo_germanic(&self) -> bool {
        self.word.iter().any(|&b| b == b'W' || b == b'K')
            || self.word.windows(2).any(|w| w == b"CZ")
    }

    fn compute(&mut self, s: &str) {
        self.primary.clear();
        self.secondary.clear();
        self.word.clear();
        // PostgreSQL 15 upper-cases byte by byte (`toupper`), ASCII only.
        self.word.extend(s.bytes().map(|b| b.to_ascii_uppercase()));
        self.word.extend_from_slice(b"     ");
        // The length and last position before upper-casing and padding.
        let length = s.len() as i32;
        let last = length - 1;
        let mut cur: i32 = 0;
        if self.at(0, &[b"GN", b"KN", b"PN", b"WR", b"PS"]) {
            cur += 1;
        }
        if self.get(0) == b'X' {
            self.add("S", "S");
            cur += 1;
        }
        while (self.primary.len() < 4 || self.secondary.len() < 4) && cur < length {
            cur = self.step(cur, last);
        }
    }

    /// Encodes the letter at `cur`; returns the next position.
    fn step(&mut self, cur: i32, last: i32) -> i32 {
        let c = self.get(cur);
        match c {
            b'A' | b'E' | b'I' | b'O' | b'U' | b'Y' => {
                if cur == 0 {
                    self.add("A", "A");
                }
                cur + 1
            }
            b'B' => {
                self.add("P", "P");
                if self.get(cur + 1) == b'B' {
                    cur + 2
                } else {
                    cur + 1
                }
            }
            0xC7 => {
                self.add("S", "S");
                cur + 1
            }
            b'C' => self.c(cur),
            b'D' => {
                if self.at(cur, &[b"DG"]) {
                    if self.at(cur + 2, &[b"I", b"E", b"Y"]) {
                        self.add("J", "J");
                        return cur + 3;
                    }
                    self.add("TK", "TK");
                    return cur + 2;
                }
                self.add("T", "T");
                if self.at(cur, &[b"DT", b"DD"]) {
                    cur + 2
                } else {
                    cur + 1
                }
            }
            b'F' => self.double(cur, b'F', "F"),
            b'G' => self.g(cur),
            b'H' => {
                if (cur == 0 || self.vowel(cur - 1)) && self.vowel(cur + 1) {
                    self.add("H", "H");
                    cur + 2
                } else {
                    cur + 1
                }
            }
            b'J' => self.j(cur, last),
            b'K' => self.double(cur, b'K', "K"),
            b'L' => {
                if self.get(cur + 1) == b'L' {
                    let length = last + 1;
                    if (cur == length - 3 && self.at(cur - 1, &[b"ILLO", b"ILLA", b"ALLE"]))
                        || ((self.at(last - 1, &[b"AS", b"OS"]) || self.at(last, &[b"A", b"O"]))
                            && self.at(cur - 1, &[b"ALLE"]))
                    {
                        self.add("L", "");
                        return cur + 2;
                    }
                    self.add("L", "L");
                    return cur + 2;
                }
                self.add("L", "L");
                cur + 1
            }
            b'M' => {
                let skip = (self.at(cur - 1, &[b"UMB"])
                    && (cur + 1 == last || self.at(cur + 2, &[b"ER"])))
                    || self.get(cur + 1) == b'M';
                self.add("M", "M");
                if skip { cur + 2 } else { cur + 1 }
            }
            b'N' => self.double(cur, b'N', "N"),
            0xD1 => {
                self.add("N", "N");
                cur + 1
            }
            b'P' => {
                if self.get(cur + 1) == b'H' {
                    self.add("F", "F");
                    return cur + 2;
                }
                self.add("P", "P");
                if self.at(cur + 1, &[b"P", b"B"]) {
                    cur + 2
                } else {
                    cur + 1
                }
            }
            b'Q' => self.double(cur, b'Q', "K"),
            b'R' => {
                if cur == last
                    && !self.slavo_germanic()
                    && self.at(cur - 2, &[b"IE"])
                    && !self.at(cur - 4, &[b"ME", b"MA"])
                {
                    self.add("", "R");
                } else {
                    self.add("R", "R");
                }
                if self.get(cur + 1) == b'R' {
                    cur + 2
                } else {
                    cur + 1
                }
            }
            b'S' => self.s(cur, last),
            b'T' => self.t(cur),
            b'V' => self.double(cur, b'V', "F"),
            b'W' => self.w(cur, last),
            b'X' => {
                if !(cur == last
                    && (self.at(cur - 3, &[b"IAU", b"EAU"]) || self.at(cur - 2, &[b"AU", b"OU"])))
                {
                    self.add("KS", "KS");
                }
                if self.at(cur + 1, &[b"C", b"X"]) {
                    cur + 2
                } else {
                    cur + 1
                }
            }
            b'Z' => {
                if self.get(cur + 1) == b'H' {
                    self.add("J", "J");
                    return cur + 2;
                }
                if self.at(cur + 1, &[b"ZO", b"ZI", b"ZA"])
                    || (self.slavo_germanic() && cur > 0 && self.get(cur - 1) != b'T')
                {
                    self.add("S", "TS");
                } else {
                    self.add("S", "S");
                }
                if self.get(cur + 1) == b'Z' {
                    cur + 2
                } else {
                    cur + 1
                }
            }
            _ => cur + 1,
        }
    }

    /// A letter that sounds `code` once even when doubled.
    fn double(&mut self, cur: i32, letter: u8, code: &str) -> i32 {
        self.add(code, code);
        if self.get(cur + 1) == letter {
            cur + 2
        } else {
            cur + 1
        }
    }

    fn c(&mut self, cur: i32) -> i32 {
        // Germanic: 'bacher', 'macher'.
        if cur > 1
            && !self.vowel(cur - 2)
            && self.at(cur - 1, &[b"ACH"])
            && self.get(cur + 2) != b'I'
            && (self.get(cur + 2) != b'E' || self.at(cur - 2, &[b"BACHER", b"MACHER"]))
        {
            self.add("K", "K");
            return cur + 2;
        }
        if cur == 0 && self.at(cur, &[b"CAESAR"]) {
            self.add("S", "S");
            return cur + 2;
        }
        if self.at(cur, &[b"CHIA"]) {
            self.add("K", "K");
            return cur + 2;
        }
        if self.at(cur, &[b"CH"]) {
            if cur > 0 && self.at(cur, &[b"CHAE"]) {
                self.add("K", "X");
                return cur + 2;
            }
            // Greek roots: 'chemistry', 'chorus'.
            if cur == 0
                && (self.at(cur + 1, &[b"HARAC", b"HARIS"])
                    || self.at(cur + 1, &[b"HOR", b"HYM", b"HIA", b"HEM"]))
                && !self.at(0, &[b"CHORE"])
            {
                self.add("K", "K");
                return cur + 2;
            }
            if self.at(0, &[b"VAN ", b"VON ", b"SCH"])
                || self.at(cur - 2, &[b"ORCHES", b"ARCHIT", b"ORCHID"])
                || self.at(cur + 2, &[b"T", b"S"])
                || ((self.at(cur - 1, &[b"A", b"O", b"U", b"E"]) || cur == 0)
                    && self.at(
                        cur + 2,
                        &[b"L", b"R", b"N", b"M", b"B", b"H", b"F", b"V", b"W", b" "],
                    ))
            {
                self.add("K", "K");
            } else if cur > 0 {
                if self.at(0, &[b"MC"]) {
                    self.add("K", "K");
                } else {
                    self.add("X", "K");
                }
            } else {
                self.add("X", "X");
            }
            return cur + 2;
        }
        if self.at(cur, &[b"CZ"]) && !self.at(cur - 2, &[b"WICZ"]) {
            self.add("S", "X");
            return cur + 2;
        }
        if self.at(cur + 1, &[b"CIA"]) {
            self.add("X", "X");
            return cur + 3;
        }
        if self.at(cur, &[b"CC"]) && !(cur == 1 && self.get(0) == b'M') {
            if self.at(cur + 2, &[b"I", b"E", b"H"]) && !self.at(cur + 2, &[b"HU"]) {
                if (cur == 1 && self.get(cur - 1) == b'A')
                    || self.at(cur - 1, &[b"UCCEE", b"UCCES"])
                {
                    self.add("KS", "KS");
                } else {
                    self.add("X", "X");
                }
                return cur + 3;
            }
            self.add("K", "K");
            return cur + 2;
        }
        if self.at(cur, &[b"CK", b"CG", b"CQ"]) {
            self.add("K", "K");
            return cur + 2;
        }
        if self.at(cur, &[b"CI", b"CE", b"CY"]) {
            if self.at(cur, &[b"CIO", b"CIE", b"CIA"]) {
                self.add("S", "X");
            } else {
                self.add("S", "S");
            }
            return cur + 2;
        }
        self.add("K", "K");
        if self.at(cur + 1, &[b" C", b" Q", b" G"]) {
            cur + 3
        } else if self.at(cur + 1, &[b"C", b"K", b"Q"]) && !self.at(cur + 1, &[b"CE", b"CI"]) {
            cur + 2
        } else {
            cur + 1
        }
    }

    fn g(&mut self, cur: i32) -> i32 {
        if self.get(cur + 1) == b'H' {
            if cur > 0 && !self.vowel(cur - 1) {
                self.add("K", "K");
                return cur + 2;
            }
            if cur == 0 {
                if self.get(cur + 2) == b'I' {
                    self.add("J", "J");
                } else {
                    self.add("K", "K");
                }
                return cur + 2;
            }
            // Parker's rule: 'hugh', 'bough', 'broughton'.
            if (cur > 1 && self.at(cur - 2, &[b"B", b"H", b"D"]))
                || (cur > 2 && self.at(cur - 3, &[b"B", b"H", b"D"]))
                || (cur > 3 && self.at(cur - 4, &[b"B", b"H"]))
            {
                return cur + 2;
            }
            if cur > 2
                && self.get(cur - 1) == b'U'
                && self.at(cur - 3, &[b"C", b"G", b"L", b"R", b"T"])
            {
                self.add("F", "F");
            } else if cur > 0 && self.get(cur - 1) != b'I' {
                self.add("K", "K");
            }
            return cur + 2;
        }
        if self.get(cur + 1) == b'N' {
            if cur == 1 && self.vowel(0) && !self.slavo_germanic() {
                self.add("KN", "N");
            } else if !self.at(cur + 2, &[b"EY"])
                && self.get(cur + 1) != b'Y'
                && !self.slavo_germanic()
            {
                self.add("N", "KN");
            } else {
                self.add("KN", "KN");
            }
            return cur + 2;
        }
        if self.at(cur + 1, &[b"LI"]) && !self.slavo_germanic() {
            self.add("KL", "L");
            return cur + 2;
        }
        if cur == 0
            && (self.get(cur + 1) == b'Y'
                || self.at(
                    cur + 1,
                    &[
                        b"ES", b"EP", b"EB", b"EL", b"EY", b"IB", b"IL", b"IN", b"IE", b"EI", b"ER",
                    ],
                ))
        {
            self.add("K", "J");
            return cur + 2;
        }
        if (self.at(cur + 1, &[b"ER"]) || self.get(cur + 1) == b'Y')
            && !self.at(0, &[b"DANGER", b"RANGER", b"MANGER"])
            && !self.at(cur - 1, &[b"E", b"I"])
            && !self.at(cur - 1, &[b"RGY", b"OGY"])
        {
            self.add("K", "J");
            return cur + 2;
        }
        if self.at(cur + 1, &[b"E", b"I", b"Y"]) || self.at(cur - 1, &[b"AGGI", b"OGGI"]) {
            if self.at(0, &[b"VAN ", b"VON ", b"SCH"]) || self.at(cur + 1, &[b"ET"]) {
                self.add("K", "K");
            } else if self.at(cur + 1, &[b"IER "]) {
                self.add("J", "J");
            } else {
                self.add("J", "K");
            }
            return cur + 2;
        }
        self.add("K", "K");
        if self.get(cur + 1) == b'G' {
            cur + 2
        } else {
            cur + 1
        }
    }

    fn j(&mut self, cur: i32, last: i32) -> i32 {
        if self.at(cur, &[b"JOSE"]) || self.at(0, &[b"SAN "]) {
            if (cur == 0 && self.get(cur + 4) == b' ') || self.at(0, &[b"SAN "]) {
                self.add("H", "H");
            } else {
                self.add("J", "H");
            }
            return cur + 1;
        }
        if cur == 0 && !self.at(cur, &[b"JOSE"]) {
            self.add("J", "A");
        } else if self.vowel(cur - 1)
            && !self.slavo_germanic()
            && matches!(self.get(cur + 1), b'A' | b'O')
        {
            self.add("J", "H");
        } else if cur == last {
            self.add("J", "");
        } else if !self.at(cur + 1, &[b"L", b"T", b"K", b"S", b"N", b"M", b"B", b"Z"])
            && !self.at(cur - 1, &[b"S", b"K", b"L"])
        {
            self.add("J", "J");
        }
        if self.get(cur + 1) == b'J' {
            cur + 2
        } else {
            cur + 1
        }
    }

    fn s(&mut self, cur: i32, last: i32) -> i32 {
        if self.at(cur - 1, &[b"ISL", b"YSL"]) {
            return cur + 1;
        }
        if cur == 0 && self.at(cur, &[b"SUGAR"]) {
            self.add("X", "S");
            return cur + 1;
        }
        if self.at(cur, &[b"SH"]) {
            if self.at(cur + 1, &[b"HEIM", b"HOEK", b"HOLM", b"HOLZ"]) {
                self.add("S", "S");
            } else {
                self.add("X", "X");
            }
            return cur + 2;
        }
        if self.at(cur, &[b"SIO", b"SIA"]) || self.at(cur, &[b"SIAN"]) {
            if self.slavo_germanic() {
                self.add("S", "S");
            } else {
                self.add("S", "X");
            }
            return cur + 3;
        }
        if (cur == 0 && self.at(cur + 1, &[b"M", b"N", b"L", b"W"])) || self.at(cur + 1, &[b"Z"]) {
            self.add("S", "X");
            return if self.at(cur + 1, &[b"Z"]) {
                cur + 2
            } else {
                cur + 1
            };
        }
        if self.at(cur, &[b"SC"]) {
            if self.get(cur + 2) == b'H' {
                if self.at(cur + 3, &[b"OO", b"ER", b"EN", b"UY", b"ED", b"EM"]) {
                    if self.at(cur + 3, &[b"ER", b"EN"]) {
                        self.add("X", "SK");
                    } else {
                        self.add("SK", "SK");
                    }
                } else if cur == 0 && !self.vowel(3) && self.get(3) != b'W' {
                    self.add("X", "S");
                } else {
                    self.add("X", "X");
                }
                return cur + 3;
            }
            if self.at(cur + 2, &[b"I", b"E", b"Y"]) {
                self.add("S", "S");
            } else {
                self.add("SK", "SK");
            }
            return cur + 3;
        }
        if cur == last && self.at(cur - 2, &[b"AI", b"OI"]) {
            self.add("", "S");
        } else {
            self.add("S", "S");
        }
        if self.at(cur + 1, &[b"S", b"Z"]) {
            cur + 2
        } else {
            cur + 1
        }
    }

    fn t(&mut self, cur: i32) -> i32 {
        if self.at(cur, &[b"TION"]) || self.at(cur, &[b"TIA", b"TCH"]) {
            self.add("X", "X");
            return cur + 3;
        }
        if self.at(cur, &[b"TH"]) || self.at(cur, &[b"TTH"]) {
            if self.at(cur + 2, &[b"OM", b"AM"]) || self.at(0, &[b"VAN ", b"VON ", b"SCH"]) {
                self.add("T", "T");
            } else {
                self.add("0", "T");
            }
            return cur + 2;
        }
        self.add("T", "T");
        if self.at(cur + 1, &[b"T", b"D"]) {
            cur + 2
        } else {
            cur + 1
        }
    }

    fn w(&mut self, cur: i32, last: i32) -> i32 {
        if self.at(cur, &[b"WR"]) {
            self.add("R", "R");
            return cur + 2;
        }
        if cur == 0 && (self.vowel(cur + 1) || self.at(cur, &[b"WH"])) {
            if self.vowel(cur + 1) {
                self.add("A", "F");
            } else {
                self.add("A", "A");
            }
        }
        if (cur == last && self.vowel(cur - 1))
            || self.at(cur - 1, &[b"EWSKI", b"EWSKY", b"OWSKI", b"OWSKY"])
            || self.at(0, &[b"SCH"])
        {
            self.add("", "F");
            return cur + 1;
        }
        if self.at(cur, &[b"WICZ", b"WITZ"]) {
            self.add("TS", "FX");
            return cur + 4;
        }
        cur + 1
    }
}

#[cfg(test)]
mod tests {
    use super::Codes;

    #[test]
    fn matches_postgresql() {
        // Expected values: PostgreSQL 15 fuzzystrmatch dmetaphone/dmetaphone_alt.
        let cases = [
            ("Thompson", "TMPS", "TMPS"),
            ("Schmidt", "XMT", "SMT"),
            ("Smith", "SM0", "XMT"),
            ("Xavier", "SF", "SFR"),
            ("Caesar", "SSR", "SSR"),
            ("Michael", "MKL", "MXL"),
            ("chemistry", "KMST", "KMST"),
            ("Zoé", "S", "S"),
            ("Élodie", "LT", "LT"),
            ("Straße", "STR", "STR"),
            ("Œuvre", "FR", "FR"),
            ("Çelik", "LK", "LK"),
            ("", "", ""),
            ("123", "", ""),
            ("Gallegos", "KLKS", "KKS"),
            ("Jose", "HS", "HS"),
            ("San Jacinto", "SNHS", "SNHS"),
            ("Wasserman", "ASRM", "FSRM"),
            ("Filipowicz", "FLPT", "FLPF"),
            ("breaux", "PR", "PR"),
            ("McHugh", "MK", "MK"),
            ("Accident", "AKST", "AKST"),
            ("Bacchus", "PKS", "PKS"),
            ("Tagliaro", "TKLR", "TLR"),
            ("hugh", "H", "H"),
            ("laugh", "LF", "LF"),
            ("Zhao", "J", "J"),
            ("Czerny", "SRN", "XRN"),
            ("school", "SKL", "SKL"),
            ("Schenker", "XNKR", "SKNK"),
            ("island", "ALNT", "ALNT"),
            ("Sugar", "XKR", "SKR"),
            ("Gnome", "NM", "NM"),
            ("Artois", "ART", "ARTS"),
            ("rogier", "RJ", "RJR"),
            ("dumb", "TM", "TM"),
            ("edge", "AJ", "AJ"),
            ("Edgar", "ATKR", "ATKR"),
            ("cagney", "KKN", "KKN"),
            ("Ghislane", "JLN", "JLN"),
            ("Yankelovich", "ANKL", "ANKL"),
            ("Ñuñez", "S", "S"),
            ("Wright", "RT", "RT"),
            ("Hochmeier", "HKMR", "HKMR"),
            ("Arnow", "ARN", "ARNF"),
            ("focaccia", "FKX", "FKX"),
            ("bellocchio", "PLX", "PLX"),
            ("McClellan", "MKLL", "MKLL"),
            ("orchestra", "ARKS", "ARKS"),
            ("Van Chek", "FNKK", "FNKK"),
            ("Danger", "TNJR", "TNKR"),
            ("biaggi", "PJ", "PK"),
            ("Jean-Pierre", "JNPR", "ANPR"),
            ("Рыбаков", "N", "N"),
            ("ǆ", "S", "S"),
        ];
        let mut c = Codes::default();
        for (s, p, a) in cases {
            c.compute(s);
            assert_eq!((c.primary(), c.secondary()), (p, a), "{s}");
        }
    }
}
