//! Prints the sample company grown k times as JSON: `cargo run -p pms-bench --example scaled -- 100`.

fn main() {
    let k = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    println!(
        "{}",
        serde_json::to_string(&pms_bench::scaled_sample(k)).unwrap_or_default()
    );
}
