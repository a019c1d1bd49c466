//! Package signature checks: the options of each installer that turn them off (apt
//! `--allow-unauthenticated`, apk `--allow-untrusted`, yum/dnf/tdnf `--nogpgcheck`, zypper
//! `--no-gpg-checks`, rpm `--nosignature`, settings such as `-o
//! APT::Get::AllowUnauthenticated=true` and `--setopt=gpgcheck=0`).

use super::{Manager, manager_of};
use crate::shell::Command;

impl Manager {
    /// The options of this manager that turn package signature checks off.
    pub fn signature_off_options(&self) -> &'static [&'static str] {
        match self {
            Manager::AptGet | Manager::Apt | Manager::Aptitude => &[
                "--allow-unauthenticated",
                "--allow-insecure-repositories",
                "--allow-downgrades-unauthenticated",
                "--force-yes",
            ],
            Manager::Apk => &["--allow-untrusted"],
            Manager::Yum | Manager::Dnf | Manager::Microdnf | Manager::Tdnf => {
                &["--nogpgcheck", "--no-gpgcheck"]
            }
            Manager::Zypper => &["--no-gpg-checks", "--gpg-auto-import-keys-unsafe"],
            Manager::Rpm => &["--nosignature", "--nodigest", "--nogpg"],
            _ => &[],
        }
    }

    /// True when a setting given as an option (`-o APT::Get::AllowUnauthenticated=true`,
    /// `--setopt=gpgcheck=0`) can turn this manager's signature checks off.
    fn takes_signature_setting(&self) -> bool {
        matches!(
            self,
            Manager::AptGet
                | Manager::Apt
                | Manager::Yum
                | Manager::Dnf
                | Manager::Microdnf
                | Manager::Tdnf
        )
    }
}

/// The option of `cmd` that turns signature checks off, if any.
pub fn signature_check_off(cmd: &Command) -> Option<String> {
    let name = cmd.name()?;
    let (manager, _) = manager_of(cmd)?;
    let flags = manager.signature_off_options();
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
        if off && manager.takes_signature_setting() {
            return Some(format!("`{name} {v}`"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::signature_check_off;

    #[test]
    fn tdnf_and_rpm_options_through_the_model() {
        for (src, want) in [
            ("tdnf install --nogpgcheck a", Some("`tdnf --nogpgcheck`")),
            (
                "/usr/bin/rpm -ivh --nosignature a.rpm",
                Some("`rpm --nosignature`"),
            ),
            (
                "tdnf --setopt=gpgcheck=0 install a",
                Some("`tdnf --setopt=gpgcheck=0`"),
            ),
            ("rpm --setopt=gpgcheck=0 -i a.rpm", None),
            ("dnf5 install --nogpgcheck a", Some("`dnf5 --nogpgcheck`")),
            ("curl --nogpgcheck", None),
        ] {
            let map = crate::dockerfile::SourceMap::identity(0, src.len());
            let s =
                crate::shell::parse_script(src, crate::shell::Mapping::Map { map: &map, base: 0 });
            let got = s.commands.first().and_then(signature_check_off);
            assert_eq!(got.as_deref(), want, "{src}");
        }
    }
}
