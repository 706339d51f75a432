//! Model expressions → program nodes, folding constants and sharing identical
//! sub-expressions on the way.

use super::Passes;
use crate::model::{Earning, Expr, ExprKind, Model, Value, ValueSet};
use crate::program::*;
use crate::semantics::expr;
use crate::semantics::score::weekday_holidays;
use crate::semantics::text::fold as fold_text;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

struct Lowerer {
    passes: Passes,
    model: Arc<Model>,
    nodes: Vec<Node>,
    args: Vec<NodeId>,
    consts: Vec<Constant>,
    sets: Vec<Set>,
    regexes: Vec<RegexCode>,
    node_ids: HashMap<Node, NodeId>,
    arg_ids: HashMap<Vec<NodeId>, Args>,
    const_ids: HashMap<String, ConstId>,
    set_ids: HashMap<String, SetId>,
    regex_ids: HashMap<String, RegexId>,
}

pub fn lower(model: Arc<Model>, passes: Passes) -> Program {
    let mut l = Lowerer {
        passes,
        model: model.clone(),
        nodes: Vec::new(),
        args: Vec::new(),
        consts: Vec::new(),
        sets: Vec::new(),
        regexes: Vec::new(),
        node_ids: HashMap::new(),
        arg_ids: HashMap::new(),
        const_ids: HashMap::new(),
        set_ids: HashMap::new(),
        regex_ids: HashMap::new(),
    };
    let mut criteria = Vec::new();
    for &c in &model.evaluation_order {
        let crit = &model.criteria[c];
        let earn = match &crit.earning {
            Earning::Fixed { condition, decay } => Earn::Fixed {
                condition: l.expr(condition),
                decay: decay.clone(),
            },
            Earning::PerUnit {
                amount,
                cap,
                condition,
                decay,
            } => Earn::PerUnit {
                amount: l.expr(amount),
                cap: *cap,
                condition: condition.as_ref().map(|c| l.expr(c)),
                decay: decay.clone(),
            },
            Earning::ByValue {
                field,
                entries,
                otherwise,
            } => Earn::ByValue {
                field: *field,
                entries: entries.clone(),
                otherwise: *otherwise,
            },
        };
        criteria.push(CriterionCode {
            criterion: c,
            points: crit.points,
            earn,
        });
    }
    let disqualifiers = model
        .disqualifiers
        .iter()
        .map(|d| l.expr(&d.condition))
        .collect();
    let stages = model
        .stages
        .iter()
        .map(|s| s.condition.as_ref().map(|c| l.expr(c)))
        .collect();
    let routes = model
        .routes
        .iter()
        .map(|r| r.condition.as_ref().map(|c| l.expr(c)))
        .collect();
    let mut program = Program {
        nodes: l.nodes,
        uses: Vec::new(),
        args: l.args,
        consts: l.consts,
        sets: l.sets,
        regexes: l.regexes,
        regex_sets: Vec::new(),
        criteria,
        disqualifiers,
        stages,
        routes,
        used_fields: vec![false; model.fields.len()],
        folded_fields: vec![false; model.fields.len()],
        holidays: weekday_holidays(&model),
        model: model.clone(),
    };
    count_uses(&mut program);
    program
}

/// Uses of each node, which fields are read, and which need folded text.
fn count_uses(p: &mut Program) {
    let mut uses = vec![0u32; p.nodes.len()];
    let mut roots: Vec<NodeId> = Vec::new();
    for c in &p.criteria {
        match &c.earn {
            Earn::Fixed { condition, decay } => {
                roots.push(*condition);
                if let Some(d) = decay {
                    p.used_fields[d.since] = true;
                }
            }
            Earn::PerUnit {
                amount,
                condition,
                decay,
                ..
            } => {
                roots.push(*amount);
                roots.extend(condition);
                if let Some(d) = decay {
                    p.used_fields[d.since] = true;
                }
            }
            Earn::ByValue { field, .. } => p.used_fields[*field] = true,
        }
    }
    roots.extend(&p.disqualifiers);
    roots.extend(p.stages.iter().flatten());
    roots.extend(p.routes.iter().flatten());
    for r in roots {
        uses[r as usize] += 1;
    }
    for id in 0..p.nodes.len() {
        let node = p.nodes[id];
        for o in p.children(node) {
            uses[o as usize] += 1;
        }
        match node {
            Node::Field(f) => p.used_fields[f] = true,
            // Text fields these compare are folded (a `matches` reads the text as is).
            Node::Compare(..) | Node::TextTest(..) | Node::Between(..) | Node::In(..) => {
                let fields: Vec<usize> = p
                    .children(node)
                    .filter_map(|x| match p.nodes[x as usize] {
                        Node::Field(f) => Some(f),
                        _ => None,
                    })
                    .collect();
                for f in fields {
                    p.folded_fields[f] |= p.model.fields[f].ty == crate::model::Type::Text;
                }
            }
            _ => {}
        }
    }
    p.uses = uses;
}

