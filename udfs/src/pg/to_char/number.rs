//! `to_char(number, text)`: PostgreSQL 15's number templates
//! (`NUM_processor` in `formatting.c`, output direction, C locale):
//! `9` (a digit or a blank), `0` (a digit, zero-padded from there on),
//! `.`/`D` (decimal point), `,`/`G` (group separator, once a digit was
//! written), `FM` (no padding, no trailing fraction zeros from `9`), `S`
//! (sign anchored to the number), `MI`/`PL`/`SG` (sign at that place),
//! `PR` (angle brackets for negatives), `L` (currency: a blank in the C
//! locale); other characters are copied. A number with more integer digits
//! than the template has is written as `#`s. The value is rounded to the
//! template's fraction digits first (numerics half away from zero, floats
//! as `printf` does). `TH`/`th` append the integer's ordinal suffix
//! (`42nd`); `RN`/`rn` write the value as a Roman numeral (1 to 3999,
//! right-aligned in 15 characters unless `FM`); `EEEE` makes the output
//! scientific notation with the template's fraction digits (` 1.00e+06`;
//! a numeric's exponent is taken before rounding, as PostgreSQL's
//! `numeric_out_sci` does: 99.99 with one digit is ` 10.0e+01`). `V` is
//! refused.
//!
//! The code follows PostgreSQL's closely (its variable names included:
//! `out_pre_spaces`, `num_curr`, `last_relevant`…), because its blank and
//! sign placement rules are not otherwise written down.

use datafusion::common::{Result, exec_err};

/// A parsed template.
#[derive(Debug, Default)]
pub(super) struct Template {
    nodes: Vec<Node>,
    /// Digits before and after the decimal point.
    pre: usize,
    post: usize,
    decimal: bool,
    fill: bool,
    zero: bool,
    /// 1-based position of the first `0` among the integer digits.
    zero_start: usize,
    zero_end: usize,
    bracket: bool,
    minus: bool,
    plus: bool,
    /// `S`: where the sign goes.
    lsign: LSign,
    pre_lsign_num: usize,
    /// `RN`/`rn`: the value as a Roman numeral.
    roman: bool,
    /// `EEEE`: scientific notation.
    eeee: bool,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum LSign {
    #[default]
    None,
    Pre,
    Post,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Nine,
    Zero,
    Point,
    Comma,
    Group,
    Currency,
    Minus,
    Plus,
    SignGlued,
    Literal(char),
    /// `RN` / `rn`.
    Roman {
        lower: bool,
    },
    /// `TH` / `th`: the ordinal suffix.
    Ordinal {
        upper: bool,
    },
    /// `S`, `PR`, `FM`, `EEEE`: no output of their own.
    Silent,
}

/// Parses a number template.
pub(super) fn parse(fmt: &str) -> Result<Template> {
    let mut t = Template::default();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    let upper = |i: usize, n: usize| -> String {
        chars[i..(i + n).min(chars.len())]
            .iter()
            .collect::<String>()
            .to_ascii_uppercase()
    };
    while i < chars.len() {
        let c = chars[i];
        let two = upper(i, 2);
        let node = match c {
            '9' => {
                if t.bracket {
                    return exec_err!("\"9\" must be ahead of \"PR\"");
                }
                if t.decimal {
                    t.post += 1;
                } else {
                    t.pre += 1;
                }
                Node::Nine
            }
            '0' => {
                if t.bracket {
                    return exec_err!("\"0\" must be ahead of \"PR\"");
                }
                if !t.zero && !t.decimal {
                    t.zero = true;
                    t.zero_start = t.pre + 1;
                }
                if t.decimal {
                    t.post += 1;
                } else {
                    t.pre += 1;
                }
                t.zero_end = t.pre + t.post;
                Node::Zero
            }
            '.' | 'D' | 'd' => {
                if t.decimal {
                    return exec_err!("multiple decimal points");
                }
                t.decimal = true;
                Node::Point
            }
            ',' => Node::Comma,
            'G' | 'g' => Node::Group,
            'L' | 'l' => Node::Currency,
            _ if two == "FM" => {
                t.fill = true;
                i += 1;
                Node::Silent
            }
            _ if two == "MI" => {
                if t.lsign != LSign::None {
                    return exec_err!("cannot use \"S\" and \"MI\" together");
                }
                t.minus = true;
                i += 1;
                Node::Minus
            }
            _ if two == "PL" => {
                if t.lsign != LSign::None {
                    return exec_err!("cannot use \"S\" and \"PL\" together");
                }
                t.plus = true;
                i += 1;
                Node::Plus
            }
            _ if two == "SG" => {
                if t.lsign != LSign::None {
                    return exec_err!("cannot use \"S\" and \"SG\" together");
                }
                t.minus = true;
                t.plus = true;
                i += 1;
                Node::SignGlued
            }
            _ if two == "PR" => {
                if t.lsign != LSign::None || t.plus || t.minus {
                    return exec_err!("cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together");
                }
                t.bracket = true;
                i += 1;
                Node::Silent
            }
            _ if upper(i, 4) == "EEEE" => {
                t.eeee = true;
                i += 3;
                Node::Silent
            }
            _ if two == "RN"
                && (chars[i..i + 2] == ['R', 'N'] || chars[i..i + 2] == ['r', 'n']) =>
            {
                t.roman = true;
                i += 1;
                Node::Roman { lower: c == 'r' }
            }
            _ if two == "TH"
                && (chars[i..i + 2] == ['T', 'H'] || chars[i..i + 2] == ['t', 'h']) =>
            {
                i += 1;
                Node::Ordinal { upper: c == 'T' }
            }
            'S' | 's' => {
                if t.lsign != LSign::None {
                    return exec_err!("cannot use \"S\" twice");
                }
                if t.plus || t.minus || t.bracket {
                    return exec_err!("cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together");
                }
                if !t.decimal {
                    t.lsign = LSign::Pre;
                    t.pre_lsign_num = t.pre;
                } else {
                    t.lsign = LSign::Post;
                }
                Node::Silent
            }
            'V' | 'v' => {
                return exec_err!("to_char of a number: template pattern \"V\" is not supported");
            }
            '"' => {
                // Quoted text is copied.
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                    }
                    t.nodes.push(Node::Literal(chars[i]));
                    i += 1;
                }
                i += 1;
                continue;
            }
            other => Node::Literal(other),
        };
        t.nodes.push(node);
        i += 1;
    }
    Ok(t)
}

