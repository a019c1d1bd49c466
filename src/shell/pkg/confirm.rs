//! Confirmation prompts: the options that answer a manager's "Do you want to continue?" so a
//! build does not wait for input, and the one a fix inserts.

use super::{Family, Invocation, Manager};

impl Manager {
    /// The options that answer this manager's confirmation prompt (empty for managers that do
    /// not ask).
    pub fn yes_options(&self) -> &'static [&'static str] {
        match self.family() {
            // dpkg asks nothing on `-i` (conffile questions aside: `--force-confdef`)
            _ if *self == Manager::Dpkg => &[],
            // nor does rpm (`rpm -i` has no prompt)
            _ if *self == Manager::Rpm => &[],
            Family::Apt => &["-y", "--yes", "--assume-yes", "--force-yes"],
            Family::Rpm => &["-y", "--assumeyes"],
            Family::Zypper => &["-n", "--non-interactive", "-y", "--no-confirm"],
            Family::Conda => &["-y", "--yes"],
            _ => &[],
        }
    }

    /// The option a fix inserts after the sub-command to answer the prompt.
    pub fn yes_option(&self) -> Option<&'static str> {
        (!self.yes_options().is_empty()).then_some("-y")
    }
}

impl Invocation<'_> {
    /// True when this invocation does not wait for a confirmation: one of its manager's
    /// [`Manager::yes_options`], or for apt a quiet level of 2 (`-qq`, `-q -q`, `-q=2`), which
    /// implies `-y`, or `-o APT::Get::Assume-Yes=true`.
    pub fn answers_yes(&self) -> bool {
        if self.has(self.manager.yes_options()) {
            return true;
        }
        if self.manager.family() != Family::Apt {
            return false;
        }
        // apt's quiet level adds up over `-q`s (`-qq`, `-q -q`, `-q --quiet`); `-q=N` sets it.
        let quiet_level: u32 = self
            .options
            .iter()
            .map(|o| match (o.name.as_str(), o.value.as_deref()) {
                ("-q" | "--quiet", Some(v)) => v.parse().unwrap_or(0),
                ("--quiet", None) => 1,
                (n, _) if n.starts_with('-') && !n.starts_with("--") => {
                    u32::try_from(n.matches('q').count()).unwrap_or(0)
                }
                _ => 0,
            })
            .sum();
        quiet_level >= 2
            || self.options.iter().any(|o| {
                o.value
                    .as_deref()
                    .is_some_and(|v| v.contains("Assume-Yes=true") || v.contains("Assume-Yes=1"))
            })
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::pkg::{Manager, invocations};

    #[test]
    fn yes_options_and_apt_quiet_levels() {
        for (src, yes) in [
            ("apt-get install -y curl", true),
            ("apt-get install -qq curl", true),
            ("apt-get -q -q install curl", true),
            ("apt-get -q=2 install curl", true),
            ("apt-get -o APT::Get::Assume-Yes=true install curl", true),
            ("apt-get -q install curl", false),
            ("apt-get install curl", false),
            ("yum install --assumeyes httpd", true),
            ("dnf install httpd", false),
            ("zypper -n install x", true),
            ("zypper install x", false),
            ("conda install --yes numpy", true),
        ] {
            let map = crate::dockerfile::SourceMap::identity(0, src.len());
            let s =
                crate::shell::parse_script(src, crate::shell::Mapping::Map { map: &map, base: 0 });
            assert_eq!(invocations(&s)[0].answers_yes(), yes, "{src}");
        }
        assert_eq!(Manager::Yum.yes_option(), Some("-y"));
        assert_eq!(Manager::Dpkg.yes_option(), None);
        assert_eq!(Manager::Apk.yes_option(), None);
    }
}
