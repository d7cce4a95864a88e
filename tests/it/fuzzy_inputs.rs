//! Generated inputs for the fuzzy-matching differential test
//! (`fuzzy_differential`): pairs of French names (accents, hyphens,
//! particles), e-mail addresses and postal addresses, each paired with a
//! misspelt copy (insertions, deletions, transpositions, substitutions,
//! dropped accents, case changes, extra spaces, swapped words) or with an
//! unrelated value, plus edge cases: empty and blank strings, NULLs, ß œ Ç
//! and other letters whose case mappings are special, Cyrillic, CJK,
//! emoji, combining accents and strings longer than the 255-character limit
//! of `levenshtein` and `metaphone`.
//!
//! The generator is a seeded SplitMix64, so every run (and both servers,
//! and rapidfuzz) sees the same rows; nothing is downloaded.

/// One input row: two texts and the integer arguments of the functions
/// that take some (`levenshtein`'s costs, `levenshtein_less_equal`'s bound,
/// `metaphone`'s length).
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) a: Option<String>,
    pub(crate) b: Option<String>,
    pub(crate) ins: i32,
    pub(crate) del: i32,
    pub(crate) sub: i32,
    pub(crate) max_d: i32,
    pub(crate) mlen: i32,
}

/// SplitMix64: small, seeded, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// An integer in `lo..=hi`.
    fn range(&mut self, lo: i32, hi: i32) -> i32 {
        lo + self.below((hi - lo + 1) as usize) as i32
    }
}

const FIRST: &[&str] = &[
    "Jean",
    "Élodie",
    "François",
    "Hélène",
    "Jérôme",
    "Chloé",
    "Zoé",
    "Léa",
    "Anaïs",
    "Gaëlle",
    "Noël",
    "Loïc",
    "Cécile",
    "Benoît",
    "Amélie",
    "Théo",
    "Maël",
    "Inès",
    "Agnès",
    "Ève",
    "Stéphane",
    "Frédéric",
    "Bérénice",
    "Joël",
    "Jean-Pierre",
    "Marie-Thérèse",
    "Anne-Sophie",
    "Jean-François",
    "Marie",
    "Pierre",
    "Louis",
    "Camille",
    "Aurélien",
    "Océane",
    "Mathéo",
    "Léonie",
    "Clément",
    "Raphaël",
    "Françoise",
    "Géraldine",
    "Thérèse",
    "Jérémy",
    "Sébastien",
    "Pénélope",
    "Xavier",
    "Yannick",
    "Gwenaëlle",
    "Maëlys",
    "Aïcha",
    "Nathanaël",
];

const LAST: &[&str] = &[
    "Dupont",
    "Lefèvre",
    "Lefebvre",
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
    "Laurent",
    "Michel",
    "Garcia",
    "Faure",
    "Rousseau",
    "Fournier",
    "Girard",
    "Mercier",
    "Lemaître",
    "Côté",
    "Bérubé",
    "Gauthier",
    "Boucher",
    "Lévêque",
    "Castaño",
    "Müller",
    "Groß",
    "Strauß",
    "Œuvrard",
    "Dubœuf",
    "Çelik",
    "Le Goff",
    "Le Gall",
    "O'Neil",
    "N'Diaye",
    "Saint-Exupéry",
    "Bréchignac",
    "Schœlcher",
    "Tchaïkovski",
    "Knight",
    "Wright",
    "Thompson",
    "Schmidt",
    "Ghislain",
    "Caesar",
    "Jacques",
    "Xhaferi",
];

const PARTICLES: &[&str] = &[
    "de", "du", "de la", "d'", "des", "Le", "La", "van", "von", "De",
];

const DOMAINS: &[&str] = &[
    "gmail.com",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "wanadoo.fr",
    "sfr.fr",
    "yahoo.fr",
    "hotmail.com",
    "outlook.fr",
    "exemple.com",
    "Société-Générale.fr",
];

const STREET_TYPES: &[&str] = &[
    "rue",
    "avenue",
    "boulevard",
    "place",
    "impasse",
    "chemin",
    "allée",
    "quai",
    "av.",
    "bd",
    "Rue",
    "BOULEVARD",
];

const STREETS: &[&str] = &[
    "de la Paix",
    "des Champs-Élysées",
    "Saint-Germain",
    "de l'Hôtel-de-Ville",
    "des Lilas",
    "du Moulin",
    "Jean-Jaurès",
    "Victor-Hugo",
    "du Général-de-Gaulle",
    "de la République",
    "Émile-Zola",
    "des Écoles",
    "de Bretagne",
    "Pasteur",
    "Gambetta",
    "du Faubourg-Saint-Honoré",
];

