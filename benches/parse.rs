//! Parser throughput over the whole corpus (`../shared/corpus/dockerfiles`), one core.
//!
//! Run: `cargo bench --bench parse` (prints MB/s; `DLINT_BENCH_SECS` sets the duration).

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dockerfiles");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n != "SOURCES.txt"))
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    files.sort();
    let bytes: usize = files.iter().map(String::len).sum();
    let secs: f64 = std::env::var("DLINT_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    // Warm up.
    let mut instructions = 0usize;
    for f in &files {
        instructions += dlint::dockerfile::parse(f).instructions.len();
    }
    let mut best = Duration::MAX;
    let mut rounds = 0;
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < secs || rounds < 3 {
        let t = Instant::now();
        for f in &files {
            std::hint::black_box(dlint::dockerfile::parse(std::hint::black_box(f)));
        }
        best = best.min(t.elapsed());
        rounds += 1;
    }
    let total = start.elapsed();
    let mean = total / rounds;
    let mbs = |d: Duration| bytes as f64 / 1e6 / d.as_secs_f64();
    println!(
        "parse: {} files, {:.2} MB, {} instructions; {} rounds; best {:.2} ms ({:.0} MB/s), mean {:.2} ms ({:.0} MB/s)",
        files.len(),
        bytes as f64 / 1e6,
        instructions,
        rounds,
        best.as_secs_f64() * 1e3,
        mbs(best),
        mean.as_secs_f64() * 1e3,
        mbs(mean),
    );
}
