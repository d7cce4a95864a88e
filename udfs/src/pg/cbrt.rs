//! `cbrt(double precision)` as PostgreSQL computes it on Linux: glibc's
//! `cbrt` (`sysdeps/ieee754/dbl-64/s_cbrt.c`), a polynomial first guess
//! refined by one Halley step, which is not correctly rounded:
//! `cbrt(27)` is `3.0000000000000004` there. Rust's `f64::cbrt` (and a
//! `cbrt` symbol linked from Rust) is musl's correctly rounded one, so
//! the last digit differed.

/// glibc's `cbrt`. (The constants are written as glibc writes them.)
#[allow(clippy::excessive_precision)]
pub fn glibc_cbrt(x: f64) -> f64 {
    const CBRT2: f64 = 1.259_921_049_894_873_164_8;
    const SQR_CBRT2: f64 = 1.587_401_051_968_199_474_8;
    const FACTOR: [f64; 5] = [1.0 / SQR_CBRT2, 1.0 / CBRT2, 1.0, CBRT2, SQR_CBRT2];
    if x == 0.0 || !x.is_finite() {
        return x + x;
    }
    let (xm, xe) = frexp(x.abs());
    let u = 0.354_895_765_043_919_86
        + ((1.508_191_937_815_848_96
            + ((-2.114_994_941_673_712_87
                + ((2.446_931_225_635_344_3
                    + ((-1.834_692_774_836_130_86
                        + (0.784_932_344_976_639_262 - 0.145_263_899_385_486_377 * xm) * xm)
                        * xm))
                    * xm))
                * xm))
            * xm);
    let t2 = u * u * u;
    let ym = u * (t2 + 2.0 * xm) / (2.0 * t2 + xm) * FACTOR[(2 + xe % 3) as usize];
    ldexp(if x > 0.0 { ym } else { -ym }, xe / 3)
}

/// C's `frexp` of a finite, non-zero `x`: `(m, e)` with `x = m·2^e` and
/// `0.5 ≤ m < 1`.
fn frexp(x: f64) -> (f64, i32) {
    let (x, extra) = if x < f64::MIN_POSITIVE {
        (x * 2f64.powi(54), -54)
    } else {
        (x, 0)
    };
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i32;
    let m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (m, e - 1022 + extra)
}

/// C's `ldexp`: `x·2^e` (|e| ≤ 360 here, so two steps never round twice
/// for normal results).
fn ldexp(x: f64, e: i32) -> f64 {
    let half = e / 2;
    x * 2f64.powi(half) * 2f64.powi(e - half)
}

#[cfg(test)]
mod tests {
    use super::glibc_cbrt;

    /// glibc 2.36's answers (a C program printing `%.17g`).
    #[test]
    fn as_glibc() {
        assert_eq!(glibc_cbrt(27.0), 3.0000000000000004);
        assert_eq!(glibc_cbrt(2.0), 1.2599210498948734);
        assert_eq!(glibc_cbrt(10.0), 2.1544346900318834);
        assert_eq!(glibc_cbrt(64.0), 4.0);
        assert_eq!(glibc_cbrt(1000.0), 10.0);
        assert_eq!(glibc_cbrt(-8.0), -2.0);
        assert_eq!(glibc_cbrt(123.456), 4.979327984674049);
    }
}