const CITIES: &[(&str, &str)] = &[
    ("75002", "Paris"),
    ("42000", "Saint-Étienne"),
    ("25000", "Besançon"),
    ("45000", "Orléans"),
    ("30000", "Nîmes"),
    ("94000", "Créteil"),
    ("24000", "Périgueux"),
    ("13100", "Aix-en-Provence"),
    ("01000", "Bourg-en-Bresse"),
    ("94240", "L'Haÿ-les-Roses"),
    ("69001", "Lyon"),
    ("13001", "Marseille"),
    ("59000", "Lille"),
    ("97400", "Saint-Denis"),
    ("29200", "Brest"),
];

/// Edge cases used whole, or as one side of a pair.
const EDGE: &[&str] = &[
    "",
    " ",
    "   ",
    "a",
    "A",
    "é",
    "ß",
    "SS",
    "œ",
    "Œ",
    "oe",
    "Ç",
    "ç",
    "Æsir",
    "ǅ",
    "İstanbul",
    "ﬁlet",
    "ſ",
    "K",
    "µ",
    "ΣΑΣ",
    "ÿ",
    "Ÿ",
    "ŉ",
    "Ⅻ",
    "Иванов",
    "Пётр Ильич",
    "Наталья",
    "Чайковский",
    "Ёлка ёж",
    "москва",
    "日本語",
    "東京都",
    "😀 smile",
    "a😀b",
    "e\u{301}cole",
    "no\u{a0}break",
    "tab\there",
    "12345",
    "--",
    "''",
    "a-b-c",
    "l'été",
    "Mc Donald",
    "Ph.D.",
    "x y z",
    "   trim me   ",
    "ǈubljana",
    "Øresund",
    "Łódź",
    "Ærø",
    "Þór",
    "ð",
];

/// Letters typos insert or substitute.
const TYPO_CHARS: &[char] = &[
    'a', 'e', 'i', 'o', 'u', 'r', 's', 't', 'n', 'l', 'é', 'è', 'ê', 'à', 'ç', 'ô', 'ï', 'ü', 'œ',
    'ß', ' ', '-', '\'', '.', 'E', 'Z', 'x', 'h', '0', '7',
];

/// `s` without its accents (a simple table, as a careless typist drops them).
fn drop_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            'ñ' => 'n',
            'É' | 'È' | 'Ê' => 'E',
            'À' | 'Â' => 'A',
            'Ç' => 'C',
            'Î' => 'I',
            'Ô' => 'O',
            other => other,
        })
        .collect()
}

/// A name: first name and last name, sometimes with a particle, a second
/// first name, upper-case last name or "LAST, First" order.
fn name(r: &mut Rng) -> String {
    let first = r.pick(FIRST);
    let mut last = r.pick(LAST).to_string();
    if r.chance(15) {
        let p = r.pick(PARTICLES);
        last = if p.ends_with('\'') {
            format!("{p}{last}")
        } else {
            format!("{p} {last}")
        };
    }
    match r.below(6) {
        0 => format!("{first} {}", last.to_uppercase()),
        1 => format!("{}, {first}", last.to_uppercase()),
        2 => format!("{first} {} {last}", r.pick(FIRST)),
        3 => last,
        _ => format!("{first} {last}"),
    }
}

/// The lower-case ASCII form used in e-mail local parts.
fn slug(s: &str) -> String {
    drop_accents(s)
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-')
        .collect()
}

fn email(r: &mut Rng) -> String {
    let first = r.pick(FIRST);
    let last = r.pick(LAST);
    let domain = r.pick(DOMAINS);
    let local = match r.below(6) {
        0 => format!("{}.{}", slug(first), slug(last)),
        1 => format!(
            "{}{}{}",
            slug(first).chars().take(1).collect::<String>(),
            slug(last),
            r.below(100)
        ),
        2 => format!("{}_{}+news", slug(first), slug(last)),
        3 => format!("{}.{}", first.to_lowercase(), last.to_lowercase()),
        4 => slug(last).to_uppercase(),
        _ => format!("{}{}", slug(first), r.below(2000)),
    };
    format!("{local}@{domain}")
}

fn address(r: &mut Rng) -> String {
    let n = r.range(1, 250);
    let bis = if r.chance(15) { " bis" } else { "" };
    let (cp, city) = CITIES[r.below(CITIES.len())];
    let street = format!("{} {}", r.pick(STREET_TYPES), r.pick(STREETS));
    match r.below(4) {
        0 => format!("{n}{bis}, {street}, {cp} {city}"),
        1 => format!(
            "{n}{bis} {} {cp} {}",
            street.to_uppercase(),
            city.to_uppercase()
        ),
        2 => format!("{n} {street}\u{20}\u{20}{cp} {city}"),
        _ => format!("{n}{bis} {street}, {city}"),
    }
}