/// A value's sign and its digits rounded to the template's fraction digits
/// (`1234.50`), as `numeric_to_char` prepares them.
pub(super) struct Digits {
    pub(super) negative: bool,
    pub(super) text: String,
}

impl Digits {
    /// From an unscaled decimal `v` with `scale` fraction digits.
    pub(super) fn decimal(v: i128, scale: i8, post: usize) -> Digits {
        let negative = v < 0;
        let mut m = v.unsigned_abs();
        let scale = i32::from(scale);
        let post_i = post as i32;
        // Round half away from zero to `post` digits.
        if scale > post_i {
            let div = 10u128.pow((scale - post_i) as u32);
            let (q, r) = (m / div, m % div);
            m = if r * 2 >= div { q + 1 } else { q };
        } else if scale < post_i {
            m = m.saturating_mul(10u128.pow((post_i - scale) as u32));
        }
        let digits = m.to_string();
        let text = if post == 0 {
            digits
        } else {
            let padded = format!("{digits:0>width$}", width = post + 1);
            let (int, frac) = padded.split_at(padded.len() - post);
            format!("{int}.{frac}")
        };
        Digits {
            negative: negative && m != 0,
            text,
        }
    }

    /// From a float, rounded as `printf("%.*f")` rounds.
    pub(super) fn float(v: f64, post: usize) -> Digits {
        let text = format!("{:.post$}", v.abs());
        let zero = text.bytes().all(|b| b == b'0' || b == b'.');
        Digits {
            negative: v.is_sign_negative() && !zero,
            text,
        }
    }
}

