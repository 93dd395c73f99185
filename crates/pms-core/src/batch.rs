//! Many record sets checked with one program: the portfolio of a consultancy, the companies
//! of a group, the applicants a 審査機関 audits in one season.
//!
//! Companies are independent, so they are spread over threads, each company's rules being
//! evaluated on the thread that took it; a company whose records cannot be loaded gives its
//! diagnostics in its place, and the others are checked all the same. Results keep the order
//! of the companies whatever the number of threads.

use crate::diagnostic::Diagnostic;
use crate::ffi::{options, CheckOptions};
use crate::program::Program;
use crate::records::RecordSet;
use crate::report::Report;

/// The outcome of one company: its report, or the diagnostics of its records.
pub type Outcome = Result<Report, Vec<Diagnostic>>;

/// Checks every item on up to `threads` threads (0: one per core), loading each with `load`
/// (which reads a file, parses text or converts data: the host knows what an item is).
///
/// With more than one item, each company is evaluated on one thread and the companies run in
/// parallel; a single item is evaluated with `threads` threads over its rules instead. The
/// reports are the same either way; `o.threads` is not used.
///
/// # Errors
/// Diagnostics for bad options (a date, a language, an edition, a parameter, an unknown rule
/// in `only`): they concern every company, so nothing is checked. The options are checked
/// before anything is loaded.
pub fn check_many<I, L>(
    program: &Program,
    items: &[I],
    o: &CheckOptions,
    threads: usize,
    load: L,
) -> Result<Vec<Outcome>, Vec<Diagnostic>>
where
    I: Sync,
    L: Fn(&I) -> Result<RecordSet, Vec<Diagnostic>> + Sync,
{
    let threads = if threads == 0 {
        available_threads()
    } else {
        threads
    };
    let mut opts = options(o)?;
    opts.threads = if items.len() > 1 { 1 } else { threads };
    // An unknown edition, parameter or rule of `only` is an error of the call: found once, on
    // an empty record set, rather than once per company.
    crate::eval::evaluate(program, &RecordSet::default(), &opts)?;
    Ok(crate::workers::map(
        items,
        threads,
        || (),
        |(), _, item| {
            let set = load(item)?;
            crate::eval::evaluate(program, &set, &opts)
        },
    ))
}

/// The number of threads the machine offers (one when it cannot tell, and in WebAssembly).
fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{load_str, Format};

    fn program() -> Program {
        Program::compile(vec![crate::Source {
            name: "t.pms".into(),
            text: r#"rule X-T-01 {
  title ja "退職日" en "End date"
  clause jis2023 "7.2.1", jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_records
  for w in workforce
  require present(w.end_date)
  message ja "{w.id}" en "{w.id}"
  fix ja "x" en "x"
}"#
            .into(),
        }])
        .unwrap()
    }

    fn company(n: usize) -> String {
        let people: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"id": "W-{i}", "name": "n{i}", "employment_type": "正社員", "start_date": "2020-04-01"}}"#))
            .collect();
        format!(r#"{{"workforce": [{}]}}"#, people.join(","))
    }

    fn opts(as_of: &str) -> CheckOptions {
        CheckOptions {
            as_of: as_of.into(),
            ..CheckOptions::default()
        }
    }

    #[test]
    fn every_company_in_order_and_a_bad_one_in_its_place() {
        let p = program();
        let items: Vec<String> = (0..40)
            .map(|k| {
                if k == 7 {
                    "{\"workforce\": [{\"id\": 1}]}".into()
                } else {
                    company(k % 5)
                }
            })
            .collect();
        let load = |t: &String| load_str("<records>", t, Format::Json);
        for threads in [1, 2, 5] {
            let out = check_many(&p, &items, &opts("2026-03-31"), threads, load).unwrap();
            assert_eq!(out.len(), items.len());
            for (k, o) in out.iter().enumerate() {
                if k == 7 {
                    let diags = o.as_ref().unwrap_err();
                    assert!(diags.iter().all(|d| d.code.starts_with("E1")), "{diags:?}");
                } else {
                    let one = crate::ffi::check(&p, &load(&items[k]).unwrap(), &opts("2026-03-31"));
                    let report = o.as_ref().unwrap();
                    assert_eq!(report.to_json(), one.unwrap().to_json());
                    assert_eq!(report.findings.len(), k % 5);
                }
            }
        }
    }

    #[test]
    fn bad_options_fail_the_call_before_loading() {
        let p = program();
        let load = |_: &u8| -> Result<RecordSet, Vec<Diagnostic>> { unreachable!() };
        let bad_date = check_many(&p, &[1u8, 2], &opts("2026-02-30"), 2, load).unwrap_err();
        assert_eq!(bad_date[0].code, "E3001");
        let mut only = opts("2026-03-31");
        only.only = vec!["X-T-1".into()];
        let unknown = check_many(&p, &[1u8, 2], &only, 2, load).unwrap_err();
        assert!(unknown[0].message.contains("X-T-1"), "{unknown:?}");
    }
}
