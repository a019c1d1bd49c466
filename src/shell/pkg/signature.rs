//! Package signature checks: the options of each installer that turn them off (apt
//! `--allow-unauthenticated`, apk `--allow-untrusted`, yum/dnf/tdnf `--nogpgcheck`, zypper
//! `--no-gpg-checks`, rpm `--nosignature`, settings such as `-o
//! APT::Get::AllowUnauthenticated=true` and `--setopt=gpgcheck=0`). tdnf and rpm install
//! packages without being [`super::Manager`]s (no index or cache dlint follows), so they are
//! known here by name.

use crate::shell::Command;

/// The option of `cmd` that turns signature checks off, if any.
pub fn signature_check_off(cmd: &Command) -> Option<String> {
    let name = cmd.name()?;
    let flags: &[&str] = match name {
        "apt-get" | "apt" | "aptitude" => &[
            "--allow-unauthenticated",
            "--allow-insecure-repositories",
            "--allow-downgrades-unauthenticated",
            "--force-yes",
        ],
        "apk" => &["--allow-untrusted"],
        "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" => &["--nogpgcheck", "--no-gpgcheck"],
        "zypper" => &["--no-gpg-checks", "--gpg-auto-import-keys-unsafe"],
        "rpm" => &["--nosignature", "--nodigest", "--nogpg"],
        _ => &[],
    };
    for w in cmd.args() {
        let v = w.value.as_str();
        if v == "--" {
            break;
        }
        if flags.contains(&v) {
            return Some(format!("`{name} {v}`"));
        }
        let lower = v.to_ascii_lowercase();
        // apt-get -o APT::Get::AllowUnauthenticated=true, dnf --setopt=gpgcheck=0
        let setting = lower.trim_start_matches("--setopt=");
        let off = match setting.split_once('=') {
            Some((k, val)) => {
                let on = matches!(val.trim_matches('"'), "1" | "true" | "yes");
                let zero = matches!(val.trim_matches('"'), "0" | "false" | "no");
                (on && (k.ends_with("allowunauthenticated")
                    || k.ends_with("allowinsecurerepositories")))
                    || (k.ends_with("gpgcheck") && zero)
            }
            None => false,
        };
        if off
            && matches!(
                name,
                "apt-get" | "apt" | "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf"
            )
        {
            return Some(format!("`{name} {v}`"));
        }
    }
    None
}
