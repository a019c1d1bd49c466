//! The user each instruction runs as and that user's home directory: where per-user caches
//! (`~/.npm`, `~/.cache/pip`, `~/.cache/go-build` ...) end up. One place for the rules and for
//! `optimize`.

use super::SemanticModel;
use crate::dockerfile::InstructionKind;
use crate::shell::Command;

/// The home directory of the user in effect at an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Home {
    /// A known directory: `$HOME` set by ENV, `/root` for root, or the home a `useradd` /
    /// `adduser` of the Dockerfile gives the user.
    Dir(String),
    /// The home directory of this user, which the Dockerfile does not tell (created by the base
    /// image, or a system user whose home the tool decides).
    OfUser(String),
}

impl Home {
    /// `rel` (`.npm`) in the home directory: a path when the home is known, else words that
    /// say whose home it is (never a guessed path).
    pub fn join(&self, rel: &str) -> String {
        match self {
            Home::Dir(d) => format!("{}/{rel}", d.trim_end_matches('/')),
            Home::OfUser(u) => format!("~/{rel} (in the home directory of user `{u}`)"),
        }
    }

    /// The directory, when known.
    pub fn dir(&self) -> Option<&str> {
        match self {
            Home::Dir(d) => Some(d),
            Home::OfUser(_) => None,
        }
    }
}

/// The user facts of a file, computed in one pass: the user in effect at each instruction and
/// the users `useradd`/`adduser` create, by name and uid.
#[derive(Debug, Default)]
pub(super) struct Users {
    /// Indexed like the instructions: the user in effect (`None`: root or unknown).
    at: Vec<Option<String>>,
    /// User name or uid -> (instruction index, home), in file order.
    created: std::collections::HashMap<String, Vec<(usize, Option<String>)>>,
}

impl SemanticModel<'_> {
    fn users(&self) -> &Users {
        self.users.get_or_init(|| {
            let df = self.dockerfile();
            let mut at = vec![None; df.instructions.len()];
            let mut at_end: Vec<Option<String>> = Vec::with_capacity(df.stages.len());
            for (s, st) in df.stages.iter().enumerate() {
                let mut current = self
                    .base(s)
                    .filter(|&b| b < s)
                    .and_then(|b| at_end.get(b).cloned().flatten());
                for &i in &st.instructions {
                    if let Some(slot) = at.get_mut(i) {
                        *slot = current.clone();
                    }
                    if let Some(InstructionKind::User(word)) =
                        df.instructions.get(i).map(|x| &x.kind)
                    {
                        current = self.user_of(i, &word.value);
                    }
                }
                at_end.push(current);
            }
            let mut created: std::collections::HashMap<String, Vec<(usize, Option<String>)>> =
                std::collections::HashMap::new();
            for r in self.analysis().runs.iter().filter(|r| !r.onbuild) {
                let Some(script) = r.script.as_ref() else {
                    continue;
                };
                for u in script.commands.iter().filter_map(user_added) {
                    if let Some(uid) = u.uid {
                        created
                            .entry(uid)
                            .or_default()
                            .push((r.index, u.home.clone()));
                    }
                    created.entry(u.name).or_default().push((r.index, u.home));
                }
            }
            Users { at, created }
        })
    }

    /// The user a `USER` value at instruction `index` names (group dropped, variables
    /// expanded); `None` for root and for a variable without a known value.
    fn user_of(&self, index: usize, raw: &str) -> Option<String> {
        let df = self.dockerfile();
        let raw = crate::dockerfile::unquote(raw);
        let value = if raw.contains('$') {
            let e = self.with_scope(index, |env| env.expand(raw, df.escape).ok())??;
            if !e.unset.is_empty() {
                return None;
            }
            e.value
        } else {
            raw.to_string()
        };
        let user = value.split(':').next().unwrap_or("").trim().to_string();
        (!user.is_empty() && user != "root" && user != "0").then_some(user)
    }

    /// The user instruction `index` runs as (the name or id of the last `USER` before it in its
    /// stage or the stages it is built on, group and variables resolved); `None` for root (no
    /// USER, `USER root`, `USER 0`) and for a user whose variable has no known value.
    pub fn user_at(&self, index: usize) -> Option<String> {
        self.users().at.get(index).cloned().flatten()
    }

    /// The home directory of the user instruction `index` runs as: `$HOME` when ENV (or ARG)
    /// sets it, `/root` for root, the home a `useradd`/`adduser` before it gives that user
    /// (`-d`/`--home-dir`/`--home`/`-h`, else `/home/<name>`), else [`Home::OfUser`].
    pub fn home_at(&self, index: usize) -> Home {
        if let Some(h) = self.var(index, "HOME").filter(|h| h.starts_with('/')) {
            return Home::Dir(h);
        }
        let Some(user) = self.user_at(index) else {
            return Home::Dir("/root".into());
        };
        let home = self.users().created.get(&user).and_then(|v| {
            let pos = v.partition_point(|(i, _)| *i < index);
            pos.checked_sub(1)
                .and_then(|p| v.get(p))
                .map(|(_, h)| h.clone())
        });
        match home.flatten() {
            Some(h) => Home::Dir(h),
            None => Home::OfUser(user),
        }
    }
}

