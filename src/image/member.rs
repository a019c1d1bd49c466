//! Member names and size limits shared by every blob store (archives, layouts, registries).

/// Most bytes a JSON document (manifest, index, config) may have.
pub(crate) const MAX_JSON: u64 = 64 << 20;

/// Normalises a member name: drops `./` and leading `/`, trailing `/`.
pub(crate) fn norm_member(name: &str) -> String {
    let mut s = name;
    loop {
        if let Some(r) = s.strip_prefix("./") {
            s = r;
        } else if let Some(r) = s.strip_prefix('/') {
            s = r;
        } else {
            break;
        }
    }
    s.trim_end_matches('/').to_string()
}
