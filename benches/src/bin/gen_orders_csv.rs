//! Writes an orders CSV for the import benchmark:
//! `gen_orders_csv ROWS PATH` (10 million rows is about 1 GB).
//!
//! Columns: order_id, customer_id, email, order_date (timestamp), channel,
//! status, city, postal_code, total_amount (2 decimals), currency, note
//! (sometimes quoted, with a comma).

use std::io::{BufWriter, Write};

use tessera_benches::Rng;

const CITIES: &[(&str, &str)] = &[
    ("Paris", "75011"),
    ("Lyon", "69003"),
    ("Marseille", "13006"),
    ("Toulouse", "31000"),
    ("Nice", "06000"),
    ("Nantes", "44000"),
    ("Strasbourg", "67000"),
    ("Montpellier", "34000"),
    ("Bordeaux", "33000"),
    ("Lille", "59000"),
    ("Saint-Étienne", "42000"),
    ("Orléans", "45000"),
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "hotmail.fr",
];

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let rows: u64 = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: gen_orders_csv ROWS PATH"))?
        .parse()?;
    let path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: gen_orders_csv ROWS PATH"))?;
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
    writeln!(
        out,
        "order_id,customer_id,email,order_date,channel,status,city,postal_code,total_amount,currency,note"
    )?;
    let mut rng = Rng::new(42);
    let start = 1_672_531_200u64; // 2023-01-01
    for id in 1..=rows {
        let customer = 1 + rng.below(1_000_000);
        let t = start + rng.below(3 * 365 * 86_400);
        let (days, secs) = (t / 86_400, t % 86_400);
        let (y, m, d) = civil(days as i64);
        let (city, cp) = CITIES[rng.below(CITIES.len() as u64) as usize];
        let cents = 500 + rng.below(50_000);
        let channel = ["web", "store", "app"][rng.below(3) as usize];
        let status = [
            "delivered",
            "delivered",
            "delivered",
            "shipped",
            "cancelled",
        ][rng.below(5) as usize];
        let note = match rng.below(10) {
            0 => "\"gift, wrapped\"",
            1 => "express",
            _ => "",
        };
        writeln!(
            out,
            "{id},{customer},client{customer}@{},{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02},{channel},{status},{city},{cp},{}.{:02},EUR,{note}",
            DOMAINS[(customer % 5) as usize],
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            cents / 100,
            cents % 100
        )?;
    }
    out.flush()?;
    Ok(())
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}
