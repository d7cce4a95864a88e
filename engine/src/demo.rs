//! The demo customer base (`tessera demo`): a deterministic French retail
//! dataset with the flaws of real CRM data.
//!
//! Tables (row counts at scale 1): `products` (400), `contacts` (40 000, of
//! which about 7 % are the same people again from another source, written
//! differently: e-mail case and spaces, `06 12 34 56 78` vs `+33612345678`,
//! `bd` vs `boulevard`, `DUPONT` vs `Dupont`; with missing e-mails, phones,
//! birth dates and addresses), `orders` (120 000 over 2023–2025, skewed so
//! a few customers order a lot), `order_items` (about 260 000) and `events`
//! (200 000 web events, 30 % anonymous).
//!
//! The `bench` profile ([`Profile::Bench`]) is the same generator with the
//! proportions of the customer-analytics benchmark (`benches/analytics`).
//!
//! Tables are created with ordinary DDL (so they have primary keys, types
//! and comments); small tables are loaded in one Delta commit, large ones in
//! slices of two million rows.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Decimal128Builder, Int32Builder, Int64Builder,
    RecordBatch, StringBuilder, TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::SchemaRef;

use crate::error::Result;
use crate::session::{CATALOG_NAME, Session, collect, parse};

mod french;
mod rng;

use french::*;
use rng::Rng;

/// Rows per batch written.
const BATCH: usize = 20_000;
/// 2023-01-01T00:00:00Z in seconds.
const START: i64 = 1_672_531_200;
/// Three years, in seconds.
const SPAN: i64 = 3 * 365 * 86_400;

const DDL: &str = r#"
CREATE TABLE {s}.products (
  product_id bigint PRIMARY KEY,
  sku text NOT NULL,
  name text NOT NULL,
  category text NOT NULL,
  unit_price numeric(10,2) NOT NULL,
  created_at date
);
CREATE TABLE {s}.contacts (
  contact_id bigint PRIMARY KEY,
  source text NOT NULL,
  civility text,
  first_name text,
  last_name text,
  email text,
  phone text,
  birth_date date,
  address text,
  postal_code text,
  city text,
  country text,
  email_opt_in boolean NOT NULL,
  sms_opt_in boolean NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE {s}.orders (
  order_id bigint PRIMARY KEY,
  contact_id bigint NOT NULL,
  order_date timestamptz NOT NULL,
  channel text NOT NULL,
  status text NOT NULL,
  total_amount numeric(12,2) NOT NULL,
  discount_amount numeric(12,2) NOT NULL,
  currency text NOT NULL
);
CREATE TABLE {s}.order_items (
  order_id bigint NOT NULL,
  line_number integer NOT NULL,
  product_id bigint NOT NULL,
  quantity integer NOT NULL,
  unit_price numeric(10,2) NOT NULL,
  PRIMARY KEY (order_id, line_number)
);
CREATE TABLE {s}.events (
  event_id bigint PRIMARY KEY,
  contact_id bigint,
  anonymous_id text,
  event_type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  page_url text,
  utm_source text,
  device text
);
COMMENT ON TABLE {s}.contacts IS 'Customers and prospects from the CRM, the web shop and the newsletter; the same person may appear more than once';
COMMENT ON TABLE {s}.orders IS 'Orders from the web shop, the app and the stores';
COMMENT ON COLUMN {s}.contacts.phone IS 'As entered: national or international format';
"#;

/// Names of the demo tables.
pub const TABLES: &[&str] = &["products", "contacts", "orders", "order_items", "events"];

/// Shape of the generated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Profile {
    /// The demo base: 40 000 contacts, 120 000 orders, 200 000 events at scale 1.
    #[default]
    Demo,
    /// The benchmark's customer-analytics data (`benches/analytics`): at scale 1,
    /// 100 000 contacts, 1 000 000 orders, about 2 550 000 order lines,
    /// 5 000 000 events and 1 000 products.
    Bench,
}

/// Row counts of one generation.
struct Sizes {
    products: usize,
    contacts: usize,
    orders: usize,
    events: usize,
    /// Weights of 1, 2, 3, … lines per order.
    lines: &'static [f64],
}

impl Sizes {
    fn at(profile: Profile, scale: f64) -> Sizes {
        let n = |x: f64| ((x * scale).round() as usize).max(10);
        match profile {
            Profile::Demo => Sizes {
                products: n(400.0),
                contacts: n(40_000.0),
                orders: n(120_000.0),
                events: n(200_000.0),
                lines: &[0.35, 0.3, 0.2, 0.1, 0.05],
            },
            Profile::Bench => Sizes {
                products: 1_000,
                contacts: n(100_000.0),
                orders: n(1_000_000.0),
                events: n(5_000_000.0),
                lines: &[0.25, 0.3, 0.2, 0.15, 0.1],
            },
        }
    }
}

