//! The program in readable form (`qualify compile --listing`): fields and
//! whether they are read, then one line per node, then what each criterion,
//! disqualifier and stage runs.

use super::{Args, Earn, Node, NodeId, Program, Set};
use crate::model::{format_exact, Value};
use crate::plural::count;
use std::fmt::Write;

impl Program {
    /// A human-readable listing, stable for snapshot tests.
    pub fn listing(&self) -> String {
        let m = &self.model;
        let mut out = String::new();
        let name = m.name.as_deref().unwrap_or("(unnamed)");
        let _ = writeln!(
            out,
            "program for \"{name}\": {}, {}, {}, {} ({} run as sets)",
            count(self.nodes.len(), "node", "nodes"),
            count(self.consts.len(), "constant", "constants"),
            count(self.sets.len(), "set", "sets"),
            count(self.regexes.len(), "regex", "regexes"),
            self.regexes.iter().filter(|r| r.in_set.is_some()).count(),
        );
        out.push_str("\nfields\n");
        for (f, field) in m.fields.iter().enumerate() {
            let read = if self.used_fields[f] {
                if self.folded_fields[f] {
                    "read, folded"
                } else {
                    "read"
                }
            } else {
                "checked only"
            };
            let _ = writeln!(
                out,
                "  f{f:<3} {:<18} {:<7} from \"{}\"  ({read})",
                field.name,
                field.ty.article().trim_start_matches("a "),
                field.column
            );
        }
        out.push_str("\nnodes\n");
        for (id, node) in self.nodes.iter().enumerate() {
            let shared = if self.uses[id] > 1 {
                format!("   (used {}×)", self.uses[id])
            } else {
                String::new()
            };
            let _ = writeln!(out, "  n{id:<4} = {}{shared}", self.describe(*node));
        }
        for (i, s) in self.regex_sets.iter().enumerate() {
            let members: Vec<String> = s
                .members
                .iter()
                .map(|&r| format!("/{}/", self.regexes[r as usize].pattern))
                .collect();
            let _ = writeln!(
                out,
                "  regex set {i} over {}: {}",
                m.fields[s.field].name,
                members.join(" ")
            );
        }
        out.push_str("\ncriteria, in evaluation order\n");
        for c in &self.criteria {
            let crit = &m.criteria[c.criterion];
            let points = if c.points == 0.0 {
                String::new()
            } else {
                format!(" {}", crate::number::signed(c.points, format_exact))
            };
            let body = match &c.earn {
                Earn::Fixed { condition, decay } => {
                    let mut s = format!("when n{condition}");
                    if let Some(d) = decay {
                        let _ = write!(
                            s,
                            ", halving every {} days since {}",
                            format_exact(d.half_life_days),
                            m.fields[d.since].name
                        );
                    }
                    s
                }
                Earn::PerUnit {
                    amount,
                    cap,
                    condition,
                    decay,
                } => {
                    let mut s = format!("per n{amount}");
                    if let Some(cap) = cap {
                        let _ = write!(s, ", at most {}", format_exact(*cap));
                    }
                    if let Some(d) = decay {
                        let _ = write!(
                            s,
                            ", halving every {} days since {}",
                            format_exact(d.half_life_days),
                            m.fields[d.since].name
                        );
                    }
                    if let Some(c) = condition {
                        let _ = write!(s, " when n{c}");
                    }
                    s
                }
                Earn::ByValue {
                    field,
                    entries,
                    otherwise,
                } => {
                    let mut s = format!("by {} {{", m.fields[*field].name);
                    for e in entries {
                        let points = crate::number::signed(e.points, format_exact);
                        let _ = write!(s, " {}: {points},", e.key.display());
                    }
                    let otherwise = crate::number::signed(*otherwise, format_exact);
                    let _ = write!(s, " otherwise {otherwise} }}");
                    s
                }
            };
            let group = crit
                .group
                .map(|g| format!("  [{}]", m.groups[g].name))
                .unwrap_or_default();
            let _ = writeln!(out, "  \"{}\"{points} {body}{group}", crit.name);
        }
        out.push_str("\ndisqualifiers\n");
        for (d, node) in self.disqualifiers.iter().enumerate() {
            let _ = writeln!(out, "  \"{}\" when n{node}", m.disqualifiers[d].reason);
        }
        out.push_str("\nstages\n");
        for (s, cond) in self.stages.iter().enumerate() {
            let what = match cond {
                Some(n) => format!("when n{n}"),
                None => "otherwise".into(),
            };
            let _ = writeln!(out, "  \"{}\" {what}", m.stages[s].name);
        }
        // Only with routes, so a listing without them reads as it did.
        if !self.routes.is_empty() {
            out.push_str("\nroutes\n");
        }
        for (r, cond) in self.routes.iter().enumerate() {
            let what = match cond {
                Some(n) => format!("when n{n}"),
                None => "otherwise".into(),
            };
            let _ = writeln!(out, "  \"{}\" {what}", m.routes[r].name);
        }
        out
    }

