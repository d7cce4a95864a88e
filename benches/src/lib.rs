//! # tessera-benches: Tessera against the tools users would otherwise pick
//!
//! Each area has a script under `benches/<area>/run.sh` that builds what it
//! needs, runs Tessera and the alternatives side by side in one run, and
//! prints the table recorded in `BENCHMARKS.md`. Data generators are small
//! binaries of this crate (`src/bin/`), deterministic so runs compare.

/// SplitMix64, the generators' deterministic random source.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}
