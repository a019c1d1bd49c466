//! Packages a later RUN removes that an earlier RUN of the stage installed (`apt-get purge`,
//! `remove`, `dpkg -P`, `apk del`, `dnf remove`, `zypper rm`: a removal matches an install of
//! its manager's family), and the dependencies a removal orphaned that a later `autoremove` deletes: the
//! installing layer keeps their files either way.

use super::{LaterRemoval, MAX_CREATED, Match, Origin, StageState};
use crate::shell::Command;
use crate::shell::pkg::{Family, invocation};
use crate::shell::run::Run;

/// Dependencies a removal left behind: the RUN that installed them, the RUN of the removal
/// and the packages it removed.
#[derive(Debug, Clone)]
pub(super) struct Orphans {
    /// The family of the manager that removed (only its `autoremove` deletes them).
    family: Family,
    installed_by: usize,
    removed_in: usize,
    names: Vec<String>,
}

impl StageState {
    /// Follows command `k` of a RUN through the package model: installs are remembered in
    /// `mine` (the RUN's own), removals of what earlier RUNs installed are reported.
    pub(super) fn packages(
        &mut self,
        run: &Run,
        k: usize,
        c: &Command,
        mine: &mut Vec<(Family, String)>,
        out: &mut Vec<LaterRemoval>,
    ) {
        let Some(inv) = invocation(k, c) else {
            return;
        };
        let family = inv.manager.family();
        for n in inv.installed_names() {
            let n = (family, n);
            if !mine.contains(&n) && mine.len() < MAX_CREATED {
                mine.push(n);
            }
        }
        let Some(removal) = inv.removal() else {
            return;
        };
        let (mut matches, mut operands, mut all) = (Vec::new(), Vec::new(), true);
        let (mut own, mut from) = (Vec::new(), Vec::new());
        for p in &removal.packages {
            let Some(p) = p else {
                operands.push(None);
                all = false;
                continue;
            };
            operands.push(Some(p.name.clone()));
            if let Some(at) = mine.iter().position(|n| *n == (family, p.name.clone())) {
                own.push(mine.remove(at).1);
                all = false;
            } else if let Some(at) = self
                .installed
                .iter()
                .position(|(_, f, n)| *f == family && *n == p.name)
            {
                let (earlier, _, name) = self.installed.remove(at);
                from.push((earlier, name.clone()));
                matches.push(Match {
                    earlier,
                    path: name,
                    origin: Origin::Installed(inv.manager),
                });
            } else {
                all = false;
            }
        }
        if removal.orphans {
            // the dependencies an earlier removal left behind go now
            if let Some(o) = self.orphans.take_if(|o| o.family == family)
                && o.installed_by != run.index
            {
                matches.extend(o.names.into_iter().map(|n| Match {
                    earlier: o.installed_by,
                    path: n,
                    origin: Origin::Orphaned {
                        manager: inv.manager,
                        removed_there: o.removed_in == o.installed_by,
                    },
                }));
            }
        } else {
            // what this removal leaves behind: of one RUN's installs, else unknown
            let mut by: Vec<usize> = from.iter().map(|f| f.0).collect();
            if !own.is_empty() {
                by.push(run.index);
            }
            by.sort_unstable();
            by.dedup();
            self.orphans = match by.as_slice() {
                [one] => Some(Orphans {
                    family,
                    installed_by: *one,
                    removed_in: run.index,
                    names: own
                        .into_iter()
                        .chain(from.into_iter().map(|f| f.1))
                        .collect(),
                }),
                [] => self.orphans.take(),
                _ => None,
            };
        }
        if !matches.is_empty() {
            out.push(LaterRemoval {
                later: run.index,
                command: k,
                span: c.span,
                matches,
                operands,
                all_matched: all,
            });
        }
    }
}