/// The name of the user `cmd` creates, when it is `useradd` or `adduser` with a literal name.
pub fn created_user(cmd: &Command) -> Option<String> {
    user_added(cmd).map(|a| a.name)
}

/// A user a `useradd` / `adduser` command creates.
struct Added {
    name: String,
    uid: Option<String>,
    /// Its home directory, when the command tells it.
    home: Option<String>,
}

/// The user `cmd` creates, when it is `useradd` or `adduser` (shadow, Debian or busybox).
fn user_added(cmd: &Command) -> Option<Added> {
    let program = crate::shell::basename(cmd.name()?);
    let (home_opts, uid_opts, value_opts, system): (&[&str], &[&str], &[&str], &[&str]) =
        match program {
            "useradd" => (
                &["-d", "--home-dir", "--home"],
                &["-u", "--uid"],
                &[
                    "-b",
                    "--base-dir",
                    "-c",
                    "--comment",
                    "-e",
                    "--expiredate",
                    "-f",
                    "--inactive",
                    "-g",
                    "--gid",
                    "-G",
                    "--groups",
                    "-k",
                    "--skel",
                    "-K",
                    "--key",
                    "-p",
                    "--password",
                    "-s",
                    "--shell",
                    "-R",
                    "--root",
                    "-P",
                    "--prefix",
                    "-Z",
                    "--selinux-user",
                ],
                &[],
            ),
            "adduser" => (
                &["-h", "--home"],
                &["-u", "--uid"],
                &[
                    "-g",
                    "-G",
                    "-s",
                    "-k",
                    "--shell",
                    "--gid",
                    "--ingroup",
                    "--gecos",
                    "--comment",
                    "--firstuid",
                    "--lastuid",
                    "--conf",
                    "--add-extra-groups",
                ],
                // Debian's `adduser --system` gives /nonexistent unless --home is given
                &["-S", "--system"],
            ),
            _ => return None,
        };
    let args = cmd.args();
    let (mut home, mut uid, mut operands, mut is_system) = (None, None, Vec::new(), false);
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let v = w.value.as_str();
        i += 1;
        let (name, inline) = match v.split_once('=') {
            Some((n, val)) if n.starts_with("--") => (n, Some(val.to_string())),
            _ => (v, None),
        };
        let takes = home_opts.contains(&name) || uid_opts.contains(&name);
        if takes || value_opts.contains(&name) {
            let value = inline.or_else(|| {
                let next = args.get(i).map(|n| n.value.clone());
                i += 1;
                next
            });
            if home_opts.contains(&name) {
                home = value;
            } else if uid_opts.contains(&name) {
                uid = value;
            }
        } else if system.contains(&name) {
            is_system = true;
        } else if !v.starts_with('-') {
            operands.push(w);
        }
    }
    // `useradd [options] NAME`; `adduser [options] NAME [GROUP]`
    let name = match program {
        "useradd" => operands.last(),
        _ => operands.first(),
    }?;
    if !name.is_static {
        return None;
    }
    let home = home
        .filter(|h| h.starts_with('/'))
        .or_else(|| (!is_system).then(|| format!("/home/{}", name.value)));
    Some(Added {
        name: name.value.clone(),
        uid,
        home,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::parse;

    fn home_of_last(src: &str) -> Home {
        let df = parse(src);
        let model = SemanticModel::new(&df);
        model.home_at(df.instructions.len() - 1)
    }

    #[test]
    fn homes_of_users() {
        assert_eq!(
            home_of_last("FROM a\nRUN npm ci\n"),
            Home::Dir("/root".into())
        );
        assert_eq!(
            home_of_last("FROM a\nRUN useradd -m app\nUSER app\nRUN npm ci\n"),
            Home::Dir("/home/app".into())
        );
        assert_eq!(
            home_of_last(
                "FROM a\nRUN useradd --home-dir /srv/app -u 1001 app\nUSER 1001:1001\nRUN x\n"
            ),
            Home::Dir("/srv/app".into())
        );
        assert_eq!(
            home_of_last("FROM a\nRUN adduser -D -h /opt/z zabbix\nUSER zabbix\nRUN x\n"),
            Home::Dir("/opt/z".into())
        );
        assert_eq!(
            home_of_last("FROM a\nRUN adduser --system zabbix\nUSER zabbix\nRUN x\n"),
            Home::OfUser("zabbix".into())
        );
        assert_eq!(
            home_of_last("FROM node:22\nUSER node\nRUN npm ci\n"),
            Home::OfUser("node".into())
        );
        assert_eq!(
            home_of_last("FROM node:22\nUSER node\nENV HOME=/home/node\nRUN npm ci\n"),
            Home::Dir("/home/node".into())
        );
        assert_eq!(
            home_of_last("FROM a AS b\nUSER app\nFROM b\nUSER root\nRUN x\n"),
            Home::Dir("/root".into())
        );
        assert_eq!(
            Home::OfUser("node".into()).join(".npm"),
            "~/.npm (in the home directory of user `node`)"
        );
    }
}