/// `s` with 0 to 3 typos.
fn misspell(r: &mut Rng, s: &str) -> String {
    let mut cs: Vec<char> = s.chars().collect();
    for _ in 0..r.below(4) {
        let len = cs.len();
        match r.below(11) {
            0 => cs.insert(r.below(len + 1), TYPO_CHARS[r.below(TYPO_CHARS.len())]),
            1 if len > 0 => {
                cs.remove(r.below(len));
            }
            2 if len > 1 => cs.swap(r.below(len - 1), r.below(len - 1) + 1),
            3 if len > 0 => cs[r.below(len)] = TYPO_CHARS[r.below(TYPO_CHARS.len())],
            4 => {
                cs = drop_accents(&cs.iter().collect::<String>())
                    .chars()
                    .collect()
            }
            5 => {
                cs = cs
                    .iter()
                    .collect::<String>()
                    .to_uppercase()
                    .chars()
                    .collect()
            }
            6 => {
                cs = cs
                    .iter()
                    .collect::<String>()
                    .to_lowercase()
                    .chars()
                    .collect()
            }
            7 if len > 0 => {
                let i = r.below(len);
                let c = cs[i];
                cs[i] = if c.is_uppercase() {
                    c.to_lowercase().next().unwrap_or(c)
                } else {
                    c.to_uppercase().next().unwrap_or(c)
                };
            }
            8 => {
                if r.chance(50) {
                    cs.insert(0, ' ');
                } else {
                    cs.push(' ');
                }
            }
            9 => {
                // Swap the first two words (token_sort_ratio's case).
                let text: String = cs.iter().collect();
                let mut words: Vec<&str> = text.split(' ').collect();
                if words.len() > 1 {
                    words.swap(0, 1);
                }
                cs = words.join(" ").chars().collect();
            }
            _ => {
                // Repeat a word (token_set_ratio's case).
                let text: String = cs.iter().collect();
                let word = text.split(' ').next().unwrap_or("").to_string();
                cs = format!("{text} {word}").chars().collect();
            }
        }
    }
    cs.into_iter().collect()
}

/// A string of about `len` characters built from names and addresses.
fn long(r: &mut Rng, len: usize) -> String {
    let mut s = String::new();
    while s.chars().count() < len {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&if r.chance(50) { name(r) } else { address(r) });
    }
    s.chars().take(len).collect()
}

fn value(r: &mut Rng) -> String {
    match r.below(10) {
        0..=4 => name(r),
        5 | 6 => email(r),
        7 | 8 => address(r),
        _ => r.pick(EDGE).to_string(),
    }
}

/// `n` rows, the same for the same `seed`.
pub(crate) fn rows(seed: u64, n: usize) -> Vec<Row> {
    let mut r = Rng(seed);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (a, b) = match r.below(100) {
            0..=29 => {
                let a = name(&mut r);
                let b = misspell(&mut r, &a);
                (Some(a), Some(b))
            }
            30..=41 => {
                let a = email(&mut r);
                let b = misspell(&mut r, &a);
                (Some(a), Some(b))
            }
            42..=53 => {
                let a = address(&mut r);
                let b = misspell(&mut r, &a);
                (Some(a), Some(b))
            }
            54..=69 => (Some(value(&mut r)), Some(value(&mut r))),
            70..=81 => {
                let a = r.pick(EDGE).to_string();
                let b = if r.chance(50) {
                    r.pick(EDGE).to_string()
                } else {
                    misspell(&mut r, &a)
                };
                (Some(a), Some(b))
            }
            82..=85 => {
                let v = value(&mut r);
                match r.below(3) {
                    0 => (None, Some(v)),
                    1 => (Some(v), None),
                    _ => (None, None),
                }
            }
            86..=89 => {
                // Around the 255-character limit, sometimes past it.
                let len = r.range(240, 300) as usize;
                let a = long(&mut r, len);
                let b = misspell(&mut r, &a);
                (Some(a), Some(b))
            }
            90..=93 => {
                let a = value(&mut r);
                (Some(a.clone()), Some(a))
            }
            _ => {
                let a = value(&mut r);
                (Some(a), Some(r.pick(EDGE).to_string()))
            }
        };
        // Alternate which side is longer.
        let (a, b) = if i % 2 == 1 { (b, a) } else { (a, b) };
        let cost = |r: &mut Rng| if r.chance(4) { -1 } else { r.range(0, 5) };
        out.push(Row {
            a,
            b,
            ins: cost(&mut r),
            del: cost(&mut r),
            sub: cost(&mut r),
            max_d: r.range(-1, 12),
            mlen: r.range(1, 12),
        });
    }
    out
}
