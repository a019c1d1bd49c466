//! Reading a Dockerfile's text from a path or stdin.

/// Reads a file (or stdin for `-`) as UTF-8 text, replacing invalid sequences.
pub fn read_source(path: &std::path::Path) -> crate::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let res = if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    res.map_err(|source| crate::Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}
