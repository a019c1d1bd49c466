//! Byte sizes: the one parser and the one formatter of the whole tool (gates, `--max-growth`,
//! every report), both from the `bytesize` crate.
//!
//! Units follow the SI/IEC convention that `docker images` and most tools use: `k`/`kB`, `M`/`MB`,
//! `G`/`GB`, `T`/`TB` are powers of 1000, `Ki`/`KiB`, `Mi`/`MiB`, `Gi`/`GiB`, `Ti`/`TiB` powers
//! of 1024, case-insensitive; a bare number is bytes. Sizes are printed in SI units with one
//! decimal (`16.3 MB`), bytes below 1 kB exactly (`999 B`).

use bytesize::ByteSize;

/// Parses a size: `4096`, `300kB`, `20MB`, `1.5G`, `2GiB` (see the module doc for the units).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    if !t.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Err(invalid(s));
    }
    t.parse::<ByteSize>()
        .map(|b| b.as_u64())
        .map_err(|_| invalid(s))
}

fn invalid(s: &str) -> String {
    format!(
        "invalid size {s:?} (examples: 4096, 500MB, 1.5G, 2GiB; k/M/G are powers of 1000, Ki/Mi/Gi of 1024)"
    )
}

/// Formats a size in SI units: `999 B`, `1.5 kB`, `16.3 MB`, `2.7 GB`.
pub fn human(bytes: u64) -> String {
    ByteSize(bytes).display().si().to_string()
}

/// Signed size: `+1.2 MB`, `-300 B`, `0 B`.
pub fn human_signed(diff: i64) -> String {
    match diff {
        0 => "0 B".to_string(),
        d if d > 0 => format!("+{}", human(d.unsigned_abs())),
        d => format!("-{}", human(d.unsigned_abs())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimal_and_binary_units() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("1k"), Ok(1000));
        assert_eq!(parse_size("1KB"), Ok(1000));
        assert_eq!(parse_size("1KiB"), Ok(1024));
        assert_eq!(parse_size("1G"), Ok(1_000_000_000));
        assert_eq!(parse_size("1gb"), Ok(1_000_000_000));
        assert_eq!(parse_size("1Gi"), Ok(1 << 30));
        assert_eq!(parse_size("1.5 GiB"), Ok(3 << 29));
        assert_eq!(parse_size(" 20MB "), Ok(20_000_000));
        for bad in ["", "MB", "-1", "5 parsecs", "1.2.3MB", "1e3"] {
            assert!(parse_size(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn formats_si() {
        assert_eq!(human(0), "0 B");
        assert_eq!(human(999), "999 B");
        assert_eq!(human(1500), "1.5 kB");
        assert_eq!(human(16_300_000), "16.3 MB");
        assert_eq!(human(2_710_000_000), "2.7 GB");
        assert_eq!(human_signed(-300), "-300 B");
        assert_eq!(human_signed(1_200_000), "+1.2 MB");
        assert_eq!(human_signed(0), "0 B");
    }
}