/// Rows generated and written per Delta commit for the big tables: bounds the
/// memory a large scale needs (each slice is one append).
const SLICE: usize = 2_000_000;

/// Creates and loads the demo tables in `schema`. Returns rows written per table.
pub async fn create(
    session: &Session,
    schema: &str,
    profile: Profile,
    scale: f64,
) -> Result<Vec<(String, u64)>> {
    session.warehouse().create_schema(schema, true).await?;
    let quoted = format!("\"{schema}\"");
    for stmt in parse(&DDL.replace("{s}", &quoted))? {
        collect(session.execute_statement(stmt).await?).await?;
    }
    let sizes = Sizes::at(profile, scale);
    let mut rng = Rng::new(20_240_601);
    let prices = products_prices(&mut rng.clone(), sizes.products);
    let mut out = Vec::new();
    let gens: Vec<(&str, Vec<Vec<ArrayRef>>)> = vec![
        ("products", products(&mut rng, sizes.products)),
        ("contacts", contacts(&mut rng, sizes.contacts)),
    ];
    for (t, cols) in gens {
        out.push((t.to_string(), load(session, schema, t, cols).await?));
    }
    // The slices draw from one random sequence, so the data does not depend
    // on the slice size.
    let (mut n_orders, mut n_items) = (0, 0);
    for range in slices(sizes.orders) {
        let (orders, items) = orders_and_items(&mut rng, &sizes, &prices, range);
        n_orders += load(session, schema, "orders", orders).await?;
        n_items += load(session, schema, "order_items", items).await?;
    }
    out.push(("orders".into(), n_orders));
    out.push(("order_items".into(), n_items));
    let mut n_events = 0;
    for range in slices(sizes.events) {
        let events = events(&mut rng, &sizes, range);
        n_events += load(session, schema, "events", events).await?;
    }
    out.push(("events".into(), n_events));
    Ok(out)
}

fn slices(n: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    (0..n).step_by(SLICE).map(move |s| s..(s + SLICE).min(n))
}

async fn load(
    session: &Session,
    schema: &str,
    table: &str,
    chunks: Vec<Vec<ArrayRef>>,
) -> Result<u64> {
    let target = format!("{CATALOG_NAME}.\"{schema}\".\"{table}\"");
    let ctx = session.context();
    let provider = ctx.table_provider(target.as_str()).await?;
    let table_schema: SchemaRef = provider.schema();
    let mut batches = Vec::with_capacity(chunks.len());
    for cols in chunks {
        // The provider may read strings as Utf8View; convert what we built.
        let cols = cols
            .into_iter()
            .zip(table_schema.fields())
            .map(|(c, f)| datafusion::arrow::compute::cast(&c, f.data_type()))
            .collect::<Result<Vec<_>, _>>()?;
        batches.push(RecordBatch::try_new(table_schema.clone(), cols)?);
    }
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    let df = ctx.read_batches(batches)?;
    df.write_table(&target, Default::default()).await?;
    Ok(rows as u64)
}

fn chunks(n: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    chunks_of(0..n)
}

fn chunks_of(r: std::ops::Range<usize>) -> impl Iterator<Item = std::ops::Range<usize>> {
    let end = r.end;
    r.step_by(BATCH).map(move |s| s..(s + BATCH).min(end))
}

fn decimal(p: u8, s: i8, cap: usize) -> Decimal128Builder {
    Decimal128Builder::with_capacity(cap)
        .with_data_type(datafusion::arrow::datatypes::DataType::Decimal128(p, s))
}

fn ts() -> TimestampMicrosecondBuilder {
    TimestampMicrosecondBuilder::new().with_timezone("UTC")
}

const CATEGORIES: &[(&str, &[&str], (i64, i64))] = &[
    (
        "Mode",
        &["T-shirt", "Pull", "Jean", "Robe", "Veste", "Chemise"],
        (1500, 15000),
    ),
    (
        "Beauté",
        &["Crème", "Parfum", "Shampooing", "Rouge à lèvres", "Sérum"],
        (500, 9000),
    ),
    (
        "Maison",
        &["Bougie", "Coussin", "Plaid", "Vase", "Lampe"],
        (900, 12000),
    ),
    (
        "Épicerie fine",
        &["Café", "Thé", "Chocolat", "Miel", "Confiture"],
        (300, 3500),
    ),
    (
        "Sport",
        &["Chaussures", "Gourde", "Tapis", "Sac", "Legging"],
        (1200, 18000),
    ),
];