/// A number to write.
#[derive(Debug, Clone, Copy)]
pub(super) enum Value {
    Integer(i64),
    /// Unscaled value and scale.
    Decimal(i128, i8),
    Float(f64),
}

/// `v` written with `t` (`int4_to_char`, `numeric_to_char`,
/// `float8_to_char`).
pub(super) fn to_char(t: &Template, v: Value) -> String {
    if t.eeee {
        return scientific(t.pre, t.post, v);
    }
    if t.roman {
        return roman_template(t, v);
    }
    let post = t.post;
    let digits = match v {
        Value::Integer(i) => Digits::decimal(i128::from(i), 0, post),
        Value::Decimal(u, s) => Digits::decimal(u, s, post),
        Value::Float(f) => Digits::float(f, post),
    };
    render(t, &digits)
}

/// `ST`, `ND`, `RD` or `TH` for the digits `number` (`get_th`): the
/// teens take `TH`.
fn ordinal_suffix(number: &[u8], upper: bool) -> String {
    let last = number.last().copied().unwrap_or(b'0');
    let teen = number.len() > 1 && number[number.len() - 2] == b'1';
    let suffix = match last {
        b'1' if !teen => "st",
        b'2' if !teen => "nd",
        b'3' if !teen => "rd",
        _ => "th",
    };
    if upper {
        suffix.to_ascii_uppercase()
    } else {
        suffix.to_string()
    }
}