/// The `N` of `at least N of (...)` over `items` operands, as the program
/// keeps it (32 bits, like its operand counts). Any `N` above `items` can
/// never be met and never be out of reach, so it means what `items + 1`
/// means; saturating there keeps an absurd `N` (4294967297, which would
/// wrap to 1) meaning "no", as the reference evaluator reads it.
fn at_least_count(n: usize, items: usize) -> u32 {
    u32::try_from(n.min(items.saturating_add(1))).unwrap_or(u32::MAX)
}

/// Whether an expression reads nothing from the inquiry or the run (no field,
/// score, criterion or as-of date), so its value is known at compile time.
fn is_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Const(_) => true,
        ExprKind::Field(_)
        | ExprKind::Score
        | ExprKind::GroupScore(_)
        | ExprKind::StageIs(_)
        | ExprKind::Matched(_)
        | ExprKind::DaysSince(_)
        | ExprKind::BusinessDaysSince(_)
        | ExprKind::Aggregate(_) => false,
        _ => e.children().all(is_constant),
    }
}

impl Lowerer {
    fn expr(&mut self, e: &Expr) -> NodeId {
        if self.passes.fold_constants && !matches!(e.kind, ExprKind::Const(_)) && is_constant(e) {
            let value = self.evaluate_constant(e);
            return self.constant(value);
        }
        let node = match &e.kind {
            ExprKind::Const(v) => return self.constant(v.clone()),
            ExprKind::Field(f) => Node::Field(*f),
            // The program's model carries each aggregate as a field after
            // the lead's own (`super::with_aggregate_fields`).
            ExprKind::Aggregate(a) => {
                Node::Field(self.model.fields.len() - self.model.aggregates.len() + a)
            }
            ExprKind::Score => Node::Score,
            ExprKind::GroupScore(g) => Node::GroupScore(*g),
            ExprKind::Matched(c) => Node::Matched(*c),
            ExprKind::StageIs(s) => Node::StageIs(*s),
            ExprKind::AtLeast(n, items) => {
                let ids: Vec<NodeId> = items.iter().map(|i| self.expr(i)).collect();
                Node::AtLeast(at_least_count(*n, items.len()), self.args(ids))
            }
            ExprKind::And(items) => return self.logic(items, true),
            ExprKind::Or(items) => return self.logic(items, false),
            ExprKind::DaysSince(x) => Node::DaysSince(self.expr(x)),
            ExprKind::BusinessDaysSince(x) => Node::BusinessDaysSince(self.expr(x)),
            ExprKind::Neg(x) => Node::Neg(self.expr(x)),
            ExprKind::Not(x) => Node::Not(self.expr(x)),
            ExprKind::Arith(op, a, b) => Node::Arith(*op, self.expr(a), self.expr(b)),
            ExprKind::Compare(op, a, b) => Node::Compare(*op, self.expr(a), self.expr(b)),
            ExprKind::Between(a, b, c) => Node::Between(self.expr(a), self.expr(b), self.expr(c)),
            ExprKind::In {
                value,
                set,
                negated,
            } => Node::In(self.expr(value), self.set(set), *negated),
            ExprKind::TextTest(op, a, b) => Node::TextTest(*op, self.expr(a), self.expr(b)),
            ExprKind::Matches(x, re) => Node::Matches(self.expr(x), self.regex(re)),
            ExprKind::IsMissing(x) => Node::IsMissing(self.expr(x)),
            ExprKind::IsPresent(x) => Node::IsPresent(self.expr(x)),
            ExprKind::Call(f, args) => {
                let ids: Vec<NodeId> = args.iter().map(|a| self.expr(a)).collect();
                Node::Call(*f, self.args(ids), e.ty)
            }
        };
        self.node(node)
    }

