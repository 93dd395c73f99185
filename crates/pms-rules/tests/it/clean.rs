//! The well-run company `examples/clean/` passes every rule of every pack, and exercises
//! nearly all of them (a rule with no subject there would pass vacuously).

use crate::common::*;

#[test]
fn the_clean_company_passes_every_rule_of_every_pack() {
    let set = clean();
    for pack in PACKS {
        let mut opts = pms_core::Options::new(date("2026-03-31"));
        opts.edition = pack.into();
        let r = pms_core::evaluate(program(), &set, &opts).unwrap();
        let bad: Vec<_> = r
            .findings
            .iter()
            .filter(|f| {
                matches!(
                    f.status,
                    pms_core::Status::Gap | pms_core::Status::InsufficientData
                )
            })
            .map(|f| f.id.clone())
            .collect();
        assert!(bad.is_empty(), "{pack}: {bad:?}");
        let vacuous: Vec<_> = r
            .coverage
            .iter()
            .filter(|c| c.status == pms_core::Status::NotApplicable)
            .map(|c| c.rule_id.clone())
            .collect();
        assert!(
            vacuous.is_empty(),
            "{pack}: rules with no subject in the clean company: {vacuous:?}"
        );
    }
}
