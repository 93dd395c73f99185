//! The PDCA cycle as a graph (petgraph): activity nodes by phase, "feeds" edges between
//! them, and rule nodes attached to activities with "depends on" edges between rules.
//!
//! The graph orders evaluation (a rule after the rules it depends on), rejects a cyclic rule
//! dependency with the cycle spelled out, groups consequential findings under their root
//! cause, and exports as DOT or Mermaid.

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;

/// A PDCA phase.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Plan.
    Plan,
    /// Do.
    Do,
    /// Check.
    Check,
    /// Act.
    Act,
}

impl Phase {
    /// All phases in cycle order.
    pub const ALL: [Phase; 4] = [Phase::Plan, Phase::Do, Phase::Check, Phase::Act];

    /// Parses `plan`, `do`, `check`, `act`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Phase> {
        match s {
            "plan" => Some(Phase::Plan),
            "do" => Some(Phase::Do),
            "check" => Some(Phase::Check),
            "act" => Some(Phase::Act),
            _ => None,
        }
    }

    /// Lowercase name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Plan => "plan",
            Phase::Do => "do",
            Phase::Check => "check",
            Phase::Act => "act",
        }
    }

    /// Japanese name.
    #[must_use]
    pub fn ja(self) -> &'static str {
        match self {
            Phase::Plan => "計画 (Plan)",
            Phase::Do => "実施 (Do)",
            Phase::Check => "点検 (Check)",
            Phase::Act => "見直し (Act)",
        }
    }
}

/// The activities of the PDCA cycle: (name, phase, Japanese name).
pub const ACTIVITIES: &[(&str, Phase, &str)] = &[
    ("organization", Phase::Plan, "体制・役割"),
    ("inventory", Phase::Plan, "個人情報の特定"),
    ("risk_assessment", Phase::Plan, "リスクアセスメント"),
    ("legal_register", Phase::Plan, "法令等の特定"),
    ("training_plan", Phase::Plan, "教育計画"),
    ("audit_plan", Phase::Plan, "監査計画"),
    ("certification", Phase::Plan, "プライバシーマークの維持"),
    ("document_control", Phase::Plan, "文書管理"),
    ("controls", Phase::Do, "安全管理措置"),
    ("training_sessions", Phase::Do, "教育の実施"),
    ("training_records", Phase::Do, "受講記録"),
    ("contractor_evaluation", Phase::Do, "委託先の選定・評価"),
    ("contracts", Phase::Do, "委託契約"),
    ("incidents", Phase::Do, "事故対応"),
    ("requests", Phase::Do, "苦情・開示等の請求"),
    ("backups", Phase::Do, "バックアップ"),
    ("equipment", Phase::Do, "セキュリティ機器の保守"),
    ("operational_check", Phase::Check, "運用の確認"),
    ("internal_audit", Phase::Check, "内部監査"),
    ("findings", Phase::Check, "指摘事項"),
    ("restore_tests", Phase::Check, "復元テスト"),
    ("accuracy_checks", Phase::Check, "正確性の確認"),
    ("corrective_action", Phase::Act, "是正処置"),
    ("effectiveness_review", Phase::Act, "有効性の確認"),
    ("management_review", Phase::Act, "マネジメントレビュー"),
];

/// "Feeds" edges between activities.
pub const FEEDS: &[(&str, &str)] = &[
    ("organization", "inventory"),
    ("inventory", "risk_assessment"),
    ("risk_assessment", "controls"),
    ("legal_register", "risk_assessment"),
    ("training_plan", "training_sessions"),
    ("training_sessions", "training_records"),
    ("audit_plan", "internal_audit"),
    ("inventory", "contractor_evaluation"),
    ("contractor_evaluation", "contracts"),
    ("controls", "operational_check"),
    ("operational_check", "findings"),
    ("internal_audit", "findings"),
    ("incidents", "corrective_action"),
    ("requests", "findings"),
    ("findings", "corrective_action"),
    ("corrective_action", "effectiveness_review"),
    ("effectiveness_review", "management_review"),
    ("internal_audit", "management_review"),
    ("operational_check", "management_review"),
    ("management_review", "training_plan"),
    ("management_review", "audit_plan"),
    ("management_review", "certification"),
    ("organization", "document_control"),
    ("document_control", "controls"),
    ("risk_assessment", "backups"),
    ("backups", "restore_tests"),
    ("restore_tests", "findings"),
    ("risk_assessment", "equipment"),
    ("equipment", "operational_check"),
    ("inventory", "accuracy_checks"),
    ("accuracy_checks", "findings"),
];

/// Node of the PDCA graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// An activity.
    Activity(&'static str),
    /// A rule (its id).
    Rule(String),
}

/// Edge kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// Activity feeds activity.
    Feeds,
    /// Rule checks activity.
    Checks,
    /// Rule depends on rule: a gap of the target explains a gap of the source.
    DependsOn,
}

/// The built graph.
#[derive(Debug, Clone)]
pub struct PdcaGraph {
    /// The petgraph graph.
    pub graph: DiGraph<Node, Edge>,
    rule_nodes: HashMap<String, NodeIndex>,
}

/// A rule as the graph needs it: id, activity, dependencies.
#[derive(Debug, Clone)]
pub struct RuleNode<'a> {
    /// Rule id.
    pub id: &'a str,
    /// Its activity.
    pub activity: &'a str,
    /// Ids it depends on.
    pub depends: &'a [String],
}

