//! Writes the name pairs of the fuzzy-matching benchmark as Parquet:
//! `gen_name_pairs ROWS PATH` (columns `a`, `b`, both non-null text).
//!
//! `a` is a French "first last" name (compound first names, particles such
//! as "de La", accents: é, è, ç, ï, œ…), about 10 to 25 characters. `b` is,
//! in 3 rows of 4, `a` with one to three typos (deleted, inserted, doubled,
//! substituted or swapped letters, a dropped accent, a changed case, or the
//! words in the other order); in the others another random name. Fully
//! deterministic (SplitMix64, fixed seed), so runs and machines compare.

use std::fs::File;
use std::sync::Arc;

use anyhow::{Context, Result};
use datafusion::arrow::array::{RecordBatch, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::parquet::arrow::ArrowWriter;
use tessera_benches::Rng;

const FIRST: &[&str] = &[
    "Jean",
    "Marie",
    "Pierre",
    "Michel",
    "André",
    "Philippe",
    "René",
    "Louis",
    "Alain",
    "Jacques",
    "Bernard",
    "Françoise",
    "Monique",
    "Catherine",
    "Nathalie",
    "Isabelle",
    "Hélène",
    "Sylvie",
    "Chloé",
    "Léa",
    "Zoé",
    "Noémie",
    "Maëlle",
    "Anaïs",
    "Océane",
    "Élodie",
    "Clémence",
    "Mélanie",
    "Joël",
    "Gaël",
    "Loïc",
    "Benoît",
    "François",
    "Jérôme",
    "Stéphane",
    "Frédéric",
    "Sébastien",
    "Thérèse",
    "Agnès",
    "Cécile",
    "Geneviève",
    "Jean-Pierre",
    "Jean-François",
    "Marie-Hélène",
    "Anne-Sophie",
    "Pierre-Yves",
    "Marie-Thérèse",
    "Hervé",
    "Aurélien",
    "Valérie",
    "Josiane",
    "Ludovic",
    "Timothée",
    "Raphaël",
    "Mathéo",
    "Inès",
    "Camille",
    "Théo",
    "Noël",
    "Gisèle",
];
const LAST: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefebvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Légaré",
    "Bécaud",
    "Chénier",
    "Gérard",
    "Besançon",
    "Françon",
    "Desjardins",
    "Boucher",
    "Lemaître",
    "Benoît",
    "Cœur",
    "Lœuillet",
    "Hébert",
    "Pâquet",
    "Brûlé",
    "Gaumont",
    "Élie",
    "de La Fontaine",
    "de Villiers",
    "Le Goff",
    "Le Gall",
    "Saint-Exupéry",
    "Côté",
    "Thibodeaux",
    "Châtelain",
    "Mégret",
    "Poirier",
    "Rivière",
    "Delacroix",
    "Guérin",
];
/// Letters a typo inserts or substitutes.
const LETTERS: &[char] = &[
    'a', 'e', 'i', 'o', 'u', 'n', 'r', 's', 't', 'l', 'é', 'è', 'c', 'm', 'd',
];

fn pick<'a>(rng: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[rng.below(xs.len() as u64) as usize]
}

fn name(rng: &mut Rng) -> String {
    let mut s = String::new();
    // Keep to about 10..25 characters: retry long combinations.
    loop {
        s.clear();
        s.push_str(pick(rng, FIRST));
        s.push(' ');
        s.push_str(pick(rng, LAST));
        let n = s.chars().count();
        if (10..=25).contains(&n) || rng.below(4) == 0 {
            return s;
        }
    }
}

fn unaccented(c: char) -> char {
    match c {
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'à' | 'â' => 'a',
        'ï' | 'î' => 'i',
        'ô' => 'o',
        'û' | 'ü' => 'u',
        'ç' => 'c',
        'É' => 'E',
        _ => c,
    }
}

/// `s` with one typo.
fn typo(rng: &mut Rng, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    let i = rng.below(c.len() as u64) as usize;
    let letter = LETTERS[rng.below(LETTERS.len() as u64) as usize];
    match rng.below(8) {
        0 if c.len() > 3 => {
            c.remove(i);
        }
        1 => c.insert(i, letter),
        2 => c[i] = letter,
        3 if i + 1 < c.len() => c.swap(i, i + 1),
        4 => c.insert(i, c[i]),
        5 => {
            for ch in &mut c {
                *ch = unaccented(*ch);
            }
        }
        6 => {
            let up: String = c[i].to_uppercase().collect();
            let low: String = c[i].to_lowercase().collect();
            let other = if up == c[i].to_string() { low } else { up };
            c.splice(i..=i, other.chars());
        }
        _ => {
            // The words in the other order: "Martin Jean".
            let t: String = c.iter().collect();
            if let Some((first, last)) = t.split_once(' ') {
                return format!("{last} {first}");
            }
        }
    }
    c.into_iter().collect()
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, rows, path] = args.as_slice() else {
        anyhow::bail!("usage: gen_name_pairs ROWS PATH");
    };
    let rows: usize = rows.parse().context("ROWS")?;
    let schema = Arc::new(Schema::new(vec![
        Field::new("a", DataType::Utf8, false),
        Field::new("b", DataType::Utf8, false),
    ]));
    let file = File::create(path).with_context(|| format!("creating {path}"))?;
    let mut w = ArrowWriter::try_new(file, schema.clone(), None)?;
    let mut rng = Rng::new(0x07E5_5E4A_F022);
    let batch = 65_536;
    let mut done = 0;
    while done < rows {
        let n = batch.min(rows - done);
        let (mut a, mut b) = (
            StringBuilder::with_capacity(n, n * 20),
            StringBuilder::with_capacity(n, n * 20),
        );
        for _ in 0..n {
            let x = name(&mut rng);
            let y = if rng.below(4) == 0 {
                name(&mut rng)
            } else {
                let mut y = typo(&mut rng, &x);
                for _ in 0..rng.below(3) {
                    y = typo(&mut rng, &y);
                }
                y
            };
            a.append_value(&x);
            b.append_value(&y);
        }
        let cols: Vec<datafusion::arrow::array::ArrayRef> =
            vec![Arc::new(a.finish()), Arc::new(b.finish())];
        w.write(&RecordBatch::try_new(schema.clone(), cols)?)?;
        done += n;
    }
    w.close()?;
    Ok(())
}
