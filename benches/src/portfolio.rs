//! A portfolio of generated companies of mixed sizes, as a consultancy or a 審査機関 would
//! check them at one date: mostly small companies, some medium ones, a few large ones, each
//! with its own planted gaps (the generator of [`crate::generate`] at a scale drawn per
//! company). Deterministic from the seed: the same seed writes the same bytes.

use crate::generate::{generate_named, Scale};
use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Planted gaps per company name, then per rule.
pub type Expected = BTreeMap<String, BTreeMap<&'static str, Vec<String>>>;

/// splitmix64, as in [`crate::generate`], drawing the sizes.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The size of company `k` of a portfolio: 80 % small (10–59 people), 17 % medium
/// (60–599), 3 % large (600–2,999); one to three PMS years; gaps planted at 1–15 %.
#[must_use]
pub fn company_scale(seed: u64, k: usize) -> Scale {
    let mut state = mix(seed ^ (k as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let mut draw = |n: u64| {
        state = mix(state);
        if n == 0 {
            0
        } else {
            (state % n) as usize
        }
    };
    let tier = draw(100);
    let people = if tier < 80 {
        10 + draw(50)
    } else if tier < 97 {
        60 + draw(540)
    } else {
        600 + draw(2400)
    };
    let departments = (people / 25).clamp(2, 40);
    Scale {
        name: "portfolio",
        people,
        years: 1 + i32::try_from(draw(3)).unwrap_or(0),
        trainings_per_year: 1 + draw(2),
        contractors: 2 + people / 12,
        items: 8 + people / 3,
        entry_rows: (people * 2).min(2_000),
        departments,
        audits_per_year: (1 + people / 150).min(departments),
        findings_per_audit: 2 + draw(4),
        incidents_per_year: 1 + people / 80,
        gap_per_mille: 10 + draw(141) as u64,
    }
}

/// The file name of company `k` of `n` (`company-0001.json`, numbered from 1, zero-padded to
/// the width of `n`).
#[must_use]
pub fn file_name(k: usize, n: usize) -> String {
    let width = n.to_string().len().max(4);
    format!("company-{:0width$}.json", k + 1)
}

/// Writes `n` companies into `dir` (created if needed) as `company-NNNN.json`, and
/// `expected.json`: the planted gaps per company (named as the file, without `.json`) and
/// rule. Returns the paths of the company files in order.
///
/// # Errors
/// I/O errors.
pub fn write_portfolio(n: usize, seed: u64, dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut expected = Expected::new();
    let mut paths = Vec::with_capacity(n);
    for k in 0..n {
        let scale = company_scale(seed, k);
        let file = file_name(k, n);
        let name = file.trim_end_matches(".json").to_string();
        let path = dir.join(&file);
        let mut w = BufWriter::new(std::fs::File::create(&path)?);
        let org = format!("生成株式会社 {name}");
        let planted = generate_named(&scale, mix(seed.wrapping_add(k as u64)), &org, &mut w)?;
        w.flush()?;
        expected.insert(name, planted);
        paths.push(path);
    }
    std::fs::write(
        dir.join("expected.json"),
        serde_json::to_string_pretty(&expected).map_err(io::Error::other)?,
    )?;
    Ok(paths)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn sizes_are_mixed_and_follow_the_seed() {
        let people: Vec<usize> = (0..500).map(|k| company_scale(7, k).people).collect();
        assert_eq!(
            people,
            (0..500)
                .map(|k| company_scale(7, k).people)
                .collect::<Vec<_>>()
        );
        assert_ne!(
            people,
            (0..500)
                .map(|k| company_scale(8, k).people)
                .collect::<Vec<_>>()
        );
        let small = people.iter().filter(|p| **p < 60).count();
        let large = people.iter().filter(|p| **p >= 600).count();
        assert!(
            (300..=450).contains(&small),
            "{small} small companies of 500"
        );
        assert!((3..=40).contains(&large), "{large} large companies of 500");
        assert!(people.iter().all(|p| (10..3000).contains(p)));
    }

    #[test]
    fn a_portfolio_is_written_the_same_twice_and_every_company_loads() {
        let base = std::env::temp_dir().join(format!("pms-portfolio-{}", std::process::id()));
        let (a, b) = (base.join("a"), base.join("b"));
        let paths = write_portfolio(6, 3, &a).unwrap();
        write_portfolio(6, 3, &b).unwrap();
        assert_eq!(paths.len(), 6);
        assert!(paths[0].ends_with("company-0001.json"));
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(a.join("expected.json")).unwrap())
                .unwrap();
        for p in &paths {
            let bytes = std::fs::read(p).unwrap();
            assert_eq!(
                bytes,
                std::fs::read(b.join(p.file_name().unwrap())).unwrap()
            );
            let set = pms_core::records::load_path(p).unwrap();
            assert!(set.len() > 10);
            let name = p.file_stem().unwrap().to_str().unwrap();
            assert!(!expected[name]["R-TRN-01"].as_array().unwrap().is_empty());
        }
        std::fs::remove_dir_all(base).unwrap();
    }
}