    /// `and` (`is_and`) or `or`: constants that cannot change the result are
    /// dropped, one that decides it replaces the whole.
    fn logic(&mut self, items: &[Expr], is_and: bool) -> NodeId {
        let mut ids = Vec::new();
        for item in items {
            let id = self.expr(item);
            if self.passes.fold_constants {
                if let Node::Const(k) = self.nodes[id as usize] {
                    match self.consts[k as usize].value {
                        Value::Bool(b) if b == is_and => continue,
                        Value::Bool(b) => return self.constant(Value::Bool(b)),
                        _ => {}
                    }
                }
            }
            ids.push(id);
        }
        if self.passes.fold_constants && ids.is_empty() {
            return self.constant(Value::Bool(is_and));
        }
        if self.passes.fold_constants && ids.len() == 1 {
            return ids[0];
        }
        let args = self.args(ids);
        self.node(if is_and {
            Node::And(args)
        } else {
            Node::Or(args)
        })
    }

    /// The reference evaluator is the definition of a constant's value.
    fn evaluate_constant(&self, e: &Expr) -> Value {
        let env = expr::Env::of_values(&self.model, &[], 0, &[]);
        expr::eval(e, &env)
    }

    fn node(&mut self, node: Node) -> NodeId {
        if self.passes.share {
            if let Some(&id) = self.node_ids.get(&node) {
                return id;
            }
        }
        let id = self.nodes.len() as NodeId;
        self.nodes.push(node);
        if self.passes.share {
            self.node_ids.insert(node, id);
        }
        id
    }

    fn args(&mut self, ids: Vec<NodeId>) -> Args {
        if self.passes.share {
            if let Some(&a) = self.arg_ids.get(&ids) {
                return a;
            }
        }
        let a = Args {
            start: self.args.len() as u32,
            len: ids.len() as u32,
        };
        self.args.extend(&ids);
        self.arg_ids.insert(ids, a);
        a
    }

    fn constant(&mut self, value: Value) -> NodeId {
        let key = format!("{value:?}");
        let k = match self.const_ids.get(&key) {
            Some(&k) => k,
            None => {
                let folded = match &value {
                    Value::Text(t) => Some(fold_text(t)),
                    _ => None,
                };
                self.consts.push(Constant { value, folded });
                let k = (self.consts.len() - 1) as ConstId;
                self.const_ids.insert(key, k);
                k
            }
        };
        self.node(Node::Const(k))
    }

    fn set(&mut self, set: &Arc<ValueSet>) -> SetId {
        let key = format!("{:?}", set.shown);
        if let Some(&s) = self.set_ids.get(&key) {
            return s;
        }
        let code = if !set.texts.is_empty() {
            Set::Texts(set.texts.clone(), set.texts.iter().cloned().collect())
        } else if !set.numbers.is_empty() {
            Set::Numbers(
                set.numbers.clone(),
                set.numbers.iter().map(|&n| number_key(n)).collect(),
            )
        } else {
            Set::Dates(
                set.dates.clone(),
                set.dates.iter().copied().collect::<HashSet<_>>(),
            )
        };
        self.sets.push(code);
        let s = (self.sets.len() - 1) as SetId;
        self.set_ids.insert(key, s);
        s
    }

    fn regex(&mut self, re: &Arc<regex::Regex>) -> RegexId {
        let key = re.as_str().to_string();
        if let Some(&r) = self.regex_ids.get(&key) {
            return r;
        }
        self.regexes.push(RegexCode {
            pattern: key.clone(),
            regex: re.clone(),
            in_set: None,
        });
        let r = (self.regexes.len() - 1) as RegexId;
        self.regex_ids.insert(key, r);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::at_least_count;

    /// Beyond its items, `N` saturates at `items + 1`, so 2^32 + 1 (and
    /// beyond 64 bits) stays out of reach instead of wrapping to 1.
    #[test]
    fn at_least_beyond_its_items_never_wraps() {
        for n in [3, 4, 1 << 32, (1 << 32) + 1, usize::MAX] {
            assert_eq!(at_least_count(n, 2), 3, "{n}");
        }
        for n in 0..=2 {
            assert_eq!(at_least_count(n, 2), n as u32);
        }
    }
}