    fn list(&self, args: Args) -> String {
        self.operands(args)
            .iter()
            .map(|a| format!("n{a}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn describe(&self, node: Node) -> String {
        let m = &self.model;
        let n = |id: NodeId| format!("n{id}");
        match node {
            Node::Const(k) => format!("const {}", self.consts[k as usize].value.display()),
            Node::Field(f) => format!("field {}", m.fields[f].name),
            Node::Score => "score".into(),
            Node::GroupScore(g) => format!("group score {}", m.groups[g].name),
            Node::Matched(c) => format!("matched \"{}\"", m.criteria[c].name),
            Node::StageIs(s) => {
                format!("stage = \"{}\"", m.stage_names().nth(s).unwrap_or_default())
            }
            Node::AtLeast(k, a) => format!("at least {k} of ({})", self.list(a)),
            Node::And(a) => format!("and ({})", self.list(a)),
            Node::Or(a) => format!("or ({})", self.list(a)),
            Node::DaysSince(x) => format!("days since {}", n(x)),
            Node::BusinessDaysSince(x) => format!("business days since {}", n(x)),
            Node::Neg(x) => format!("- {}", n(x)),
            Node::Not(x) => format!("not {}", n(x)),
            Node::Arith(op, a, b) => format!("{} {} {}", n(a), op.symbol(), n(b)),
            Node::Compare(op, a, b) => format!("{} {} {}", n(a), compare_symbol(op), n(b)),
            Node::Between(x, lo, hi) => format!("{} between {} and {}", n(x), n(lo), n(hi)),
            Node::In(x, s, negated) => format!(
                "{} {} {}",
                n(x),
                if negated { "not in" } else { "in" },
                self.describe_set(&self.sets[s as usize])
            ),
            Node::TextTest(op, a, b) => format!("{} {} {}", n(a), op.words(), n(b)),
            Node::Matches(x, r) => {
                format!("{} matches /{}/", n(x), self.regexes[r as usize].pattern)
            }
            Node::IsMissing(x) => format!("{} is missing", n(x)),
            Node::IsPresent(x) => format!("{} is present", n(x)),
            Node::Call(f, a, _) => {
                let args: Vec<String> = self.operands(a).iter().map(|&x| n(x)).collect();
                f.call(&args)
            }
        }
    }

    fn describe_set(&self, set: &Set) -> String {
        let (items, how): (Vec<String>, _) = match set {
            Set::Texts(l, _) => (l.iter().map(|t| format!("\"{t}\"")).collect(), l.len()),
            Set::Numbers(l, _) => (l.iter().map(|x| format_exact(*x)).collect(), l.len()),
            Set::Dates(l, _) => (
                l.iter().map(|d| Value::Date(*d).display()).collect(),
                l.len(),
            ),
        };
        let kind = if how > super::HASH_ABOVE {
            "hashed"
        } else {
            "scanned"
        };
        format!("[{}] ({kind})", items.join(", "))
    }
}

fn compare_symbol(op: crate::ast::CompareOp) -> &'static str {
    use crate::ast::CompareOp::*;
    match op {
        Eq => "=",
        Ne => "!=",
        Lt => "<",
        Le => "<=",
        Gt => ">",
        Ge => ">=",
    }
}