fn products_prices(rng: &mut Rng, n: usize) -> Vec<i128> {
    (0..n).map(|i| product_row(rng, i).3).collect()
}

fn product_row(rng: &mut Rng, i: usize) -> (String, String, &'static str, i128, i32) {
    let (cat, names, (lo, hi)) = CATEGORIES[i % CATEGORIES.len()];
    let base = rng.pick(names);
    let colour = rng.pick(&["bleu", "noir", "blanc", "rouge", "vert", "naturel", "doré"]);
    let price = rng.range(lo, hi) as i128 / 10 * 10 + 9;
    let day = 19_000 + rng.range(0, 1000) as i32;
    (
        format!("SKU-{:05}", i + 1),
        format!("{base} {colour}"),
        cat,
        price,
        day,
    )
}

fn products(rng: &mut Rng, n: usize) -> Vec<Vec<ArrayRef>> {
    let mut r = rng.clone();
    let out = chunks(n)
        .map(|range| {
            let (mut id, mut sku, mut name, mut cat, mut price, mut created) = (
                Int64Builder::new(),
                StringBuilder::new(),
                StringBuilder::new(),
                StringBuilder::new(),
                decimal(10, 2, range.len()),
                Date32Builder::new(),
            );
            for i in range {
                let (s, nm, c, p, d) = product_row(&mut r, i);
                id.append_value(i as i64 + 1);
                sku.append_value(s);
                name.append_value(nm);
                cat.append_value(c);
                price.append_value(p);
                created.append_value(d);
            }
            vec![
                Arc::new(id.finish()) as ArrayRef,
                Arc::new(sku.finish()),
                Arc::new(name.finish()),
                Arc::new(cat.finish()),
                Arc::new(price.finish()),
                Arc::new(created.finish()),
            ]
        })
        .collect();
    *rng = r;
    out
}

/// One person, before formatting.
#[derive(Clone)]
struct Person {
    female: bool,
    first: &'static str,
    last: &'static str,
    email: String,
    phone: u64,
    mobile: bool,
    birth: i32,
    number: i64,
    street_type: usize,
    street: &'static str,
    city: usize,
    postal: u32,
}

fn person(rng: &mut Rng) -> Person {
    let female = rng.chance(0.55);
    let first = *rng.pick(if female { FEMALE } else { MALE });
    let last = *rng.pick(LAST);
    let domain = rng.pick(DOMAINS);
    let local = match rng.below(4) {
        0 => format!("{}.{}", ascii(first), ascii(last)),
        1 => format!("{}{}", &ascii(first)[..1], ascii(last)),
        2 => format!("{}.{}{}", ascii(first), ascii(last), rng.range(1, 99)),
        _ => format!("{}_{}", ascii(last), rng.range(1960, 2005)),
    };
    let city = rng.below(CITIES.len() as u64) as usize;
    let (_, code, count) = CITIES[city];
    Person {
        female,
        first,
        last,
        email: format!("{local}@{domain}"),
        phone: rng.below(100_000_000),
        mobile: rng.chance(0.8),
        birth: -3650 + rng.range(0, 365 * 50) as i32,
        number: rng.range(1, 180),
        street_type: rng.below(STREET_TYPES.len() as u64) as usize,
        street: STREETS[rng.below(STREETS.len() as u64) as usize],
        city,
        postal: code + rng.below(count as u64) as u32,
    }
}