impl PdcaGraph {
    /// Builds the graph. Unknown dependency ids are skipped (the caller reports them).
    #[must_use]
    pub fn build(rules: &[RuleNode<'_>]) -> PdcaGraph {
        let mut graph = DiGraph::new();
        let mut acts = HashMap::new();
        for (name, _, _) in ACTIVITIES {
            acts.insert(*name, graph.add_node(Node::Activity(name)));
        }
        for (a, b) in FEEDS {
            if let (Some(x), Some(y)) = (acts.get(a), acts.get(b)) {
                graph.add_edge(*x, *y, Edge::Feeds);
            }
        }
        let mut rule_nodes = HashMap::new();
        for r in rules {
            let n = graph.add_node(Node::Rule(r.id.to_string()));
            rule_nodes.insert(r.id.to_string(), n);
            if let Some(a) = acts.get(r.activity) {
                graph.add_edge(n, *a, Edge::Checks);
            }
        }
        for r in rules {
            for d in r.depends {
                if let (Some(x), Some(y)) = (rule_nodes.get(r.id), rule_nodes.get(d)) {
                    graph.add_edge(*x, *y, Edge::DependsOn);
                }
            }
        }
        PdcaGraph { graph, rule_nodes }
    }

    fn rule_subgraph(&self) -> DiGraph<String, ()> {
        let mut g = DiGraph::new();
        let mut map = HashMap::new();
        let mut ids: Vec<&String> = self.rule_nodes.keys().collect();
        crate::sorting::sort(&mut ids);
        for id in ids {
            map.insert(id.clone(), g.add_node(id.clone()));
        }
        for e in self.graph.raw_edges() {
            if e.weight == Edge::DependsOn {
                if let (Some(Node::Rule(a)), Some(Node::Rule(b))) = (
                    self.graph.node_weight(e.source()),
                    self.graph.node_weight(e.target()),
                ) {
                    if let (Some(x), Some(y)) = (map.get(b), map.get(a)) {
                        g.add_edge(*x, *y, ());
                    }
                }
            }
        }
        g
    }

    /// Rule ids in evaluation order (dependencies first), or the cycles found, each as the
    /// list of rule ids around it.
    ///
    /// # Errors
    /// The dependency cycles.
    pub fn rule_order(&self) -> Result<Vec<String>, Vec<Vec<String>>> {
        let g = self.rule_subgraph();
        match toposort(&g, None) {
            Ok(order) => Ok(order
                .into_iter()
                .filter_map(|n| g.node_weight(n).cloned())
                .collect()),
            Err(_) => {
                let mut cycles: Vec<Vec<String>> = tarjan_scc(&g)
                    .into_iter()
                    .filter(|scc| {
                        scc.len() > 1 || scc.first().is_some_and(|n| g.contains_edge(*n, *n))
                    })
                    .map(|scc| {
                        let mut ids: Vec<String> = scc
                            .iter()
                            .filter_map(|n| g.node_weight(*n).cloned())
                            .collect();
                        crate::sorting::sort(&mut ids);
                        ids
                    })
                    .collect();
                crate::sorting::sort(&mut cycles);
                Err(cycles)
            }
        }
    }

    /// Graphviz DOT.
    #[must_use]
    pub fn to_dot(&self) -> String {
        let mut s = String::from(
            "digraph pdca {\n  rankdir=LR;\n  node [fontname=\"Noto Sans CJK JP\"];\n",
        );
        for phase in Phase::ALL {
            let _ = writeln!(
                s,
                "  subgraph cluster_{} {{\n    label=\"{}\";",
                phase.as_str(),
                phase.ja()
            );
            for (name, p, ja) in ACTIVITIES {
                if *p == phase {
                    let _ = writeln!(s, "    \"{name}\" [shape=box, label=\"{ja}\\n{name}\"];");
                }
            }
            s.push_str("  }\n");
        }
        for (id, label, ty) in self.sorted_edges() {
            let style = match ty {
                Edge::Feeds => "",
                Edge::Checks => " [style=dotted, arrowhead=none]",
                Edge::DependsOn => " [style=dashed, label=\"depends on\"]",
            };
            let _ = writeln!(s, "  \"{id}\" -> \"{label}\"{style};");
        }
        s.push_str("}\n");
        s
    }

    /// Mermaid flowchart.
    #[must_use]
    pub fn to_mermaid(&self) -> String {
        let key = |n: &str| n.replace('-', "_");
        let mut s = String::from("flowchart LR\n");
        for phase in Phase::ALL {
            let _ = writeln!(s, "  subgraph {}[\"{}\"]", phase.as_str(), phase.ja());
            for (name, p, ja) in ACTIVITIES {
                if *p == phase {
                    let _ = writeln!(s, "    {name}[\"{ja}<br/>{name}\"]");
                }
            }
            s.push_str("  end\n");
        }
        for (a, b, ty) in self.sorted_edges() {
            let arrow = match ty {
                Edge::Feeds => "-->",
                Edge::Checks => "-.-",
                Edge::DependsOn => "-. depends on .->",
            };
            let _ = writeln!(s, "  {} {arrow} {}", key(&a), key(&b));
        }
        s
    }

    fn sorted_edges(&self) -> Vec<(String, String, Edge)> {
        let name = |n: &Node| match n {
            Node::Activity(a) => (*a).to_string(),
            Node::Rule(r) => r.clone(),
        };
        let mut edges: Vec<(String, String, Edge)> = self
            .graph
            .raw_edges()
            .iter()
            .filter_map(|e| {
                Some((
                    name(self.graph.node_weight(e.source())?),
                    name(self.graph.node_weight(e.target())?),
                    e.weight,
                ))
            })
            .collect();
        crate::sorting::sort_by(&mut edges, |a, b| {
            (a.2 as u8, &a.0, &a.1).cmp(&(b.2 as u8, &b.0, &b.1))
        });
        edges
    }
}

/// Looks up an activity's phase.
#[must_use]
pub fn activity_phase(name: &str) -> Option<Phase> {
    ACTIVITIES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, p, _)| *p)
}
