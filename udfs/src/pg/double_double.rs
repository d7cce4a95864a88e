//! Double-double arithmetic (a value as an unevaluated sum `hi + lo` of
//! two doubles, about 31 significant digits): the fast path of
//! `super::numeric_math`'s `exp`, `ln`, `log` and `power`, which need 16 to
//! 20 correct significant digits per row. Arbitrary-precision decimals
//! (`dashu-float`) take 50 to 90 µs for one `ln` or `exp` at that
//! precision; these take well under one.
//!
//! Every result comes with the guarantee the caller checks
//! ([`rounded`]): the value times `10^scale` is far enough from a rounding
//! boundary for the error bound, or `None` and the caller computes in
//! arbitrary precision.

use std::ops::{Add, Div, Mul, Neg, Sub};

/// `hi + lo`, `|lo| <= ulp(hi) / 2`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DD {
    hi: f64,
    lo: f64,
}

fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

fn quick_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

impl DD {
    /// A double.
    pub const fn new(x: f64) -> DD {
        DD { hi: x, lo: 0.0 }
    }

    const fn from_parts(hi: f64, lo: f64) -> DD {
        DD { hi, lo }
    }

    /// `v` exactly when `|v| < 2^106`, otherwise rounded.
    pub fn from_i128(v: i128) -> DD {
        let hi = v as f64;
        let rest = v.wrapping_sub(hi as i128);
        let (hi, lo) = quick_two_sum(hi, rest as f64);
        DD { hi, lo }
    }

    /// `10^n` (exact up to `10^44`, within a unit in the last place of a
    /// double-double beyond).
    pub fn pow10(n: u32) -> DD {
        let mut r = DD::new(1.0);
        let mut base = DD::new(10.0);
        let mut n = n;
        while n > 0 {
            if n & 1 == 1 {
                r = r * base;
            }
            base = base * base;
            n >>= 1;
        }
        r
    }

    fn ldexp(self, k: i32) -> DD {
        let f = 2f64.powi(k);
        DD::from_parts(self.hi * f, self.lo * f)
    }

    /// The nearest double.
    pub fn to_f64(self) -> f64 {
        self.hi + self.lo
    }
}

impl Add for DD {
    type Output = DD;
    fn add(self, b: DD) -> DD {
        let (s, e) = two_sum(self.hi, b.hi);
        let (t, f) = two_sum(self.lo, b.lo);
        let (s, e) = quick_two_sum(s, e + t);
        let (hi, lo) = quick_two_sum(s, e + f);
        DD { hi, lo }
    }
}

impl Neg for DD {
    type Output = DD;
    fn neg(self) -> DD {
        DD::from_parts(-self.hi, -self.lo)
    }
}

impl Sub for DD {
    type Output = DD;
    fn sub(self, b: DD) -> DD {
        self + (-b)
    }
}

impl Mul for DD {
    type Output = DD;
    fn mul(self, b: DD) -> DD {
        let (p, e) = two_prod(self.hi, b.hi);
        let e = e + (self.hi * b.lo + self.lo * b.hi);
        let (hi, lo) = quick_two_sum(p, e);
        DD { hi, lo }
    }
}

impl Div for DD {
    type Output = DD;
    fn div(self, b: DD) -> DD {
        // Long division: two correction steps.
        let q1 = self.hi / b.hi;
        let r = self - b * DD::new(q1);
        let q2 = r.hi / b.hi;
        let r = r - b * DD::new(q2);
        let q3 = r.hi / b.hi;
        let (hi, lo) = quick_two_sum(q1, q2);
        DD { hi, lo } + DD::new(q3)
    }
}

/// ln 2 as a double-double.
const LN2: DD = DD::from_parts(std::f64::consts::LN_2, 2.319_046_813_846_299_6e-17);

/// `e^x`, relative error about `1e-30` for `|x| < 700`.
pub fn exp(x: DD) -> Option<DD> {
    if !x.hi.is_finite() || x.hi.abs() > 700.0 {
        return None;
    }
    // x = k ln2 + r, |r| <= ln2 / 2; e^r = (e^(r / 1024))^1024.
    let k = (x.hi / LN2.hi).round();
    let r = (x - LN2 * DD::new(k)).ldexp(-10);
    // Taylor series: |r| < 3.4e-4, so 11 terms leave < 1e-44.
    let mut term = DD::new(1.0);
    let mut sum = DD::new(1.0);
    for n in 1..=11 {
        term = term * r / DD::new(f64::from(n));
        sum = sum + term;
    }
    for _ in 0..10 {
        sum = sum * sum;
    }
    Some(sum.ldexp(k as i32))
}

/// `ln(x)` for `x > 0`: one Newton step from the double's logarithm,
/// `y + x·e^(-y) - 1`. The absolute error is about `1e-31` (relative:
/// `1e-31 / |ln x|`, so the caller's bound covers `x` near 1).
pub fn ln(x: DD) -> Option<DD> {
    if x.hi.is_nan() || x.hi <= 0.0 || x.hi.is_infinite() {
        return None;
    }
    let y = DD::new(x.hi.ln());
    Some(y + x * exp(-y)? - DD::new(1.0))
}

/// `value` (known to a relative error of `rel` and an absolute one of
/// `abs`) times `10^scale`, rounded half away from zero, if that rounding
/// is certain: the scaled value is within 2^100 and not closer to a
/// rounding boundary than its error.
pub fn rounded(value: DD, scale: i32, rel: f64, abs: f64) -> Option<i128> {
    if !(0..=60).contains(&scale) {
        return None;
    }
    let unit = DD::pow10(scale as u32);
    let v = value * unit;
    if v.hi.is_nan() || v.hi.abs() >= 2f64.powi(100) {
        return None;
    }
    let err = v.hi.abs() * rel + abs * unit.hi + v.hi.abs() * 1e-31;
    if err.is_nan() || err >= 1e-3 {
        return None;
    }
    // Integer part and fraction of |v|: v.hi is a whole number beyond
    // 2^52, so the rest of the integer part is in v.lo, taken in two steps.
    let negative = v.hi < 0.0;
    let v = if negative { -v } else { v };
    let first = v.hi.floor();
    let r = v - DD::new(first);
    let second = r.hi.floor();
    let mut rest = (r - DD::new(second)).to_f64();
    let mut whole = first as i128 + second as i128;
    while rest < 0.0 {
        rest += 1.0;
        whole -= 1;
    }
    while rest >= 1.0 {
        rest -= 1.0;
        whole += 1;
    }
    if (rest - 0.5).abs() <= err * 4.0 + 1e-9 * f64::EPSILON {
        return None;
    }
    if rest > 0.5 {
        whole += 1;
    }
    Some(if negative { -whole } else { whole })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_and_functions() {
        // e and ln 10 to 30 digits.
        let e = exp(DD::new(1.0)).unwrap();
        assert_eq!(rounded(e, 25, 1e-30, 0.0), Some(27182818284590452353602875));
        let l = ln(DD::new(10.0)).unwrap();
        assert_eq!(rounded(l, 25, 0.0, 1e-30), Some(23025850929940456840179915));
        let third = DD::new(1.0) / DD::new(3.0);
        assert_eq!(
            rounded(third, 28, 0.0, 1e-32),
            Some(3333333333333333333333333333)
        );
        // A value on a rounding boundary is not rounded here.
        assert_eq!(rounded(DD::new(0.125), 2, 1e-30, 0.0), None);
    }
}