/// `int_to_roman`: 15 `#`s outside 1‥3999.
fn roman(n: i64) -> String {
    if !(1..=3999).contains(&n) {
        return "#".repeat(15);
    }
    const UNITS: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, letters) in UNITS {
        while n >= value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

/// A template with `RN`: the value rounded to an integer (numerics half
/// away from zero, floats half to even) in Roman numerals, with the
/// template's literal text around it.
fn roman_template(t: &Template, v: Value) -> String {
    let n = match v {
        Value::Integer(i) => i,
        Value::Decimal(u, s) => {
            let d = Digits::decimal(u, s, 0);
            let magnitude = d.text.parse::<i64>().unwrap_or(i64::MAX);
            if d.negative { -magnitude } else { magnitude }
        }
        Value::Float(f) => f.round_ties_even().clamp(i64::MIN as f64, i64::MAX as f64) as i64,
    };
    let numeral = roman(n);
    let mut out = String::new();
    for node in &t.nodes {
        match node {
            Node::Roman { lower } => {
                let numeral = if *lower {
                    numeral.to_ascii_lowercase()
                } else {
                    numeral.clone()
                };
                if t.fill {
                    out.push_str(&numeral);
                } else {
                    out.push_str(&format!("{numeral:>15}"));
                }
            }
            Node::Literal(c) => out.push(*c),
            _ => {}
        }
    }
    out
}

/// `EEEE`: `±d.ddde±XX` with `post` fraction digits, a blank for the plus
/// sign; `#`s for NaN and infinities (with the point after `pre` of them). Integers and floats are written as C's
/// `%+.*e` writes a double; numerics as `numeric_out_sci` (the exponent of
/// the unrounded value).
fn scientific(pre: usize, post: usize, v: Value) -> String {
    let float = |f: f64| {
        if !f.is_finite() {
            let mut s = "#".repeat(pre + post + 6);
            s.replace_range(0..1, " ");
            s.replace_range(pre + 1..pre + 2, ".");
            return s;
        }
        let text = format!("{f:+.post$e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let mantissa = mantissa.replacen('+', " ", 1);
        format!("{mantissa}e{exponent:+03}")
    };
    match v {
        Value::Integer(i) => float(i as f64),
        Value::Float(f) => float(f),
        Value::Decimal(u, s) => decimal_scientific(u, s, post)
            .unwrap_or_else(|| float(u as f64 / 10f64.powi(i32::from(s)))),
    }
}

/// `numeric_out_sci` of `u × 10^-s`; `None` when the digits overflow.
fn decimal_scientific(u: i128, s: i8, post: usize) -> Option<String> {
    let m = u.unsigned_abs();
    let exponent = if m == 0 {
        0
    } else {
        m.ilog10() as i32 - i32::from(s)
    };
    // Significand digits: m × 10^(post − s − exponent), rounded half up.
    let shift = post as i32 - i32::from(s) - exponent;
    let sig = if shift >= 0 {
        m.checked_mul(10u128.checked_pow(shift as u32)?)?
    } else {
        let div = 10u128.checked_pow((-shift) as u32)?;
        let (q, r) = (m / div, m % div);
        if r * 2 >= div { q + 1 } else { q }
    };
    let digits = format!("{sig:0>width$}", width = post + 1);
    let (int, frac) = digits.split_at(digits.len() - post);
    let sign = if u < 0 { "-" } else { " " };
    let point = if post > 0 { "." } else { "" };
    Some(format!("{sign}{int}{point}{frac}e{exponent:+03}"))
}

/// `digits` written with `t`.
pub(super) fn render(t: &Template, digits: &Digits) -> String {
    let mut number: Vec<u8> = digits.text.as_bytes().to_vec();
    let pre_len = number
        .iter()
        .position(|&b| b == b'.')
        .unwrap_or(number.len());
    let mut out_pre_spaces = 0;
    if pre_len < t.pre {
        out_pre_spaces = t.pre - pre_len;
    } else if pre_len > t.pre {
        number = vec![b'#'; t.pre + t.post + 1];
        number[t.pre] = b'.';
    }
    Processor::new(
        t,
        number,
        out_pre_spaces,
        if digits.negative { b'-' } else { b'+' },
    )
    .run()
}

struct Processor<'a> {
    t: &'a Template,
    bracket: bool,
    lsign: LSign,
    number: Vec<u8>,
    /// Index into `number` (`number.len()` when past its end).
    number_p: usize,
    out: String,
    sign: u8,
    sign_wrote: bool,
    num_in: bool,
    num_curr: usize,
    num_count: usize,
    out_pre_spaces: usize,
    last_relevant: Option<usize>,
    /// 0-based position of the first integer `0`.
    zero_start: usize,
}

impl<'a> Processor<'a> {
    fn new(t: &'a Template, number: Vec<u8>, out_pre_spaces: usize, sign: u8) -> Processor<'a> {
        let mut p = Processor {
            t,
            bracket: t.bracket,
            lsign: t.lsign,
            number,
            number_p: 0,
            out: String::new(),
            sign,
            sign_wrote: false,
            num_in: false,
            num_curr: 0,
            num_count: 0,
            out_pre_spaces,
            last_relevant: None,
            zero_start: t.zero_start.saturating_sub(1),
        };
        if t.plus || t.minus {
            // MI/PL/SG write the sign themselves.
            p.sign_wrote = !t.plus || t.minus;
        } else {
            if sign != b'-' && t.fill {
                p.bracket = false;
            }
            p.sign_wrote = sign == b'+' && t.fill && p.lsign == LSign::None;
            if p.lsign == LSign::Pre && t.pre == t.pre_lsign_num {
                p.lsign = LSign::Post;
            }
        }
        p.num_count = (t.post + t.pre).saturating_sub(1);
        if t.fill && t.decimal {
            p.last_relevant = p.last_relevant_decnum();
            if let Some(last) = p.last_relevant
                && t.zero_end > p.out_pre_spaces
                && !p.number.is_empty()
            {
                let last_zero = (p.number.len() - 1).min(t.zero_end - p.out_pre_spaces);
                if last < last_zero {
                    p.last_relevant = Some(last_zero);
                }
            }
        }
        if !p.sign_wrote && p.out_pre_spaces == 0 {
            p.num_count += 1;
        }
        p
    }

    /// The last non-zero fraction digit, or the point itself.
    fn last_relevant_decnum(&self) -> Option<usize> {
        let point = self.number.iter().position(|&b| b == b'.')?;
        let mut result = point;
        for (i, &b) in self.number.iter().enumerate().skip(point + 1) {
            if b != b'0' {
                result = i;
            }
        }
        Some(result)
    }

    fn at(&self) -> u8 {
        self.number.get(self.number_p).copied().unwrap_or(0)
    }

    fn predec_space(&self) -> bool {
        !self.t.zero && self.number_p == 0 && self.number.first() == Some(&b'0') && self.t.post != 0
    }

    fn run(mut self) -> String {
        for node in &self.t.nodes {
            match node {
                Node::Nine | Node::Zero | Node::Point => self.numpart(node),
                Node::Comma | Node::Group => {
                    if self.num_in {
                        self.out.push(',');
                    } else if !self.t.fill {
                        self.out.push(' ');
                    }
                }
                Node::Currency => self.out.push(' '),
                Node::Minus => {
                    if self.sign == b'-' {
                        self.out.push('-');
                    } else if !self.t.fill {
                        self.out.push(' ');
                    }
                }
                Node::Plus => {
                    if self.sign == b'+' {
                        self.out.push('+');
                    } else if !self.t.fill {
                        self.out.push(' ');
                    }
                }
                Node::SignGlued => self.out.push(self.sign as char),
                Node::Literal(c) => self.out.push(*c),
                Node::Ordinal { upper } => {
                    // Not after a fraction, a negative number or an
                    // overflow (`NUM_th`).
                    if !(self.t.decimal || self.sign == b'-' || self.number.first() == Some(&b'#'))
                    {
                        self.out.push_str(&ordinal_suffix(&self.number, *upper));
                    }
                }
                Node::Roman { .. } | Node::Silent => {}
            }
        }
        self.out
    }

    /// `NUM_numpart_to_char`.
    fn numpart(&mut self, node: &Node) {
        self.num_in = false;
        let relevant_point = self
            .last_relevant
            .is_some_and(|l| self.number.get(l) == Some(&b'.'));
        if !self.sign_wrote
            && (self.num_curr >= self.out_pre_spaces
                || (self.t.zero && self.zero_start == self.num_curr))
            && (!self.predec_space() || relevant_point)
        {
            if self.lsign != LSign::None {
                if self.lsign == LSign::Pre {
                    self.out.push(if self.sign == b'-' { '-' } else { '+' });
                    self.sign_wrote = true;
                }
            } else if self.bracket {
                self.out.push(if self.sign == b'+' { ' ' } else { '<' });
                self.sign_wrote = true;
            } else if self.sign == b'+' {
                if !self.t.fill {
                    self.out.push(' ');
                }
                self.sign_wrote = true;
            } else {
                self.out.push('-');
                self.sign_wrote = true;
            }
        }
        if self.num_curr < self.out_pre_spaces && (self.zero_start > self.num_curr || !self.t.zero)
        {
            if !self.t.fill {
                self.out.push(' ');
            }
        } else if self.t.zero
            && self.num_curr < self.out_pre_spaces
            && self.zero_start <= self.num_curr
        {
            self.out.push('0');
            self.num_in = true;
        } else {
            if self.at() == b'.' {
                if !relevant_point || self.t.fill {
                    self.out.push('.');
                }
            } else if self
                .last_relevant
                .is_some_and(|l| self.number_p > l && *node != Node::Zero)
            {
                // A trailing fraction zero in fill mode.
            } else if self.predec_space() {
                if !self.t.fill {
                    self.out.push(' ');
                } else if relevant_point {
                    self.out.push('0');
                }
            } else {
                self.out.push(self.at() as char);
                self.num_in = true;
            }
            if self.number_p < self.number.len() {
                self.number_p += 1;
            }
        }
        let mut end =
            self.num_count + usize::from(self.out_pre_spaces > 0) + usize::from(self.t.decimal);
        if self.last_relevant.is_some_and(|l| l == self.number_p) {
            end = self.num_curr;
        }
        if self.num_curr + 1 == end {
            if self.sign_wrote && self.bracket {
                self.out.push(if self.sign == b'+' { ' ' } else { '>' });
            } else if self.lsign == LSign::Post {
                self.out.push(if self.sign == b'-' { '-' } else { '+' });
            }
        }
        self.num_curr += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PostgreSQL 15's answers (`to_char(v::numeric, f)`).
    #[test]
    fn templates_match_postgres() {
        let cases: &[(i128, i8, &str, &str)] = &[
            (-12345, 1, "000.0", "-###.#"),
            (-12, 0, "000.0", "-012.0"),
            (-5, 1, "000.0", "-000.5"),
            (0, 0, "000.0", " 000.0"),
            (5, 0, "000.0", " 005.0"),
            (99995, 3, "000.0", " 100.0"),
            (-12345, 1, "9,999.99", "-1,234.50"),
            (-12, 0, "9,999.99", "   -12.00"),
            (-5, 1, "9,999.99", "     -.50"),
            (0, 0, "9,999.99", "      .00"),
            (5, 1, "9,999.99", "      .50"),
            (1234567891, 3, "9,999.99", " #,###.##"),
            (-5, 1, "9.99", " -.50"),
            (5, 0, "9.99", " 5.00"),
            (-5, 1, "99", " -1"),
            (0, 0, "99", "  0"),
            (-12, 0, "999", " -12"),
            (99995, 3, "999", " 100"),
            (-12345, 1, "9999S", "1235-"),
            (-12, 0, "9999S", "  12-"),
            (0, 0, "9999S", "   0+"),
            (1234567891, 3, "9999S", "####+"),
            (-12345, 1, "999MI", "###-"),
            (-12, 0, "999MI", " 12-"),
            (0, 0, "999MI", "  0 "),
            (99995, 3, "999MI", "100 "),
            (-12345, 1, "999PR", "<###>"),
            (-12, 0, "999PR", " <12>"),
            (0, 0, "999PR", "   0 "),
            (-12345, 1, "FM0000", "-1235"),
            (-12, 0, "FM0000", "-0012"),
            (0, 0, "FM0000", "0000"),
            (-12345, 1, "FM9,999,999.00", "-1,234.50"),
            (-5, 1, "FM9,999,999.00", "-.50"),
            (0, 0, "FM9,999,999.00", ".00"),
            (1234567891, 3, "FM9,999,999.00", "1,234,567.89"),
            (-5, 1, "FM9.9", "-.5"),
            (0, 0, "FM9.9", "0."),
            (5, 1, "FM9.9", ".5"),
            (5, 0, "FM9.9", "5."),
            (12, 0, "FM9.9", "#.#"),
            (-5, 1, "FM990.00", "-0.50"),
            (0, 0, "FM990.00", "0.00"),
            (99995, 3, "FM990.00", "100.00"),
            (12345, 1, "FM990.00", "###.##"),
            (-12, 0, "FM999", "-12"),
            (0, 0, "FM999", "0"),
            (-12345, 1, "FM999G999D00", "-1,234.50"),
            (1234567891, 3, "FM999G999D00", "###,###.##"),
            (-12345, 1, "L999", " -###"),
            (-12, 0, "L999", "  -12"),
            (5, 0, "L999", "    5"),
            (-12345, 1, "PL999", " -###"),
            (-12, 0, "PL999", "  -12"),
            (0, 0, "PL999", "+   0"),
            (99995, 3, "PL999", "+ 100"),
            (-12345, 1, "S999", "-###"),
            (-12, 0, "S999", " -12"),
            (0, 0, "S999", "  +0"),
            (12, 0, "S999", " +12"),
            (99995, 3, "S999", "+100"),
            (-12, 0, "SG999", "- 12"),
            (0, 0, "SG999", "+  0"),
            (99995, 3, "SG999", "+100"),
        ];
        for (v, scale, f, want) in cases {
            let t = parse(f).unwrap();
            let got = render(&t, &Digits::decimal(*v, *scale, t.post));
            assert_eq!(&got, want, "to_char({v}e-{scale}, '{f}')");
        }
        let t = parse("FM999.99").unwrap();
        assert_eq!(render(&t, &Digits::float(2.5, t.post)), "2.5");
        assert!(parse("9.9.9").is_err());
    }
}
