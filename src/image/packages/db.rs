//! The one reader of each OS package database: dpkg's `status` and Alpine's apk `installed`.
//! `dlint image`'s package list ([`super::os`]), `compare` and the optimizer's dependency
//! graphs (`optimize::dpkg`, `optimize::apk`) all read these records. Hostile input never
//! panics: CRLF stanzas are tolerated and sizes that overflow are unknown (`None`).

/// Iterates over the stanzas (blank-line separated paragraphs) of a dpkg/apk style database,
/// with LF or CRLF line ends.
pub fn stanzas(text: &str) -> impl Iterator<Item = &str> {
    text.split("\n\n")
        .flat_map(|s| s.split("\r\n\r\n"))
        .filter(|s| !s.trim().is_empty())
}

/// One installed package, as both databases record it: the one core record that `dlint
/// image`'s package list ([`super::OsPackage`], through `From`) and the optimizer's dependency
/// graph (`optimize::dpkg::Pkg` is this type) read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PkgRecord {
    /// dpkg `Package`, apk `P:`.
    pub name: String,
    /// dpkg `Version`, apk `V:`.
    pub version: String,
    /// dpkg `Architecture`, apk `A:`.
    pub arch: Option<String>,
    /// Installed size in bytes (dpkg `Installed-Size` is KiB in the file, apk `I:` bytes);
    /// `None` when missing or out of range.
    pub installed_size: Option<u64>,
    /// Packages named by dpkg `Depends` and `Pre-Depends` (every alternative, no version, no
    /// `:arch` qualifier), or apk `D:` (no version constraint, conflicts `!x` left out).
    pub depends: Vec<String>,
    /// Virtual packages it provides (dpkg `Provides`, apk `p:`), without versions.
    pub provides: Vec<String>,
    /// dpkg `Essential: yes` or `Priority: required` (apk has no such field: false).
    pub essential: bool,
}

/// The package names in a dpkg relation field (`a (>= 1) | b, python3:any`).
fn relation_names(list: &str) -> impl Iterator<Item = String> + '_ {
    list.split([',', '|']).filter_map(|d| {
        let name = d.trim().split([' ', '(']).next()?.trim();
        let name = name.split(':').next()?;
        (!name.is_empty()).then(|| name.to_string())
    })
}

/// The installed packages (`Status: install ok installed`) of a dpkg `status` file, in file
/// order.
pub fn read_dpkg_status(text: &str) -> Vec<PkgRecord> {
    let mut out = Vec::new();
    for stanza in stanzas(text) {
        let mut p = PkgRecord::default();
        let mut installed = false;
        for line in stanza.lines() {
            if line.starts_with([' ', '\t']) {
                continue; // continuation of a multi-line field (Description, Conffiles)
            }
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match key {
                "Package" => p.name = value.to_string(),
                "Version" => p.version = value.to_string(),
                "Architecture" => p.arch = Some(value.to_string()),
                "Installed-Size" => {
                    p.installed_size = value.parse::<u64>().ok().and_then(|k| k.checked_mul(1024))
                }
                "Status" => installed = value.split_whitespace().nth(2) == Some("installed"),
                "Depends" | "Pre-Depends" => p.depends.extend(relation_names(value)),
                "Provides" => p.provides.extend(relation_names(value)),
                "Essential" => p.essential |= value == "yes",
                "Priority" => p.essential |= value == "required",
                _ => {}
            }
        }
        if installed && !p.name.is_empty() {
            out.push(p);
        }
    }
    out
}

/// One installed package of apk's `lib/apk/db/installed`: the core record and its file list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApkRecord {
    /// Name, version, size, dependencies.
    pub record: PkgRecord,
    /// Its files (`F:` directory + `R:` file), one path per line, no leading `/`.
    pub files: String,
}

/// The name in an apk dependency or provider entry: `so:libc.musl-x86_64.so.1`,
/// `cmd:gcc=14.2`, `musl-dev>=1.2` all lose their version constraint.
pub fn apk_entry_name(entry: &str) -> Option<&str> {
    let name = entry
        .split(['=', '<', '>', '~'])
        .next()
        .unwrap_or("")
        .trim();
    (!name.is_empty()).then_some(name)
}

/// The packages of apk's `installed` database, in file order.
pub fn read_apk_installed(text: &str) -> Vec<ApkRecord> {
    let mut out = Vec::new();
    for stanza in stanzas(text) {
        let mut a = ApkRecord::default();
        let p = &mut a.record;
        let mut dir = "";
        for line in stanza.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match key {
                "P" => p.name = value.to_string(),
                "V" => p.version = value.to_string(),
                "A" => p.arch = Some(value.to_string()),
                "I" => p.installed_size = value.parse::<u64>().ok(),
                "D" => p.depends.extend(
                    value
                        .split_whitespace()
                        .filter(|d| !d.starts_with('!'))
                        .filter_map(apk_entry_name)
                        .map(str::to_string),
                ),
                "p" => p.provides.extend(
                    value
                        .split_whitespace()
                        .filter_map(apk_entry_name)
                        .map(str::to_string),
                ),
                "F" => dir = value,
                "R" => {
                    if !dir.is_empty() {
                        a.files.push_str(dir);
                        a.files.push('/');
                    }
                    a.files.push_str(value);
                    a.files.push('\n');
                }
                _ => {}
            }
        }
        if !a.record.name.is_empty() {
            out.push(a);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_crlf_and_overflow() {
        let text = "Package: a\r\nStatus: install ok installed\r\nInstalled-Size: 2\r\n\
                    Depends: libc6 (>= 2.36), python3:any | python3-minimal\r\n\r\n\
                    Package: b\r\nStatus: install ok installed\r\nPriority: required\r\n\
                    Installed-Size: 99999999999999999999\r\n";
        let p = read_dpkg_status(text);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].installed_size, Some(2048));
        assert_eq!(p[0].depends, ["libc6", "python3", "python3-minimal"]);
        assert_eq!(p[1].installed_size, None);
        assert!(p[1].essential && !p[0].essential);
        // a size that overflows only when multiplied by 1024
        let big = format!(
            "Package: c\nStatus: install ok installed\nInstalled-Size: {}\n",
            u64::MAX / 1000
        );
        assert_eq!(read_dpkg_status(&big)[0].installed_size, None);
    }

    #[test]
    fn apk_crlf_files_and_garbage() {
        let text = "P:musl\r\nV:1.2.5-r10\r\nI:696320\r\nD:so:libc.so !old\r\np:so:libc.musl-x86_64.so.1=1\r\n\
                    F:lib\r\nR:ld-musl-x86_64.so.1\r\n\r\nP:busybox\r\nI:99999999999999999999999\r\n";
        let p = read_apk_installed(text);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].files, "lib/ld-musl-x86_64.so.1\n");
        assert_eq!(p[0].record.depends, ["so:libc.so"]);
        assert_eq!(p[0].record.provides, ["so:libc.musl-x86_64.so.1"]);
        assert_eq!(p[1].record.installed_size, None);
        assert!(read_apk_installed("\u{0}\n\n:::\nP\n\nR:x").is_empty());
    }
}
