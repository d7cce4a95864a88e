//! Memory allocator settings shared by the `tessera` binary and the
//! in-process benchmark runner, so that both measure the same thing.
//!
//! Both binaries install mimalloc as their global allocator (glibc's malloc
//! kept returning pages to the kernel and faulting them back while results
//! were streamed). [`tune`] then changes how mimalloc gives memory back.

use std::ffi::{c_int, c_long};

// Link mimalloc even where the caller has not named it yet.
use mimalloc as _;

// `mi_option_purge_decommits` in mimalloc's `mi_option_t` (the same position
// in its v2 and v3 headers; the Rust bindings export no constant for it
// without their `extended` feature).
const MI_OPTION_PURGE_DECOMMITS: c_int = 5;

unsafe extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
}

/// Purge freed memory with `MADV_FREE` instead of `MADV_DONTNEED`.
///
/// A query's hash tables and batches are freed when it ends and allocated
/// again by the next one (and by the next operator of the same query).
/// With mimalloc's default, pages it purges are unmapped from the process
/// and every reuse faults in a fresh zeroed page: in a `perf` profile of
/// small aggregation queries 11 % of the time was the kernel's `clear_page`,
/// and the RFM query at SF10 ran 15–20 % slower (1.46 s against 1.22–1.26 s,
/// interleaved runs, `BENCHMARKS.md`). With `MADV_FREE` the kernel still
/// takes the pages back when it needs memory, but a process that reuses
/// them first does so without a fault. Resident size as `top` reports it
/// stays higher between queries; the memory is free for other processes.
pub fn tune() {
    // SAFETY: `mi_option_set` only stores the value in mimalloc's option
    // table; it is thread-safe and valid at any time.
    unsafe { mi_option_set(MI_OPTION_PURGE_DECOMMITS, 0) };
}