fn contacts(rng: &mut Rng, n: usize) -> Vec<Vec<ArrayRef>> {
    let sources = ["crm", "web_shop", "newsletter", "store", "support"];
    let mut people: Vec<Person> = Vec::with_capacity(n);
    let mut out = Vec::new();
    for range in chunks(n) {
        let mut b = (
            Int64Builder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
            Date32Builder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
            BooleanBuilder::new(),
            BooleanBuilder::new(),
            ts(),
        );
        for i in range {
            // About 7 % are someone we already have, entered again elsewhere.
            let dup = !people.is_empty() && rng.chance(0.07);
            let p = if dup {
                people[rng.below(people.len() as u64) as usize].clone()
            } else {
                person(rng)
            };
            let variant = if dup { 1 + rng.below(4) } else { 0 };
            b.0.append_value(i as i64 + 1);
            b.1.append_value(*rng.pick(&sources));
            let civ = match (p.female, rng.below(5)) {
                (_, 0) => None,
                (true, 1) => Some("Madame"),
                (true, 2) => Some("Mlle"),
                (true, _) => Some("Mme"),
                (false, 1) => Some("Monsieur"),
                (false, 2) => Some("M"),
                (false, _) => Some("M."),
            };
            b.2.append_option(civ);
            b.3.append_option((!rng.chance(0.01)).then_some(if variant == 2 {
                p.first.to_uppercase()
            } else {
                p.first.to_string()
            }));
            b.4.append_option((!rng.chance(0.01)).then(|| match variant {
                1 | 2 => p.last.to_uppercase(),
                _ => p.last.to_string(),
            }));
            let email = match variant {
                1 => format!(" {} ", p.email.to_uppercase()),
                3 => {
                    let (l, d) = p.email.split_once('@').expect("generated with @");
                    format!("{}@{}", capitalise(l), d.to_uppercase())
                }
                _ => p.email.clone(),
            };
            b.5.append_option((!rng.chance(0.04)).then_some(email));
            let style = if variant > 0 {
                rng.below(5)
            } else {
                i as u64 % 2
            };
            b.6.append_option((!rng.chance(0.12)).then(|| phone(rng, p.phone, p.mobile, style)));
            b.7.append_option((!rng.chance(0.2)).then_some(p.birth));
            let (long, short) = STREET_TYPES[p.street_type];
            let stype = if variant > 0 || rng.chance(0.3) {
                short
            } else {
                long
            };
            let street = if variant > 0 {
                p.street.replace("Saint-", "St ").replace("Sainte-", "Ste ")
            } else {
                p.street.to_string()
            };
            let bis = if p.number % 17 == 0 { " bis" } else { "" };
            b.8.append_option(
                (!rng.chance(0.05)).then(|| format!("{}{bis} {stype} {street}", p.number)),
            );
            b.9.append_value(format!("{:05}", p.postal));
            let city = CITIES[p.city].0;
            b.10.append_value(if variant == 2 {
                city.to_uppercase()
            } else {
                city.to_string()
            });
            b.11.append_value(*rng.pick(&["France", "France", "France", "FR", "france", "FRA"]));
            b.12.append_value(rng.chance(0.62));
            b.13.append_value(rng.chance(0.35));
            b.14.append_value((START + rng.range(-2 * 365 * 86_400, SPAN)) * 1_000_000);
            if !dup {
                people.push(p);
            }
        }
        out.push(vec![
            Arc::new(b.0.finish()) as ArrayRef,
            Arc::new(b.1.finish()),
            Arc::new(b.2.finish()),
            Arc::new(b.3.finish()),
            Arc::new(b.4.finish()),
            Arc::new(b.5.finish()),
            Arc::new(b.6.finish()),
            Arc::new(b.7.finish()),
            Arc::new(b.8.finish()),
            Arc::new(b.9.finish()),
            Arc::new(b.10.finish()),
            Arc::new(b.11.finish()),
            Arc::new(b.12.finish()),
            Arc::new(b.13.finish()),
            Arc::new(b.14.finish()),
        ]);
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Skewed customer choice: low ids order much more often.
fn skewed(rng: &mut Rng, n: usize) -> i64 {
    let u = rng.unit();
    (u * u * u * n as f64) as i64 + 1
}

fn orders_and_items(
    rng: &mut Rng,
    sizes: &Sizes,
    prices: &[i128],
    slice: std::ops::Range<usize>,
) -> (Vec<Vec<ArrayRef>>, Vec<Vec<ArrayRef>>) {
    let mut orders = Vec::new();
    let mut items = Vec::new();
    let (mut ii, mut il, mut ip, mut iq, mut iu) = item_builders();
    let mut pending = 0;
    for range in chunks_of(slice) {
        let (mut id, mut cid, mut date, mut chan, mut status, mut total, mut disc, mut cur) = (
            Int64Builder::new(),
            Int64Builder::new(),
            ts(),
            StringBuilder::new(),
            StringBuilder::new(),
            decimal(12, 2, range.len()),
            decimal(12, 2, range.len()),
            StringBuilder::new(),
        );
        for o in range {
            let order_id = o as i64 + 1;
            id.append_value(order_id);
            cid.append_value(skewed(rng, sizes.contacts));
            // Seasonal: more orders in November and December.
            let mut t = START + rng.range(0, SPAN);
            if rng.chance(0.15) {
                let year = rng.range(0, 2);
                t = START
                    + year * 365 * 86_400
                    + rng.range(304, 364) * 86_400
                    + rng.range(0, 86_399);
            }
            date.append_value(t * 1_000_000);
            chan.append_value(["web", "store", "app"][rng.weighted(&[0.55, 0.3, 0.15])]);
            status.append_value(
                ["delivered", "shipped", "cancelled", "returned"]
                    [rng.weighted(&[0.85, 0.06, 0.05, 0.04])],
            );
            let lines = 1 + rng.weighted(sizes.lines);
            let mut sum: i128 = 0;
            for l in 0..lines {
                let product = rng.below(prices.len() as u64) as usize;
                let qty = 1 + rng.weighted(&[0.75, 0.17, 0.05, 0.03]) as i32;
                ii.append_value(order_id);
                il.append_value(l as i32 + 1);
                ip.append_value(product as i64 + 1);
                iq.append_value(qty);
                iu.append_value(prices[product]);
                sum += prices[product] * qty as i128;
                pending += 1;
            }
            let discount = if rng.chance(0.2) { sum / 10 } else { 0 };
            total.append_value(sum - discount);
            disc.append_value(discount);
            cur.append_value("EUR");
            if pending >= BATCH {
                items.push(finish_items(&mut ii, &mut il, &mut ip, &mut iq, &mut iu));
                pending = 0;
            }
        }
        orders.push(vec![
            Arc::new(id.finish()) as ArrayRef,
            Arc::new(cid.finish()),
            Arc::new(date.finish()),
            Arc::new(chan.finish()),
            Arc::new(status.finish()),
            Arc::new(total.finish()),
            Arc::new(disc.finish()),
            Arc::new(cur.finish()),
        ]);
    }
    if pending > 0 {
        items.push(finish_items(&mut ii, &mut il, &mut ip, &mut iq, &mut iu));
    }
    (orders, items)
}

type ItemBuilders = (
    Int64Builder,
    Int32Builder,
    Int64Builder,
    Int32Builder,
    Decimal128Builder,
);

fn item_builders() -> ItemBuilders {
    (
        Int64Builder::new(),
        Int32Builder::new(),
        Int64Builder::new(),
        Int32Builder::new(),
        decimal(10, 2, BATCH),
    )
}

fn finish_items(
    a: &mut Int64Builder,
    b: &mut Int32Builder,
    c: &mut Int64Builder,
    d: &mut Int32Builder,
    e: &mut Decimal128Builder,
) -> Vec<ArrayRef> {
    vec![
        Arc::new(a.finish()) as ArrayRef,
        Arc::new(b.finish()),
        Arc::new(c.finish()),
        Arc::new(d.finish()),
        Arc::new(
            e.finish()
                .with_data_type(datafusion::arrow::datatypes::DataType::Decimal128(10, 2)),
        ),
    ]
}

fn events(rng: &mut Rng, sizes: &Sizes, slice: std::ops::Range<usize>) -> Vec<Vec<ArrayRef>> {
    let types = [
        "page_view",
        "product_view",
        "add_to_cart",
        "checkout",
        "purchase",
        "newsletter_open",
        "newsletter_click",
    ];
    let weights = [0.45, 0.2, 0.1, 0.05, 0.04, 0.11, 0.05];
    let pages = [
        "/",
        "/mode",
        "/beaute",
        "/maison",
        "/epicerie-fine",
        "/sport",
        "/panier",
        "/compte",
        "/promo",
    ];
    let sources = [
        "google",
        "facebook",
        "instagram",
        "newsletter",
        "direct",
        "bing",
    ];
    chunks_of(slice)
        .map(|range| {
            let (mut id, mut cid, mut anon, mut ty, mut at, mut url, mut utm, mut dev) = (
                Int64Builder::new(),
                Int64Builder::new(),
                StringBuilder::new(),
                StringBuilder::new(),
                ts(),
                StringBuilder::new(),
                StringBuilder::new(),
                StringBuilder::new(),
            );
            for e in range {
                id.append_value(e as i64 + 1);
                let known = rng.chance(0.7);
                cid.append_option(known.then(|| skewed(rng, sizes.contacts)));
                anon.append_value(format!("anon-{:08x}", rng.next_u64() as u32));
                let t = types[rng.weighted(&weights)];
                ty.append_value(t);
                at.append_value((START + rng.range(0, SPAN)) * 1_000_000);
                url.append_option(if t.starts_with("newsletter") {
                    None
                } else {
                    Some(*rng.pick(&pages))
                });
                utm.append_option(rng.chance(0.6).then(|| *rng.pick(&sources)));
                dev.append_value(["mobile", "desktop", "tablet"][rng.weighted(&[0.6, 0.33, 0.07])]);
            }
            vec![
                Arc::new(id.finish()) as ArrayRef,
                Arc::new(cid.finish()),
                Arc::new(anon.finish()),
                Arc::new(ty.finish()),
                Arc::new(at.finish()),
                Arc::new(url.finish()),
                Arc::new(utm.finish()),
                Arc::new(dev.finish()),
            ]
        })
        .collect()
}
